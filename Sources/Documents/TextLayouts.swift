import CPangoCairo

/// Pango layouts of one font family, kept for reuse: documents drawn one after another repeat
/// most of their texts (labels, headings, the issuer block), and laying a text out (itemizing,
/// shaping, breaking lines) is most of the cost of drawing it. A layout depends only on its text
/// and style, never on where it is drawn, so a kept one is as good as a new one.
///
/// Its own font map and context, so nothing here is shared with another thread; one thread at a
/// time uses it (it belongs to an `EmbeddedFont` set). At most `capacity` layouts are kept. For
/// PDFs only, drawn without transformation.
final class TextLayouts {
    struct Key: Hashable {
        let text: String, size: Double, width: Double, alignment: PDFCanvas.Alignment
    }

    private let context: OpaquePointer
    private let family: String
    private let capacity: Int
    private var layouts: [Key: OpaquePointer] = [:]
    private var descriptions: [Double: OpaquePointer] = [:]  // by size
    private var scratch: OpaquePointer?

    init(family: String, capacity: Int = 500) {
        self.family = family
        self.capacity = capacity
        let fontMap = pango_cairo_font_map_new()
        context = pango_font_map_create_context(fontMap)
        g_object_unref(UnsafeMutableRawPointer(fontMap))
        // Set up for PDF output once: every PDF surface has the same font options, and text is
        // drawn untransformed. (Updating it from each document's cairo context would count as a
        // change every time, and every kept layout would be laid out again.)
        let scratch = cairo_pdf_surface_create_for_stream(nil, nil, 1, 1)
        let cr = cairo_create(scratch)
        pango_cairo_update_context(cr, context)
        // Glyphs at the font's own advances: rounded to whole points (pango's default, meant for
        // screens), every Latin glyph is off by a fraction of a point, which reads as uneven
        // spacing and makes cairo write a position correction after each glyph.
        pango_context_set_round_glyph_positions(context, 0)
        cairo_destroy(cr)
        cairo_surface_destroy(scratch)
    }

    deinit {
        clear()
        if let scratch { g_object_unref(UnsafeMutableRawPointer(scratch)) }
        for description in descriptions.values { pango_font_description_free(description) }
        g_object_unref(UnsafeMutableRawPointer(context))
    }

    /// The natural width of `text` on one line, in points. Uses one scratch layout, so measuring
    /// many candidate lines does not push the kept layouts out.
    func width(of text: String, size: Double) -> Double {
        if scratch == nil { scratch = pango_layout_new(context) }
        guard let scratch else { return 0 }
        pango_layout_set_font_description(scratch, description(size: size))
        pango_layout_set_text(scratch, text, -1)
        var logical = PangoRectangle()
        pango_layout_get_extents(scratch, nil, &logical)
        return Double(logical.width) / Double(PANGO_SCALE)
    }

    /// The layout of `key`, owned by this cache.
    func layout(_ key: Key) -> OpaquePointer? {
        if let layout = layouts[key] { return layout }
        guard let layout = pango_layout_new(context) else { return nil }
        pango_layout_set_font_description(layout, description(size: key.size))
        pango_layout_set_width(layout, Int32(key.width * Double(PANGO_SCALE)))
        pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR)
        pango_layout_set_alignment(layout, key.alignment == .left ? PANGO_ALIGN_LEFT
                                   : (key.alignment == .right ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_CENTER))
        pango_layout_set_text(layout, key.text, -1)
        if layouts.count >= capacity { clear() }
        layouts[key] = layout
        return layout
    }

    private func description(size: Double) -> OpaquePointer {
        if let description = descriptions[size] { return description }
        let description = pango_font_description_new()!
        pango_font_description_set_family(description, family)
        pango_font_description_set_absolute_size(description, size * Double(PANGO_SCALE))
        descriptions[size] = description
        return description
    }

    private func clear() {
        for layout in layouts.values { g_object_unref(UnsafeMutableRawPointer(layout)) }
        layouts.removeAll(keepingCapacity: true)
    }
}
