import Foundation
import NightshiftCore

extension MailMessage.Attachment {
    /// A rendered file as an attachment, only while it is the file that was recorded: one changed
    /// since (its SHA-256 differs) or gone is refused with `remedy` (how to render it again), so a
    /// mail never carries a document other than the one its row describes.
    public static func rendered(_ path: String, sha256: String?, filename: String, contentType: String,
                                remedy: String) throws -> MailMessage.Attachment {
        let what = contentType == "application/pdf" ? "PDF" : "file"
        do {
            if let sha256, try FileDigest.sha256(ofFile: path) != sha256 {
                throw UnsendableAttachment(description: "\(path) is not the \(what) that was rendered (SHA-256 differs); \(remedy)")
            }
            return .init(filename: filename, contentType: contentType, bytes: Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        } catch let error as UnsendableAttachment {
            throw error
        } catch {
            throw UnsendableAttachment(description: "cannot read \(path): \(error)")
        }
    }
}

/// A mail's attachment cannot be sent as it is (the letter stays pending).
public struct UnsendableAttachment: Error, CustomStringConvertible {
    public let description: String
}
