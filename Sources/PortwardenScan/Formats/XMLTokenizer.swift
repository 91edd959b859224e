import PortwardenCore

/// A small pull tokenizer for the XML that scanners write, working on bytes with line and column
/// tracking, and no dependency on libxml2 or FoundationXML.
///
/// It reports elements, attributes (entities decoded: the five predefined ones and `&#NN;` /
/// `&#xHH;`) and text; it skips comments, processing instructions and the DOCTYPE declaration
/// (with an internal subset). It checks that end tags match and that there is one root element.
/// It keeps only the stack of open element names, so memory stays bounded by ``XMLLimits`` whatever
/// the input, and it never expands user-defined entities (no "billion laughs").
struct XMLTokenizer {
    let bytes: [UInt8]
    let limits: XMLLimits
    private(set) var index = 0
    private(set) var line = 1
    private(set) var column = 1
    /// The elements opened and not yet closed, outermost first.
    private(set) var openElements: [(name: String, location: XMLLocation)] = []
    private var pendingEnd: (name: String, location: XMLLocation)?
    private var sawRoot = false

    init(bytes: [UInt8], limits: XMLLimits = .standard) {
        self.bytes = bytes
        self.limits = limits
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }  // a UTF-8 byte order mark
    }

    /// The current position.
    var location: XMLLocation { XMLLocation(line: line, column: column) }

    /// The next event, or `nil` at the end of a complete document.
    /// - Throws: ``XMLSyntaxError`` at the first syntax error, truncation or exceeded limit.
    mutating func next() throws(XMLSyntaxError) -> XMLEvent? {
        if let end = pendingEnd {
            pendingEnd = nil
            openElements.removeLast()
            return .end(name: end.name, location: end.location)
        }
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "<") {
                if let event = try markup() { return event }
            } else if let event = try text() {
                return event
            }
        }
        if let open = openElements.last {
            throw fail(
                .truncated, at: location,
                "the document ends while <\(open.name)> (opened at \(open.location)) is still open")
        }
        if !sawRoot { throw fail(.truncated, at: location, "the document has no root element") }
        return nil
    }

    // MARK: - Markup

    private mutating func markup() throws(XMLSyntaxError) -> XMLEvent? {
        let start = location
        if hasPrefix("<?") {
            try skip(past: "?>", what: "processing instruction", from: start)
            return nil
        }
        if hasPrefix("<!--") {
            try skip(past: "-->", what: "comment", from: start)
            return nil
        }
        if hasPrefix("<![CDATA[") {
            guard !openElements.isEmpty else { throw fail(.malformed, at: start, "CDATA outside the root element") }
            let contentStart = index + 9
            try skip(past: "]]>", what: "CDATA section", from: start)
            let content = bytes[contentStart..<(index - 3)]
            return .text(String(decoding: content, as: UTF8.self), location: start)
        }
        if hasPrefix("<!") {
            guard !sawRoot else { throw fail(.malformed, at: start, "a declaration after the root element started") }
            try skipDeclaration(from: start)
            return nil
        }
        if hasPrefix("</") { return try endTag(from: start) }
        return try startTag(from: start)
    }

    private mutating func startTag(from start: XMLLocation) throws(XMLSyntaxError) -> XMLEvent? {
        advance()  // <
        let name = try readName(what: "element name")
        var attributes: [XMLAttribute] = []
        var selfClosing = false
        while true {
            let hadSpace = skipWhitespace()
            guard index < bytes.count else {
                throw fail(.truncated, at: location, "the document ends inside the start tag of <\(name)>")
            }
            if bytes[index] == UInt8(ascii: ">") {
                advance()
                break
            }
            if bytes[index] == UInt8(ascii: "/") {
                advance()
                guard index < bytes.count else {
                    throw fail(.truncated, at: location, "the document ends inside the start tag of <\(name)>")
                }
                guard bytes[index] == UInt8(ascii: ">") else {
                    throw fail(.malformed, at: location, "expected \">\" after \"/\" in <\(name)>")
                }
                advance()
                selfClosing = true
                break
            }
            guard hadSpace else { throw fail(.malformed, at: location, "expected whitespace between attributes") }
            let attribute = try readAttribute(in: name)
            guard !attributes.contains(where: { $0.name == attribute.name }) else {
                throw fail(.malformed, at: location, "attribute \"\(attribute.name)\" appears twice on <\(name)>")
            }
            guard attributes.count < limits.maxAttributes else {
                throw fail(.limitExceeded, at: location, "<\(name)> has more than \(limits.maxAttributes) attributes")
            }
            attributes.append(attribute)
        }
        try open(name, at: start)
        if selfClosing { pendingEnd = (name, start) }
        return .start(name: name, attributes: attributes, location: start)
    }

    private mutating func open(_ name: String, at start: XMLLocation) throws(XMLSyntaxError) {
        if openElements.isEmpty, sawRoot {
            throw fail(.malformed, at: start, "a second root element <\(name)> after the document ended")
        }
        guard openElements.count < limits.maxDepth else {
            throw fail(.limitExceeded, at: start, "elements nest deeper than \(limits.maxDepth) levels")
        }
        sawRoot = true
        openElements.append((name, start))
    }

    private mutating func endTag(from start: XMLLocation) throws(XMLSyntaxError) -> XMLEvent {
        advance()
        advance()  // </
        let name = try readName(what: "end tag name")
        skipWhitespace()
        guard index < bytes.count else {
            throw fail(.truncated, at: location, "the document ends inside the end tag </\(name)>")
        }
        guard bytes[index] == UInt8(ascii: ">") else {
            throw fail(.malformed, at: location, "expected \">\" to close </\(name)>")
        }
        advance()
        guard let open = openElements.last else {
            throw fail(.malformed, at: start, "</\(name)> closes an element that was never opened")
        }
        guard open.name == name else {
            throw fail(.malformed, at: start, "</\(name)> does not match <\(open.name)> opened at \(open.location)")
        }
        openElements.removeLast()
        return .end(name: name, location: start)
    }

    private mutating func readAttribute(in element: String) throws(XMLSyntaxError) -> XMLAttribute {
        let name = try readName(what: "attribute name")
        skipWhitespace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "=") else {
            throw fail(index < bytes.count ? .malformed : .truncated, at: location, "expected \"=\" after \(name)")
        }
        advance()
        skipWhitespace()
        guard index < bytes.count else { throw fail(.truncated, at: location, "the document ends before a value") }
        let quote = bytes[index]
        guard quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else {
            throw fail(.malformed, at: location, "the value of \(name) on <\(element)> is not quoted")
        }
        advance()
        let valueStart = index
        let valueLocation = location
        while index < bytes.count, bytes[index] != quote {
            guard bytes[index] != UInt8(ascii: "<") else {
                throw fail(.malformed, at: location, "\"<\" inside the value of \(name) on <\(element)>")
            }
            guard index - valueStart < limits.maxValueBytes else {
                throw fail(
                    .limitExceeded, at: valueLocation, "the value of \(name) is over \(limits.maxValueBytes) bytes")
            }
            advance()
        }
        guard index < bytes.count else {
            throw fail(.truncated, at: valueLocation, "the value of \(name) on <\(element)> is never closed")
        }
        let raw = bytes[valueStart..<index]
        advance()  // closing quote
        let value = try Self.decode(raw, at: valueLocation, normalizingWhitespace: true)
        return XMLAttribute(name: name, value: value)
    }

    // MARK: - Text

    private mutating func text() throws(XMLSyntaxError) -> XMLEvent? {
        let start = location
        let first = index
        var blank = true
        while index < bytes.count, bytes[index] != UInt8(ascii: "<") {
            if !Self.isWhitespace(bytes[index]) { blank = false }
            guard index - first < limits.maxValueBytes else {
                throw fail(.limitExceeded, at: start, "a run of text is over \(limits.maxValueBytes) bytes")
            }
            advance()
        }
        if blank { return nil }
        guard !openElements.isEmpty else {
            throw fail(.malformed, at: start, "text outside the root element")
        }
        return .text(try Self.decode(bytes[first..<index], at: start, normalizingWhitespace: false), location: start)
    }
}

// MARK: - Scanning primitives

extension XMLTokenizer {
    private mutating func advance() {
        if bytes[index] == UInt8(ascii: "\n") {
            line += 1
            column = 1
        } else {
            column += 1
        }
        index += 1
    }

    private func hasPrefix(_ prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard index + count <= bytes.count else {
            // A prefix cut off by the end of input still counts, so that truncation is reported as such.
            let available = bytes.count - index
            return available > 1
                && (0..<available).allSatisfy { bytes[index + $0] == prefix.utf8Start[$0] }
        }
        for offset in 0..<count where bytes[index + offset] != prefix.utf8Start[offset] { return false }
        return true
    }

    /// Moves past the next occurrence of `terminator`.
    private mutating func skip(
        past terminator: StaticString, what: String, from start: XMLLocation
    )
        throws(XMLSyntaxError)
    {
        let first = index
        let count = terminator.utf8CodeUnitCount
        while index < bytes.count {
            if index - first > limits.maxMarkupBytes {
                throw fail(.limitExceeded, at: start, "a \(what) is over \(limits.maxMarkupBytes) bytes")
            }
            if index - first >= 2, hasPrefix(terminator), index + count <= bytes.count {
                for _ in 0..<count { advance() }
                return
            }
            advance()
        }
        throw fail(.truncated, at: start, "the document ends inside a \(what)")
    }

    /// Skips `<!DOCTYPE …>` including an internal subset in brackets and quoted literals.
    private mutating func skipDeclaration(from start: XMLLocation) throws(XMLSyntaxError) {
        let first = index
        var depth = 0
        var quote: UInt8? = nil
        advance()
        while index < bytes.count {
            guard index - first <= limits.maxMarkupBytes else {
                throw fail(.limitExceeded, at: start, "a declaration is over \(limits.maxMarkupBytes) bytes")
            }
            let byte = bytes[index]
            advance()
            if let q = quote {
                if byte == q { quote = nil }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
            } else if byte == UInt8(ascii: "[") {
                depth += 1
            } else if byte == UInt8(ascii: "]") {
                depth -= 1
            } else if byte == UInt8(ascii: ">"), depth <= 0 {
                return
            }
        }
        throw fail(.truncated, at: start, "the document ends inside a declaration")
    }

    private mutating func readName(what: String) throws(XMLSyntaxError) -> String {
        let first = index
        let start = location
        while index < bytes.count, Self.isNameByte(bytes[index], first: index == first) {
            guard index - first < limits.maxNameBytes else {
                throw fail(.limitExceeded, at: start, "a name is over \(limits.maxNameBytes) bytes")
            }
            advance()
        }
        guard index > first else {
            if index >= bytes.count { throw fail(.truncated, at: start, "the document ends where a \(what) should be") }
            let shown =
                bytes[index] >= 0x20 && bytes[index] < 0x7F
                ? "\"\(Character(UnicodeScalar(bytes[index])))\"" : "a control byte"
            throw fail(.malformed, at: start, "expected a \(what), found \(shown)")
        }
        return String(decoding: bytes[first..<index], as: UTF8.self)
    }

    @discardableResult
    private mutating func skipWhitespace() -> Bool {
        let first = index
        while index < bytes.count, Self.isWhitespace(bytes[index]) { advance() }
        return index > first
    }

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    static func isNameByte(_ byte: UInt8, first: Bool) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"),
            UInt8(ascii: ":"), 0x80...0xFF:
            return true
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."):
            return !first
        default:
            return false
        }
    }

    func fail(_ code: XMLSyntaxError.Code, at location: XMLLocation, _ message: String) -> XMLSyntaxError {
        XMLSyntaxError(code: code, location: location, message: message)
    }
}
