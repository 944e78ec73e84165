extension StringProtocol {
    /// The text with `&`, `<`, `>`, `"` and `'` escaped for HTML or XML, and with every character XML 1.0
    /// cannot carry replaced by U+FFFD.
    ///
    /// The text is walked by Unicode scalar, never by `Character`: a grapheme cluster can begin with a prepend
    /// scalar (U+0600 ARABIC NUMBER SIGN) or carry `<` inside an extended cluster, and a per-`Character` switch
    /// would then let the `<` through unescaped. Control characters other than tab, line feed and carriage
    /// return, lone surrogates cannot occur in a Swift string, and U+FFFE / U+FFFF are not allowed in XML 1.0
    /// documents; they become U+FFFD so the output is always well-formed, whether HTML or XML.
    ///
    /// - Parameter apostrophe: the escape for `'`: `&#39;` works in HTML 4 and XML, `&apos;` in XML and HTML5.
    /// - Returns: the escaped text.
    /// - Complexity: O(*n*) in the number of scalars.
    package func escapedForMarkup(apostrophe: String = "&#39;") -> String {
        var result = String.UnicodeScalarView()
        let utf8Count = utf8.count
        result.reserveCapacity(utf8Count + utf8Count / 8)
        for scalar in unicodeScalars {
            switch scalar {
            case "&": result.append(contentsOf: "&amp;".unicodeScalars)
            case "<": result.append(contentsOf: "&lt;".unicodeScalars)
            case ">": result.append(contentsOf: "&gt;".unicodeScalars)
            case "\"": result.append(contentsOf: "&quot;".unicodeScalars)
            case "'": result.append(contentsOf: apostrophe.unicodeScalars)
            case "\t", "\n", "\r": result.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    result.append("\u{FFFD}")
                } else {
                    result.append(scalar)
                }
            }
        }
        return String(result)
    }
}
