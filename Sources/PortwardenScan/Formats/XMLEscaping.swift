import PortwardenCore

/// Escaping for the XML that ``NmapXMLWriter`` produces.
enum XMLEscaping {
    /// Escapes text for a double-quoted attribute value: `& < > " '` as entities, tab/LF/CR as
    /// character references (so that they survive attribute normalisation), and the control
    /// characters XML 1.0 cannot carry at all as the visible text `\xHH`.
    static func attribute(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t": out += "&#9;"
            case "\n": out += "&#10;"
            case "\r": out += "&#13;"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    out += hexEscape(scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// Makes text safe inside `<!-- … -->`: XML forbids `--` there, so, like nmap, every second
    /// hyphen of a pair is written `&#45;` (a reader shows it literally); control characters become
    /// `\xHH`, and a trailing hyphen is kept away from the closing `-->`.
    static func comment(_ text: String) -> String {
        var out = ""
        var previousHyphen = false
        for scalar in text.unicodeScalars {
            if scalar == "-", previousHyphen {
                out += "&#45;"
                previousHyphen = false
                continue
            }
            previousHyphen = scalar == "-"
            if scalar.value < 0x20 || scalar.value == 0x7F {
                out += hexEscape(scalar.value)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        if previousHyphen { out += " " }
        return out
    }

    private static func hexEscape(_ value: UInt32) -> String {
        let digits = Array("0123456789abcdef")
        if value > 0xFF { return "\\u" + String(value, radix: 16) }
        return "\\x" + String(digits[Int(value >> 4)]) + String(digits[Int(value & 0xF)])
    }
}
