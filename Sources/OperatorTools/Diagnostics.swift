import Foundation
import NightshiftCore

/// `nightshift log-probe`: writes lines through the suite's logger, to check a log directory's
/// setup and (in tests) that concurrent writers never lose or tear lines.
public enum Diagnostics {
    public static func writeLogLines(session: CommandSession, count: Int, tag: String, padding: Int) throws {
        let files = LogFiles(settings: session.settings, console: Console(mode: .quiet))
        let logger = files.logger(job: "nightshift")
        try files.checkWritable()
        let filler = String(repeating: "x", count: padding)
        for sequence in 0..<count {
            logger.warning("log probe", metadata: ["tag": .string(tag), "seq": .int(sequence), "fill": .string(filler)])
        }
    }
}
