import Foundation

/// A page rendered by pdftoppm as an 8-bit grey image (PGM), addressed in PDF points.
public struct GrayPage {
    public let width: Int, height: Int, pixels: [UInt8]
    static let resolution = 72.0

    /// Page `page` (from 1) of `pdf`, the image written into `directory`.
    public init(pdf: String, page: Int = 1, in directory: String) throws {
        let base = directory + "/page"
        let result = try runToEnd("/usr/bin/pdftoppm", ["-r", "72", "-gray", "-f", "\(page)", "-l", "\(page)", "-singlefile", pdf, base],
                                  environment: [:])
        guard result.status == 0 else { throw PageRenderingFailed(message: "pdftoppm: \(result.stderr)") }
        let data = Array(try Data(contentsOf: URL(fileURLWithPath: base + ".pgm")))
        // "P5\n<width> <height>\n255\n" then the pixels.
        var fields: [String] = [], index = 0, current = ""
        while fields.count < 4 {
            let byte = data[index]
            index += 1
            if byte == 0x20 || byte == 0x0A {
                if !current.isEmpty { fields.append(current) }
                current = ""
            } else {
                current.append(Character(UnicodeScalar(byte)))
            }
        }
        (width, height) = (Int(fields[1])!, Int(fields[2])!)
        pixels = Array(data[index...])
    }

    /// The share of pixels in the box darker than `below` (0 black … 1 white).
    public func darkShare(x: Double, y: Double, width boxWidth: Double, height boxHeight: Double, below: Double = 0.6) -> Double {
        var dark = 0, all = 0
        for row in Int(y)..<min(height, Int(y + boxHeight)) {
            for column in Int(x)..<min(width, Int(x + boxWidth)) {
                all += 1
                if Double(pixels[row * width + column]) / 255 < below { dark += 1 }
            }
        }
        return all == 0 ? 0 : Double(dark) / Double(all)
    }
}

struct PageRenderingFailed: Error { let message: String }
