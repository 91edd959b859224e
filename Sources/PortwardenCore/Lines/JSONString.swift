/// The one JSON string quoter: every JSON writer in Portwarden (observation and finding lines,
/// SARIF, reports) escapes text through it, so that all of them agree byte for byte.
public enum JSONString {
    /// Appends `text` as a JSON string literal (with its quotes) to `output`. Quotes, backslashes,
    /// control characters, DEL and the line separators U+2028/U+2029 (which break JavaScript
    /// readers) are escaped; everything else, non-ASCII included, is written as is.
    public static func append(_ text: String, to output: inout String) {
        output.append("\"")
        if isPlain(text) {
            output.append(text)
        } else {
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": output.append("\\\"")
                case "\\": output.append("\\\\")
                case "\n": output.append("\\n")
                case "\r": output.append("\\r")
                case "\t": output.append("\\t")
                case "\u{2028}": output.append("\\u2028")
                case "\u{2029}": output.append("\\u2029")
                case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                    let hex = String(scalar.value, radix: 16)
                    output.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
                default: output.unicodeScalars.append(scalar)
                }
            }
        }
        output.append("\"")
    }

    /// Whether `text` needs no escape: no quote, backslash, control character or DEL, and no U+2028 or U+2029
    /// (E2 80 A8, E2 80 A9 in UTF-8; other characters starting with E2, such as an arrow, are plain).
    private static func isPlain(_ text: String) -> Bool {
        var afterE2 = false
        var afterE280 = false
        for byte in text.utf8 {
            if byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0x7F { return false }
            if afterE280, byte == 0xA8 || byte == 0xA9 { return false }
            afterE280 = afterE2 && byte == 0x80
            afterE2 = byte == 0xE2
        }
        return true
    }

    /// `text` as a JSON string literal.
    public static func quoted(_ text: String) -> String {
        var output = ""
        append(text, to: &output)
        return output
    }
}
