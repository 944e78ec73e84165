/// Estimated widths of plot text, so that the plots can make room for their labels before a browser lays them out.
///
/// Definition: the sum of the advance widths of the text's scalars in DejaVu Sans (regular; bold × 1.12), in em,
/// times the font size. DejaVu Sans is what `sans-serif` and `system-ui` resolve to on Debian and among the widest
/// common sans-serif faces (Helvetica, Arial, Segoe UI and San Francisco are narrower), so the estimate errs on the
/// side of room. The widths were measured in Chromium with `CanvasRenderingContext2D.measureText` at 1000 px.
/// Complexity: O(n) in the text's scalars.
enum TextWidth {
    /// Advance widths of ASCII 32…126 in thousandths of an em.
    private static let ascii: [Int] = [
        318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636, 636, 636,
        636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656,
        557, 863, 748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838, 500, 500, 613,
        635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818,
        592, 592, 525, 636, 337, 636, 838,
    ]

    /// Advance widths of the non-ASCII scalars the reports write, in thousandths of an em.
    private static let other: [Unicode.Scalar: Int] = [
        "−": 838, "µ": 636, "…": 1000, "–": 500, "—": 1000, "×": 838, "±": 838, "≥": 838, "≤": 838, "·": 318,
        "Δ": 684, "α": 659, "λ": 592, "ρ": 635, "σ": 634, "χ": 578, "Σ": 632, "’": 318, "→": 838, "°": 500, "√": 637,
    ]

    /// The estimated width in pixels of `text` at `fontSize` pixels.
    static func of(_ text: String, fontSize: Double, bold: Bool = false) -> Double {
        var thousandths = 0
        for scalar in text.unicodeScalars {
            if (32...126).contains(scalar.value) {
                thousandths += ascii[Int(scalar.value) - 32]
            } else if let width = other[scalar] {
                thousandths += width
            } else if (0x2070...0x209F).contains(scalar.value) || [0xB2, 0xB3, 0xB9].contains(scalar.value) {
                thousandths += 401  // superscript and subscript digits
            } else {
                thousandths += 1000  // anything else: a full em, to be safe
            }
        }
        return Double(thousandths) / 1000 * fontSize * (bold ? 1.12 : 1)
    }

    /// The widest of `texts` at `fontSize`, 0 for none.
    static func widest(_ texts: [String], fontSize: Double, bold: Bool = false) -> Double {
        texts.map { of($0, fontSize: fontSize, bold: bold) }.max() ?? 0
    }
}
