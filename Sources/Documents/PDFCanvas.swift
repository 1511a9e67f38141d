import CPangoCairo
import Foundation

public struct DocumentError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// A PDF drawn with cairo, its text laid out by pango in one font family and drawn with that
/// family's `EmbeddedFont` face (embedded, subset, by cairo). Coordinates are points from the
/// top-left corner. Not shareable between threads; one canvas per document.
public final class PDFCanvas {
    public enum Alignment { case left, center, right }
    /// A4 in points.
    public static let a4Width = 595.2756
    public static let a4Height = 841.8898

    public let width: Double
    public let height: Double
    private let surface: OpaquePointer
    private let cr: OpaquePointer
    private let font: EmbeddedFont
    /// Whether pango shaped a run with our family (else it fell back to another font for some
    /// characters, and pango draws that run itself).
    private var ours: [OpaquePointer: Bool] = [:]
    private var finished = false

    /// `creationDate` (`YYYY-MM-DDThh:mm:ss`) is stored as the PDF's date, so the same document
    /// renders to the same bytes whenever it is rendered.
    public init(path: String, font: EmbeddedFont, title: String, creationDate: String,
                width: Double = PDFCanvas.a4Width, height: Double = PDFCanvas.a4Height) throws {
        guard let surface = cairo_pdf_surface_create(path, width, height) else { throw DocumentError("cannot create \(path)") }
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            cairo_surface_destroy(surface)
            throw DocumentError("cannot create \(path): \(String(cString: cairo_status_to_string(status)))")
        }
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Nightshift")
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, creationDate)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_MOD_DATE, creationDate)
        self.surface = surface
        self.cr = cairo_create(surface)
        self.font = font
        self.width = width
        self.height = height
    }

    deinit {
        cairo_destroy(cr)
        if !finished { cairo_surface_finish(surface) }
        cairo_surface_destroy(surface)
    }

    /// Draws `text` in a box `width` wide at (x, y); returns the height it took. Newlines break
    /// lines; long lines wrap.
    @discardableResult
    public func text(_ text: String, x: Double, y: Double, width: Double, size: Double,
                     align: Alignment = .left, gray: Double = 0) -> Double {
        guard let layout = font.layouts.layout(.init(text: text, size: size, width: width, alignment: align)) else { return 0 }
        cairo_set_source_rgb(cr, gray, gray, gray)
        show(layout, x: x, y: y, size: size)
        var w: Int32 = 0, h: Int32 = 0
        pango_layout_get_pixel_size(layout, &w, &h)
        return Double(h)
    }

    /// The natural width of `text` on one line at `size`, in points.
    public func measure(_ text: String, size: Double) -> Double { font.layouts.width(of: text, size: size) }

    /// Draws the layout's runs as glyphs of our face, each run with its text (so the PDF's text
    /// extracts), at the positions pango gave them.
    private func show(_ layout: OpaquePointer, x: Double, y: Double, size: Double) {
        let scale = Double(PANGO_SCALE)
        guard let text = pango_layout_get_text(layout), let iter = pango_layout_get_iter(layout) else { return }
        defer { pango_layout_iter_free(iter) }
        repeat {
            guard let run = pango_layout_iter_get_run_readonly(iter) else { continue }
            var logical = PangoRectangle()
            pango_layout_iter_get_run_extents(iter, nil, &logical)
            let originX = x + Double(logical.x) / scale
            let originY = y + Double(pango_layout_iter_get_baseline(iter)) / scale
            let item = run.pointee.item.pointee
            guard item.analysis.level % 2 == 0, let runFont = item.analysis.font, isOurs(runFont) else {
                cairo_move_to(cr, originX, originY)
                pango_cairo_show_glyph_item(cr, text, run)
                continue
            }
            let string = run.pointee.glyphs.pointee
            var pen: [Double] = []
            var advance = 0.0
            for index in 0..<Int(string.num_glyphs) {
                pen.append(advance)
                advance += Double(string.glyphs[index].geometry.width) / scale
            }
            var glyphs: [cairo_glyph_t] = []
            var clusters: [cairo_text_cluster_t] = []
            var cluster = PangoGlyphItemIter()
            var more = pango_glyph_item_iter_init_start(&cluster, run, text) != 0
            while more {
                var count: Int32 = 0
                for index in Int(cluster.start_glyph)..<Int(cluster.end_glyph) {
                    let info = string.glyphs[index]
                    if info.glyph == 0x0FFF_FFFF || info.glyph & 0x1000_0000 != 0 { continue }  // empty, unknown
                    glyphs.append(cairo_glyph_t(index: UInt(info.glyph), x: originX + pen[index] + Double(info.geometry.x_offset) / scale,
                                                y: originY + Double(info.geometry.y_offset) / scale))
                    count += 1
                }
                clusters.append(cairo_text_cluster_t(num_bytes: cluster.end_index - cluster.start_index, num_glyphs: count))
                more = pango_glyph_item_iter_next_cluster(&cluster) != 0
            }
            guard !glyphs.isEmpty else { continue }
            cairo_set_font_face(cr, font.face)
            cairo_set_font_size(cr, size)
            cairo_show_text_glyphs(cr, text + Int(item.offset), item.length, glyphs, Int32(glyphs.count),
                                   clusters, Int32(clusters.count), cairo_text_cluster_flags_t(rawValue: 0))
        } while pango_layout_iter_next_run(iter) != 0
    }

    private func isOurs(_ runFont: UnsafeMutablePointer<PangoFont>) -> Bool {
        let key = OpaquePointer(runFont)
        if let known = ours[key] { return known }
        let description = pango_font_describe(runFont)
        defer { pango_font_description_free(description) }
        let family = pango_font_description_get_family(description).map { String(cString: $0) }
        ours[key] = family == font.family
        return family == font.family
    }

    public func line(from start: (x: Double, y: Double), to end: (x: Double, y: Double), width: Double = 0.5, gray: Double = 0) {
        cairo_set_source_rgb(cr, gray, gray, gray)
        cairo_set_line_width(cr, width)
        cairo_move_to(cr, start.x, start.y)
        cairo_line_to(cr, end.x, end.y)
        cairo_stroke(cr)
    }

    public func fill(x: Double, y: Double, width: Double, height: Double, gray: Double) {
        cairo_set_source_rgb(cr, gray, gray, gray)
        cairo_rectangle(cr, x, y, width, height)
        cairo_fill(cr)
    }

    /// A line through `points` (nil breaks it: a day without data is a gap, not a zero); a point
    /// with no neighbour on either side, which no line would show, as a dot.
    public func polyline(_ points: [(x: Double, y: Double)?], stroke: Stroke) {
        apply(stroke)
        var drawing = false
        for point in points {
            guard let point else { drawing = false; continue }
            if drawing { cairo_line_to(cr, point.x, point.y) } else { cairo_move_to(cr, point.x, point.y) }
            drawing = true
        }
        cairo_stroke(cr)
        cairo_set_dash(cr, nil, 0, 0)
        for (index, point) in points.enumerated() {
            guard let point, index == 0 || points[index - 1] == nil, index + 1 == points.count || points[index + 1] == nil else { continue }
            cairo_new_sub_path(cr)
            cairo_arc(cr, point.x, point.y, stroke.width * 1.4, 0, 2 * Double.pi)
            cairo_fill(cr)
        }
    }

    public func fill(x: Double, y: Double, width: Double, height: Double, color: Color) {
        cairo_set_source_rgb(cr, color.red, color.green, color.blue)
        cairo_rectangle(cr, x, y, width, height)
        cairo_fill(cr)
    }

    public func strokeRectangle(x: Double, y: Double, width: Double, height: Double, stroke: Stroke) {
        apply(stroke)
        cairo_rectangle(cr, x, y, width, height)
        cairo_stroke(cr)
        cairo_set_dash(cr, nil, 0, 0)
    }

    private func apply(_ stroke: Stroke) {
        cairo_set_source_rgb(cr, stroke.color.red, stroke.color.green, stroke.color.blue)
        cairo_set_line_width(cr, stroke.width)
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND)
        cairo_set_dash(cr, stroke.dash, Int32(stroke.dash.count), 0)
    }

    public func newPage() { cairo_show_page(cr) }

    /// Ends the last page and writes the file; throws when cairo failed at any point.
    public func finish() throws {
        cairo_show_page(cr)
        cairo_surface_finish(surface)
        finished = true
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw DocumentError("PDF not written: \(String(cString: cairo_status_to_string(status)))")
        }
    }
}
