import CLibPQ
import Foundation

/// One libpq connection. Not thread-safe: use it from one thread at a time.
public final class Connection {
    private var handle: OpaquePointer?

    /// Connects with a libpq connection string or `postgresql://` URL. Session time zone is UTC
    /// and date style ISO, so timestamps decode exactly.
    public init(url: String, applicationName: String = "nightshift", connectTimeoutSeconds: Int = 10) throws {
        let keywords = ["dbname", "application_name", "connect_timeout", "options"]
        let values = [url, applicationName, String(connectTimeoutSeconds), "-c TimeZone=UTC -c DateStyle=ISO"]
        // expand_dbname=1 lets `dbname` carry a whole URL; later keywords override it.
        let conn = withCStringArray(keywords) { kw in
            withCStringArray(values) { vals in PQconnectdbParams(kw, vals, 1) }
        }
        guard PQstatus(conn) == CONNECTION_OK else {
            let message = conn.map { String(cString: PQerrorMessage($0)) } ?? "out of memory"
            PQfinish(conn)
            throw PostgresError(kind: .connection, message: Connection.redacting(message.trimmed, url: url))
        }
        handle = conn
        PQsetNoticeProcessor(conn, { _, _ in }, nil)
    }

    deinit { close() }

    public func close() {
        if let handle { PQfinish(handle) }
        handle = nil
    }

    public var isHealthy: Bool { handle.map { PQstatus($0) == CONNECTION_OK } ?? false }

    /// Opens the connection again with the same parameters (after the server restarted or the
    /// session was terminated). Session state — open transactions, advisory locks — is gone.
    public func reconnect() throws {
        let conn = try liveHandle()
        PQreset(conn)
        guard PQstatus(conn) == CONNECTION_OK else { throw connectionError("reconnect") }
        PQsetNoticeProcessor(conn, { _, _ in }, nil)
    }

    /// The server process serving this connection (useful for tests and diagnostics).
    public var backendPID: Int32 { handle.map { PQbackendPID($0) } ?? 0 }

    /// Runs one statement with its parameters bound, never interpolated.
    @discardableResult
    public func query(_ sql: String, _ parameters: [PostgresEncodable?] = []) throws -> QueryResult {
        let conn = try liveHandle()
        let texts = parameters.map { $0?.postgresText }
        let result = withOptionalCStringArray(texts) { values in
            PQexecParams(conn, sql, Int32(texts.count), nil, values, nil, nil, 0)
        }
        defer { PQclear(result) }
        return try decode(result, sql: sql)
    }

    /// Runs several statements without parameters (migrations, `SET`).
    public func execute(script sql: String) throws {
        let conn = try liveHandle()
        let result = PQexec(conn, sql)
        defer { PQclear(result) }
        _ = try decode(result, sql: sql)
    }

    /// `body` runs inside BEGIN/COMMIT; any error rolls back and is rethrown. Inside another
    /// transaction it runs inside a SAVEPOINT instead, so a unit of work can be wrapped whole —
    /// a dry run's rehearsal runs the real code and rolls everything back at the end.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        let savepoint = depth == 0 ? nil : "nightshift_\(depth)"
        try execute(script: savepoint.map { "SAVEPOINT \($0)" } ?? "BEGIN")
        depth += 1
        defer { depth -= 1 }
        do {
            let value = try body()
            try execute(script: savepoint.map { "RELEASE SAVEPOINT \($0)" } ?? "COMMIT")
            return value
        } catch {
            if isHealthy { try? execute(script: savepoint.map { "ROLLBACK TO SAVEPOINT \($0)" } ?? "ROLLBACK") }
            throw error
        }
    }

    /// Runs `body` in a transaction that is always rolled back.
    public func rolledBack<T>(_ body: () throws -> T) throws -> T {
        try execute(script: "BEGIN")
        depth += 1
        defer {
            depth -= 1
            if isHealthy { try? execute(script: "ROLLBACK") }
        }
        return try body()
    }

    /// Open transactions (`transaction`, `rolledBack`) around the current statement.
    private var depth = 0

    /// Streams rows into `COPY table (columns) FROM STDIN` in text format, in chunks so memory
    /// stays flat whatever the row count. Returns the number of rows copied.
    @discardableResult
    public func copyIn<S: Sequence>(table: String, columns: [String], rows: S) throws -> Int
    where S.Element == [PostgresEncodable?] {
        let conn = try liveHandle()
        let sql = "COPY \(table) (\(columns.joined(separator: ", "))) FROM STDIN"
        let start = PQexec(conn, sql)
        let status = PQresultStatus(start)
        if status != PGRES_COPY_IN {
            defer { PQclear(start) }
            _ = try decode(start, sql: sql)
            throw PostgresError(kind: .protocolViolation, message: "COPY did not start")
        }
        PQclear(start)
        var buffer = [UInt8]()
        buffer.reserveCapacity(1 << 16)
        var count = 0
        func flush() throws {
            guard !buffer.isEmpty else { return }
            let sent = buffer.withUnsafeBufferPointer { ptr in
                ptr.baseAddress!.withMemoryRebound(to: CChar.self, capacity: ptr.count) {
                    PQputCopyData(conn, $0, Int32(ptr.count))
                }
            }
            buffer.removeAll(keepingCapacity: true)
            if sent != 1 { throw connectionError("COPY data") }
        }
        do {
            for row in rows {
                for (index, value) in row.enumerated() {
                    if index > 0 { buffer.append(UInt8(ascii: "\t")) }
                    appendCopyField(value?.postgresText, to: &buffer)
                }
                buffer.append(UInt8(ascii: "\n"))
                count += 1
                if buffer.count >= 1 << 16 { try flush() }
            }
            try flush()
        } catch {
            _ = PQputCopyEnd(conn, "client error")
            while let r = PQgetResult(conn) { PQclear(r) }
            throw error
        }
        guard PQputCopyEnd(conn, nil) == 1 else { throw connectionError("COPY end") }
        var failure: Error?
        while let result = PQgetResult(conn) {
            do { _ = try decode(result, sql: sql) } catch { failure = failure ?? error }
            PQclear(result)
        }
        if let failure { throw failure }
        return count
    }

    /// A session-level advisory lock: released by `advisoryUnlock` or when the session ends,
    /// however the process ends.
    public func tryAdvisoryLock(_ key: Int64) throws -> Bool {
        try query("SELECT pg_try_advisory_lock($1::int8) AS locked", [key]).first!.bool("locked")
    }

    public func advisoryLock(_ key: Int64) throws {
        try query("SELECT pg_advisory_lock($1::int8)", [key])
    }

    @discardableResult
    public func advisoryUnlock(_ key: Int64) throws -> Bool {
        try query("SELECT pg_advisory_unlock($1::int8) AS released", [key]).first!.bool("released")
    }

    // MARK: - Internals

    private func liveHandle() throws -> OpaquePointer {
        guard let handle else { throw PostgresError(kind: .connection, message: "connection is closed") }
        return handle
    }

    private func connectionError(_ what: String) -> PostgresError {
        let message = handle.map { String(cString: PQerrorMessage($0)).trimmed } ?? "closed"
        return PostgresError(kind: .connection, message: "\(what): \(message)")
    }

    private func decode(_ result: OpaquePointer?, sql: String) throws -> QueryResult {
        guard let result else { throw connectionError("query") }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            return QueryResult(columns: [], rows: [], affectedRows: Int(String(cString: PQcmdTuples(result))) ?? 0)
        case PGRES_TUPLES_OK:
            break
        default:
            let state = field(result, NS_PG_DIAG_SQLSTATE)
            let message = field(result, NS_PG_DIAG_MESSAGE_PRIMARY) ?? String(cString: PQresultErrorMessage(result)).trimmed
            let lost = handle.map { PQstatus($0) != CONNECTION_OK } ?? true
            throw PostgresError(kind: lost ? .connection : .server, sqlState: state,
                                message: message, detail: field(result, NS_PG_DIAG_MESSAGE_DETAIL))
        }
        let columnCount = Int(PQnfields(result))
        let rowCount = Int(PQntuples(result))
        var columns = [String]()
        var index = [String: Int]()
        for c in 0..<columnCount {
            let name = String(cString: PQfname(result, Int32(c)))
            columns.append(name)
            if index[name] == nil { index[name] = c }
        }
        var rows = [Row]()
        rows.reserveCapacity(rowCount)
        for r in 0..<rowCount {
            var values = [String?]()
            values.reserveCapacity(columnCount)
            for c in 0..<columnCount {
                if PQgetisnull(result, Int32(r), Int32(c)) == 1 {
                    values.append(nil)
                } else {
                    values.append(String(cString: PQgetvalue(result, Int32(r), Int32(c))))
                }
            }
            rows.append(Row(columnIndex: index, values: values))
        }
        return QueryResult(columns: columns, rows: rows, affectedRows: rowCount)
    }

    private func field(_ result: OpaquePointer, _ code: Int32) -> String? {
        guard let value = PQresultErrorField(result, code) else { return nil }
        return String(cString: value)
    }

    /// libpq sometimes echoes parts of the connection string; never let a password through.
    static func redacting(_ message: String, url: String) -> String {
        guard let password = URLComponents(string: url)?.password, !password.isEmpty else { return message }
        return message.replacingOccurrences(of: password, with: "***")
    }
}

private func appendCopyField(_ text: String?, to buffer: inout [UInt8]) {
    guard let text else { buffer.append(contentsOf: Array("\\N".utf8)); return }
    for byte in text.utf8 {
        switch byte {
        case UInt8(ascii: "\\"): buffer.append(contentsOf: [92, 92])
        case UInt8(ascii: "\t"): buffer.append(contentsOf: [92, UInt8(ascii: "t")])
        case UInt8(ascii: "\n"): buffer.append(contentsOf: [92, UInt8(ascii: "n")])
        case UInt8(ascii: "\r"): buffer.append(contentsOf: [92, UInt8(ascii: "r")])
        default: buffer.append(byte)
        }
    }
}

private func withCStringArray<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    withOptionalCStringArray(strings.map { Optional($0) }) { body($0) }
}

private func withOptionalCStringArray<R>(_ strings: [String?], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    let copies: [UnsafeMutablePointer<CChar>?] = strings.map { $0.map { strdup($0)! } }
    defer { copies.forEach { free($0) } }
    var pointers: [UnsafePointer<CChar>?] = copies.map { $0.map { UnsafePointer($0) } }
    pointers.append(nil)
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}

extension String {
    var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
