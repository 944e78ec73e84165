extension StringProtocol {
    /// The text with every control and bidirectional-override character written as a visible escape, for
    /// messages printed to a terminal.
    ///
    /// A value read from a user's file may hold ESC sequences that recolour or clear the terminal, a carriage
    /// return that overwrites the line, or bidirectional overrides (U+202A–U+202E, U+2066–U+2069) that show
    /// text in another order than it is stored. Each becomes `\u{…}` (a tab `\t`, a line feed `\n`, a carriage
    /// return `\r`), so the message shows exactly what is in the file and cannot act on the terminal.
    ///
    /// - Parameter keepingNewlines: keep line feeds as they are (for multi-line messages whose line breaks are
    ///   ExoScope's own).
    /// - Returns: the escaped text; the text itself when there is nothing to escape.
    /// - Complexity: O(*n*) in the number of scalars.
    package func escapingControlCharacters(keepingNewlines: Bool = false) -> String {
        guard unicodeScalars.contains(where: { $0.needsEscapeInMessages(keepingNewlines: keepingNewlines) }) else {
            return String(self)
        }
        var result = ""
        for scalar in unicodeScalars {
            guard scalar.needsEscapeInMessages(keepingNewlines: keepingNewlines) else {
                result.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\t": result += "\\t"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            default: result += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            }
        }
        return result
    }
}

extension Unicode.Scalar {
    /// C0 and C1 controls, DEL, and the bidirectional embedding, override and isolate characters.
    fileprivate func needsEscapeInMessages(keepingNewlines: Bool) -> Bool {
        switch value {
        case 0x0A: return !keepingNewlines
        case 0x00...0x1F, 0x7F...0x9F, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }
}
