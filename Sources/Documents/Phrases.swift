/// Where a line may break in Japanese (and Latin) text without splitting a word: after spaces,
/// after `・`, `、`, `。` and closing brackets, before opening brackets, around legal-form words
/// such as 株式会社, and where a kana or Latin word follows a number (`1-2-3` | `ナイトシフトビル4階`;
/// a kanji after a number is its counter, as in `4階`, and stays with it).
/// Line breaking by characters (what pango does for CJK text) would split `ナイトシフトビル`
/// anywhere; these phrases are kept whole, and a no-break space (U+00A0) joins two of them.
public enum Phrases {
    static let breakAfter: Set<Character> = [" ", "\u{3000}", "・", "、", "。", "，", ",", ")", "）", "」", "』", "】"]
    static let breakBefore: Set<Character> = ["(", "（", "「", "『", "【"]
    static let legalForms = ["株式会社", "有限会社", "合同会社", "合資会社", "合名会社", "一般社団法人", "一般財団法人"]

    public static func split(_ text: String) -> [String] {
        let characters = Array(text)
        var phrases: [String] = []
        var current = ""
        for (index, character) in characters.enumerated() {
            if !current.isEmpty, breaks(between: characters, at: index) {
                phrases.append(current)
                current = ""
            }
            current.append(character)
        }
        if !current.isEmpty { phrases.append(current) }
        return phrases
    }

    /// Whether a line may break before `characters[index]`.
    static func breaks(between characters: [Character], at index: Int) -> Bool {
        let before = characters[index - 1], after = characters[index]
        if after == " " || after == "\u{3000}" || before == "\u{A0}" || after == "\u{A0}" { return false }
        if breakAfter.contains(before) || breakBefore.contains(after) { return true }
        if isNumeric(before), startsWord(after) { return true }
        let head = String(characters[..<index]), tail = String(characters[index...])
        return legalForms.contains { head.hasSuffix($0) || tail.hasPrefix($0) }
    }

    static func isNumeric(_ c: Character) -> Bool {
        c.isASCII && (c.isNumber || c == "-") || ("０"..."９").contains(c) || c == "－"
    }

    /// Kana or a Latin letter: the start of a new word after a number.
    static func startsWord(_ c: Character) -> Bool {
        guard let scalar = c.unicodeScalars.first else { return false }
        return (0x3041...0x30FF).contains(scalar.value) || (c.isASCII && c.isLetter)
    }
}
