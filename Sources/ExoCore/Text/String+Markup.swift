extension StringProtocol {
    /// The text with `&`, `<`, `>`, `"` and `'` escaped for HTML or XML.
    ///
    /// - Parameter apostrophe: the escape for `'`: `&#39;` works in HTML 4 and XML, `&apos;` in XML and HTML5.
    /// - Returns: the escaped text.
    package func escapedForMarkup(apostrophe: String = "&#39;") -> String {
        var result = ""
        result.reserveCapacity(utf8.count)
        for character in self {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += apostrophe
            default: result.append(character)
            }
        }
        return result
    }
}
