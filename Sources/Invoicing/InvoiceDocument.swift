import Documents
import Foundation
import NightshiftCore

/// The A4 invoice (適格請求書): title, recipient, number and dates, the issuer with its
/// registration number, the lines, the subtotal and tax per rate, the total, notes and payment
/// instructions (the last two and the issuer block from `templates/invoice/`).
enum InvoiceDocument {
    static let templateNames = ["issuer", "notes", "payment"]
    static let font = "IPAexGothic"

    static func draw(_ invoice: StoredInvoice, templates: TextTemplates, font: EmbeddedFont, to path: String) throws {
        let canvas = try PDFCanvas(path: path, font: font, title: "請求書 \(invoice.number)",
                                   creationDate: invoice.issueDate + "T00:00:00")
        let left = 50.0, right = PDFCanvas.a4Width - 50, width = right - left
        canvas.text("請求書", x: left, y: 42, width: width, size: 24, align: .center)

        var y = 100.0
        let recipient = (invoice.recipientPostalCode.isEmpty ? "" : "〒\(invoice.recipientPostalCode)\n") + invoice.recipientAddress
        if !recipient.isEmpty {
            y += canvas.fittedText(recipient, x: left, y: y, width: 280, fitting: .init(size: 10, minSize: 8, maxLines: 3)).height
        }
        // The name and 御中 stay together; the underline goes under the name's last line.
        y += 4 + canvas.fittedText(invoice.recipientName + "\u{A0}御中", x: left, y: y + 4, width: 280,
                                   fitting: .init(size: 14, minSize: 11, maxLines: 2, fewerLinesFirst: true)).height
        let underline = y + 3
        canvas.line(from: (left, underline), to: (left + 280, underline), width: 0.8)

        let meta = "請求書番号: \(invoice.number)\n発行日: \(JapaneseDate.string(invoice.issueDate))\nお支払期限: \(JapaneseDate.string(invoice.dueDate))"
        var rightY = 100.0
        // Each of the three on one line (a long number prefix shrinks the block rather than wrap it).
        rightY += canvas.fittedText(meta, x: 340, y: rightY, width: right - 340, fitting: .init(size: 9, minSize: 7, maxLines: 3),
                                    align: .right).height + 10
        let issuer = templates.render("issuer", ["name": invoice.issuerName, "address": invoice.issuerAddress,
                                                 "registration_number": invoice.issuerRegistration])
        rightY += canvas.text(issuer, x: 340, y: rightY, width: right - 340, size: 9, align: .right)

        y = max(underline + 26, rightY + 20)
        canvas.text("下記のとおりご請求申し上げます。", x: left, y: y, width: width, size: 10)
        y += 16
        canvas.text(InvoiceDocument.periodLine(invoice), x: left, y: y, width: width, size: 10)
        y += 22
        canvas.fill(x: left, y: y, width: 300, height: 30, gray: 0.92)
        canvas.text("ご請求金額(税込)", x: left + 8, y: y + 8, width: 120, size: 11)
        canvas.text(YenFormat.string(invoice.totalYen), x: left + 120, y: y + 5, width: 172, size: 16, align: .right)
        y += 50

        let columns = (item: left + 4, quantity: left + 270, unit: left + 340, amount: left + 420)
        canvas.fill(x: left, y: y, width: width, height: 20, gray: 0.85)
        canvas.text("品目", x: columns.item, y: y + 4, width: 250, size: 9)
        canvas.text("数量", x: columns.quantity, y: y + 4, width: 60, size: 9, align: .right)
        canvas.text("単価", x: columns.unit, y: y + 4, width: 70, size: 9, align: .right)
        canvas.text("金額", x: columns.amount, y: y + 4, width: right - columns.amount - 4, size: 9, align: .right)
        y += 20
        for line in invoice.lines {
            let described = canvas.fittedText(line.description, x: columns.item, y: y + 5, width: 250,
                                              fitting: .init(size: 9, minSize: 7.5, maxLines: 2)).height
            canvas.text(YenFormat.grouped(line.quantity), x: columns.quantity, y: y + 5, width: 60, size: 9, align: .right)
            canvas.text(YenFormat.string(line.unitPriceYen), x: columns.unit, y: y + 5, width: 70, size: 9, align: .right)
            canvas.text(YenFormat.string(line.amountYen), x: columns.amount, y: y + 5, width: right - columns.amount - 4, size: 9, align: .right)
            y += max(22, described + 10)
            canvas.line(from: (left, y), to: (right, y), width: 0.3, gray: 0.6)
        }

        y += 12
        let rate = invoice.taxRatePercent
        let summary: [(String, Int)] = [("\(rate)%対象 小計(税抜)", invoice.subtotalYen),
                                          ("消費税(\(rate)%)", invoice.taxYen),
                                          ("合計(税込)", invoice.totalYen)]
        canvas.fill(x: columns.unit - 94, y: y + 2 * 18 - 3, width: right - columns.unit + 94, height: 18, gray: 0.92)  // the total's row
        for (label, yen) in summary {
            canvas.text(label, x: columns.unit - 90, y: y, width: 160, size: 10)
            canvas.text(YenFormat.string(yen), x: columns.amount, y: y, width: right - columns.amount - 4, size: 10, align: .right)
            y += 18
        }

        y += 20
        let notes = templates.render("notes", ["period_start": JapaneseDate.string(invoice.periodStart),
                                               "period_end": JapaneseDate.string(invoice.periodEnd),
                                               "max_users": invoice.maxUsers, "max_engineers": invoice.maxEngineers])
        y += canvas.text("備考\n" + notes, x: left, y: y, width: width, size: 9) + 14
        let payment = templates.render("payment", ["due_date": JapaneseDate.string(invoice.dueDate), "total": YenFormat.string(invoice.totalYen),
                                                   "invoice_number": invoice.number])
        canvas.text(payment, x: left, y: y, width: width, size: 9)
        try canvas.finish()
    }

    /// The written file is a one-page PDF that says what the invoice says.
    @Sendable static func check(_ invoice: StoredInvoice, _ read: PDFText) throws {
        guard read.pageCount == 1 else { throw DocumentError("the PDF has \(read.pageCount) pages, expected 1") }
        // Wrapped lines and the spacing poppler reconstructs are not what was written: compare
        // without any white space.
        let text = PDFText.withoutWhitespace(read.text)
        for (what, expected) in [("number", invoice.number), ("recipient", invoice.recipientName),
                                 ("total", YenFormat.string(invoice.totalYen)), ("billing period", periodLine(invoice))]
        where !text.contains(PDFText.withoutWhitespace(expected)) {
            throw DocumentError("the PDF's text lacks the \(what) \(expected)")
        }
    }

    /// The billing period (取引年月日, required on a qualified invoice), in the fixed layout.
    static func periodLine(_ invoice: StoredInvoice) -> String {
        "ご利用期間(取引期間): \(JapaneseDate.string(invoice.periodStart))〜\(JapaneseDate.string(invoice.periodEnd))"
    }
}
