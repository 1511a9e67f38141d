import Foundation

/// The rows of one result, decoded from text into Swift values on demand.
public struct QueryResult: Sendable {
    public let columns: [String]
    public let rows: [Row]
    public let affectedRows: Int

    public var first: Row? { rows.first }
}

public struct Row: Sendable {
    let columnIndex: [String: Int]
    let values: [String?]

    public func isNull(_ column: String) throws -> Bool { try raw(column) == nil }

    public func raw(_ column: String) throws -> String? {
        guard let index = columnIndex[column] else {
            throw PostgresError(kind: .decoding, message: "no column \"\(column)\" in result")
        }
        return values[index]
    }

    public func optionalString(_ column: String) throws -> String? { try raw(column) }

    public func string(_ column: String) throws -> String {
        guard let value = try raw(column) else { throw nullError(column) }
        return value
    }

    public func optionalInt(_ column: String) throws -> Int? {
        guard let text = try raw(column) else { return nil }
        guard let value = Int(text) else { throw typeError(column, text, "an integer") }
        return value
    }

    public func int(_ column: String) throws -> Int {
        guard let value = try optionalInt(column) else { throw nullError(column) }
        return value
    }

    public func double(_ column: String) throws -> Double {
        let text = try string(column)
        guard let value = Double(text) else { throw typeError(column, text, "a number") }
        return value
    }

    public func optionalDouble(_ column: String) throws -> Double? {
        try raw(column) == nil ? nil : try double(column)
    }

    /// A one-dimensional integer array without NULLs (`{1,2,3}` in text form).
    public func intArray(_ column: String) throws -> [Int] {
        let text = try string(column)
        guard text.hasPrefix("{"), text.hasSuffix("}") else { throw typeError(column, text, "an integer array") }
        let inner = text.dropFirst().dropLast()
        if inner.isEmpty { return [] }
        return try inner.split(separator: ",").map { element in
            guard let value = Int(element) else { throw typeError(column, text, "an integer array without NULLs") }
            return value
        }
    }

    public func optionalBool(_ column: String) throws -> Bool? {
        guard let text = try raw(column) else { return nil }
        switch text {
        case "t": return true
        case "f": return false
        default: throw typeError(column, text, "a boolean")
        }
    }

    public func bool(_ column: String) throws -> Bool {
        guard let value = try optionalBool(column) else { throw nullError(column) }
        return value
    }

    public func optionalDate(_ column: String) throws -> Date? {
        guard let text = try raw(column) else { return nil }
        guard let value = PostgresTimestamp.parse(text) else { throw typeError(column, text, "a timestamptz") }
        return value
    }

    public func date(_ column: String) throws -> Date {
        guard let value = try optionalDate(column) else { throw nullError(column) }
        return value
    }

    private func nullError(_ column: String) -> PostgresError {
        PostgresError(kind: .decoding, message: "column \"\(column)\" is NULL")
    }

    private func typeError(_ column: String, _ text: String, _ expected: String) -> PostgresError {
        PostgresError(kind: .decoding, message: "column \"\(column)\" holds \"\(text)\", expected \(expected)")
    }
}
