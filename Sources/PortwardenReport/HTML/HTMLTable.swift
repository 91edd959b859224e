import PortwardenCore

/// An accessible HTML table: a caption, column headers with `scope="col"`, and rows of cells
/// whose content is already escaped markup.
struct HTMLTable {
    /// One cell: escaped markup and an optional class.
    struct Cell {
        var html: String
        var className: String?

        /// A cell showing `text`, HTML-escaped.
        static func text(_ text: String, _ className: String? = nil) -> Cell {
            Cell(html: MarkupEscaping.html(text), className: className)
        }

        /// A cell showing `text`, or a highlighted "missing" when it is absent or blank.
        static func required(_ text: String?) -> Cell {
            guard let text, !text.trimmingSpaces.isEmpty else { return Cell(html: "missing", className: "missing") }
            return .text(text)
        }
    }

    var caption: String
    var headers: [String]
    var rows: [[Cell]]
    /// What to say instead of an empty table.
    var emptyText: String

    var html: String {
        guard !rows.isEmpty else { return "<p class=\"note\">\(MarkupEscaping.html(emptyText))</p>\n" }
        var out = "<table>\n<caption>\(MarkupEscaping.html(caption))</caption>\n<thead><tr>"
        for header in headers { out += "<th scope=\"col\">\(MarkupEscaping.html(header))</th>" }
        out += "</tr></thead>\n<tbody>\n"
        for row in rows {
            out += "<tr>"
            for cell in row {
                let attribute = cell.className.map { " class=\"\(MarkupEscaping.html($0))\"" } ?? ""
                out += "<td\(attribute)>\(cell.html)</td>"
            }
            out += "</tr>\n"
        }
        out += "</tbody>\n</table>\n"
        return out
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and newlines.
    var trimmingSpaces: Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return self[first...last]
    }
}
