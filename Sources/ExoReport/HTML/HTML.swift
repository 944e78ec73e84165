import ExoCore

/// Escaping and small builders for hand-written HTML.
///
/// Every text that came from a user file goes
/// through ``HTML/escape(_:)``.
public enum HTML {
    /// Escapes `&`, `<`, `>`, `"` and `'`.
    public static func escape(_ text: String) -> String { text.escapedForMarkup() }

    /// Tables with more rows than this are sortable by a click on a header (``ReportPage/sortScript``).
    public static let sortableRowCount = 20

    /// A table with a header row; cells are escaped, except in `rawColumns` (markup built by ExoScope itself).
    ///
    /// A table of more than ``sortableRowCount`` rows is marked `class="sortable"`, for the page's sort script.
    public static func table(
        header: [String], rows: [[String]], numericColumns: Set<Int> = [], rawColumns: Set<Int> = []
    ) -> String {
        var html = rows.count > sortableRowCount ? "<table class=\"sortable\"><thead><tr>" : "<table><thead><tr>"
        for (index, name) in header.enumerated() {
            html += numericColumns.contains(index) ? "<th class=\"num\">" : "<th>"
            html += escape(name) + "</th>"
        }
        html += "</tr></thead><tbody>"
        for row in rows {
            html += "<tr>"
            for (index, cell) in row.enumerated() {
                html += numericColumns.contains(index) ? "<td class=\"num\">" : "<td>"
                html += (rawColumns.contains(index) ? cell : escape(cell)) + "</td>"
            }
            html += "</tr>"
        }
        return html + "</tbody></table>"
    }
}
