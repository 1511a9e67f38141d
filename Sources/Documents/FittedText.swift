import CPangoCairo

extension PDFCanvas {
    /// How text that must stay readable in a fixed box is set: on at most `maxLines` lines broken
    /// only between `Phrases`, at the largest size from `size` down to `minSize` that fits; with
    /// `fewerLinesFirst`, at the fewest lines that fit at any of those sizes (a name on one line
    /// shrunk a little reads better than the same name on two).
    public struct Fitting {
        public var size: Double
        public var minSize: Double
        public var maxLines: Int
        public var fewerLinesFirst: Bool
        public init(size: Double, minSize: Double, maxLines: Int, fewerLinesFirst: Bool = false) {
            self.size = size
            self.minSize = minSize
            self.maxLines = maxLines
            self.fewerLinesFirst = fewerLinesFirst
        }
    }

    /// Draws `text` fitted into a box `width` wide; returns the height it took and the size used.
    /// When even `minSize` and `maxLines` are not enough (one phrase wider than the box), the
    /// text is set at `minSize` and the too-wide phrases wrap wherever pango's Japanese line
    /// breaking allows, so nothing is ever cut off.
    @discardableResult
    public func fittedText(_ text: String, x: Double, y: Double, width: Double, fitting: Fitting,
                           align: Alignment = .left) -> (height: Double, size: Double) {
        let (lines, size) = fit(text, width: width, fitting: fitting)
        let height = self.text(lines.joined(separator: "\n"), x: x, y: y, width: width, size: size, align: align)
        return (height, size)
    }

    /// The lines and size `fittedText` would use.
    public func fit(_ text: String, width: Double, fitting: Fitting) -> (lines: [String], size: Double) {
        let phrases = text.split(separator: "\n", omittingEmptySubsequences: false).map { Phrases.split(String($0)) }
        let lineCounts = fitting.fewerLinesFirst ? Array(1...max(1, fitting.maxLines)) : [fitting.maxLines]
        for lineCount in lineCounts {
            var size = fitting.size
            while size >= fitting.minSize - 0.001 {
                if let lines = pack(phrases, width: width, size: size), lines.count <= lineCount { return (lines, size) }
                size -= 0.5
            }
        }
        return (pack(phrases, width: width, size: fitting.minSize, allowOverflow: true) ?? [text], fitting.minSize)
    }

    /// Greedy: as many phrases on each line as fit. Nil when one phrase alone is too wide.
    func pack(_ paragraphs: [[String]], width: Double, size: Double, allowOverflow: Bool = false) -> [String]? {
        var lines: [String] = []
        for phrases in paragraphs {
            var current = ""
            for phrase in phrases {
                let candidate = current + phrase
                if current.isEmpty || measure(trimmed(candidate), size: size) <= width {
                    current = candidate
                    continue
                }
                lines.append(trimmed(current))
                current = String(phrase.drop { $0 == " " || $0 == "\u{3000}" })
            }
            if !allowOverflow, measure(trimmed(current), size: size) > width { return nil }
            lines.append(trimmed(current))
            if !allowOverflow, lines.contains(where: { measure($0, size: size) > width }) { return nil }
        }
        return lines
    }

    private func trimmed(_ line: String) -> String {
        var line = Substring(line)
        while let last = line.last, last == " " || last == "\u{3000}" { line = line.dropLast() }
        return String(line)
    }
}
