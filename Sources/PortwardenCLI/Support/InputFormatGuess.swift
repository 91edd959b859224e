import PortwardenCore

/// Recognises, from its first bytes, a file given to the wrong importer, so that `import nmap`
/// on a JSON file says what the file looks like instead of the XML tokenizer's first complaint.
enum InputFormatGuess {
    /// What `bytes` look like, with the command that reads them; `nil` when they could be nmap XML
    /// or nothing is recognisable (then the importer's own diagnostics speak).
    static func notNmapXML(_ bytes: [UInt8]) -> String? {
        let head = String(decoding: bytes.prefix(4096), as: UTF8.self)
        let text = head.drop { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\u{FEFF}" }
        if text.hasPrefix("<") {
            if text.contains("<nmaprun") || !text.contains(">") { return nil }
            return "XML without an <nmaprun> element, not nmap's -oX output"
        }
        if text.hasPrefix("{") || text.hasPrefix("[") { return json(String(text)) }
        if text.hasPrefix("# Nmap") || text.hasPrefix("Starting Nmap") || text.hasPrefix("Nmap scan report") {
            return "nmap's normal or grepable output; run nmap with -oX FILE and import that"
        }
        if text.hasPrefix("#masscan") || text.hasPrefix("open tcp") || text.hasPrefix("open udp") {
            return "masscan list output (-oL); import it with `portwarden import masscan`"
        }
        if text.hasPrefix("Netid") || text.hasPrefix("State") || text.hasPrefix("tcp ") || text.hasPrefix("udp ") {
            return "ss output; import it with `portwarden import ss`"
        }
        return nil
    }

    private static func json(_ text: String) -> String {
        if text.contains("\"rec_type\"") || (text.contains("\"ip\"") && text.contains("\"ports\"")) {
            return "JSON from masscan (-oJ); import it with `portwarden import masscan`"
        }
        if text.contains("\"hostIdentifier\"") || text.contains("\"calendarTime\"") {
            return "JSON from osquery; import it with `portwarden import osquery`"
        }
        if text.contains("\"transport\"") && text.contains("\"state\"") {
            return "Portwarden observation lines; evaluate them with `portwarden check --observations`"
        }
        return "JSON, and nmap writes XML (-oX)"
    }
}
