import Testing

@testable import PortwardenScan

/// IPP bodies captured from Debian's cupsd 2.4.2 in a network namespace (`DetectionLab+Printing.swift`):
/// its reply to the probe's Get-Printer-Attributes on /ipp/print (no such printer), to
/// CUPS-Get-Default with the lab's raw queue, and to CUPS-Get-Default with a policy that requires
/// Basic authentication for job operations.
@Suite("IPP request and response bytes")
struct IPPMessageTests {
    static let bytes = DNSZoneTransferTests.bytes

    /// The request bodies the probe sent when the replies below were captured.
    static let printRequest = bytes(
        "0101000b0000000101470012617474726962757465732d6368617273657400057574662d3848001b6174747269627574"
            + "65732d6e61747572616c2d6c616e67756167650002656e45000b7072696e7465722d757269001d6970703a2f2f313237"
            + "2e302e302e313a3633312f6970702f7072696e744400147265717565737465642d617474726962757465730015707269"
            + "6e7465722d7572692d737570706f7274656444000000167572692d73656375726974792d737570706f72746564440000"
            + "001c7572692d61757468656e7469636174696f6e2d737570706f7274656444000000167072696e7465722d6d616b652d"
            + "616e642d6d6f64656c440000000c7072696e7465722d6e616d65440000000d7072696e7465722d737461746503")
    static let defaultRequest = bytes(
        "010140010000000101470012617474726962757465732d6368617273657400057574662d3848001b6174747269627574"
            + "65732d6e61747572616c2d6c616e67756167650002656e45000b7072696e7465722d75726900146970703a2f2f313237"
            + "2e302e302e313a3633312f4400147265717565737465642d6174747269627574657300157072696e7465722d7572692d"
            + "737570706f7274656444000000167572692d73656375726974792d737570706f72746564440000001c7572692d617574"
            + "68656e7469636174696f6e2d737570706f7274656444000000167072696e7465722d6d616b652d616e642d6d6f64656c"
            + "440000000c7072696e7465722d6e616d65440000000d7072696e7465722d737461746503")
    /// client-error-not-found, with a status-message.
    static let notFoundReply = bytes(
        "010104060000000101470012617474726962757465732d6368617273657400057574662d3848001b6174747269627574"
            + "65732d6e61747572616c2d6c616e67756167650002656e41000e7374617475732d6d6573736167650024546865207072"
            + "696e746572206f7220636c61737320646f6573206e6f742065786973742e03")
    /// successful-ok: ipp://127.0.0.1:631/printers/lab, security none, authentication requesting-user-name.
    static let defaultReply = bytes(
        "010100000000000101470012617474726962757465732d6368617273657400057574662d3848001b6174747269627574"
            + "65732d6e61747572616c2d6c616e67756167650002656e0423000d7072696e7465722d73746174650004000000034500"
            + "157072696e7465722d7572692d737570706f7274656400206970703a2f2f3132372e302e302e313a3633312f7072696e"
            + "746572732f6c61624400167572692d73656375726974792d737570706f7274656400046e6f6e6544001c7572692d6175"
            + "7468656e7469636174696f6e2d737570706f72746564001472657175657374696e672d757365722d6e616d6542000c70"
            + "72696e7465722d6e616d6500036c61624100167072696e7465722d6d616b652d616e642d6d6f64656c00114c6f63616c"
            + "20526177205072696e74657203")
    /// successful-ok: ipp://localhost:631/printers/lab, security none, authentication basic.
    static let basicReply = bytes(
        "010100000000000101470012617474726962757465732d6368617273657400057574662d3848001b6174747269627574"
            + "65732d6e61747572616c2d6c616e67756167650002656e0423000d7072696e7465722d73746174650004000000034500"
            + "157072696e7465722d7572692d737570706f7274656400206970703a2f2f6c6f63616c686f73743a3633312f7072696e"
            + "746572732f6c61624400167572692d73656375726974792d737570706f7274656400046e6f6e6544001c7572692d6175"
            + "7468656e7469636174696f6e2d737570706f727465640005626173696342000c7072696e7465722d6e616d6500036c61"
            + "624100167072696e7465722d6d616b652d616e642d6d6f64656c00114c6f63616c20526177205072696e74657203")

    @Test func requestsAreTheOnesCupsdAnswered() {
        #expect(
            IPPRequest.body(operation: IPPRequest.getPrinterAttributes, printerURI: "ipp://127.0.0.1:631/ipp/print")
                == Self.printRequest)
        #expect(
            IPPRequest.body(operation: IPPRequest.cupsGetDefault, printerURI: "ipp://127.0.0.1:631/")
                == Self.defaultRequest)
        let http = IPPRequest.http(path: "/", host: "127.0.0.1:631", body: Self.defaultRequest)
        let head =
            "POST / HTTP/1.0\r\nHost: 127.0.0.1:631\r\nUser-Agent: portwarden\r\n"
            + "Content-Type: application/ipp\r\nContent-Length: 276\r\n\r\n"
        #expect(http == Array(head.utf8) + Self.defaultRequest)
    }

    /// The probe's own requests read as IPP messages too (an operation id where a response has its
    /// status code): the encoder and the parser agree.
    @Test func requestsParse() throws {
        guard case .response(let request) = IPPMessage.parse(Self.defaultRequest) else {
            Issue.record("the request does not parse")
            return
        }
        #expect(request.statusCode == IPPRequest.cupsGetDefault)
        #expect(request.values("requested-attributes") == IPPRequest.requestedAttributes)
    }

    @Test func cupsdsDefaultDestinationIsRead() throws {
        guard case .response(let response) = IPPMessage.parse(Self.defaultReply) else {
            Issue.record("the reply does not parse")
            return
        }
        #expect(response.versionMajor == 1 && response.versionMinor == 1)
        #expect(response.statusCode == 0 && response.requestID == IPPRequest.requestID)
        #expect(response.values("printer-state") == ["3"])
        #expect(response.values("printer-make-and-model") == ["Local Raw Printer"])
        #expect(response.attributes.filter { $0.group == IPPMessage.printerGroup }.count == 6)
        let security = try #require(IPPPrinterSecurity(response))
        #expect(
            security.endpoints == [
                .init(
                    uri: "ipp://127.0.0.1:631/printers/lab", security: "none", authentication: "requesting-user-name")
            ])
        #expect(security.anonymous == true)
        #expect(security.cleartextCredentials == false)
    }

    @Test func basicAuthenticationIsACleartextPassword() throws {
        guard case .response(let response) = IPPMessage.parse(Self.basicReply) else {
            Issue.record("the reply does not parse")
            return
        }
        let security = try #require(IPPPrinterSecurity(response))
        #expect(security.cleartext.map(\.authentication) == ["basic"])
        #expect(security.anonymous == false)
        #expect(security.cleartextCredentials == true)
    }

    @Test func notFoundIsIPPWithoutPrinterURIs() {
        guard case .response(let response) = IPPMessage.parse(Self.notFoundReply) else {
            Issue.record("the reply does not parse")
            return
        }
        #expect(IPPMessage.describe(status: response.statusCode) == "client-error-not-found")
        #expect(response.values("status-message") == ["The printer or class does not exist."])
        #expect(IPPPrinterSecurity(response) == nil)
    }

    /// Nothing is decided before the end-of-attributes tag; what follows it (document data) is
    /// not read.
    @Test(arguments: [defaultReply, basicReply, notFoundReply])
    func everyPrefixIsIncomplete(reply: [UInt8]) {
        for length in 0..<reply.count {
            #expect(IPPMessage.parse(Array(reply.prefix(length))) == .incomplete, "\(length)")
        }
        #expect(IPPMessage.parse(reply + Array("%!PS".utf8)) == IPPMessage.parse(reply))
    }

    /// A printer that names only TLS URIs answered in cleartext: no cleartext URI, so no cleartext
    /// credential verdict (the probe reports TLS as available); authentication none on its TLS URI
    /// is still no authentication at all.
    @Test func tlsOnlyURIsAreNoCleartextEndpoint() throws {
        var response = IPPMessage.Response(
            versionMajor: 2, versionMinor: 0, statusCode: 0, requestID: 1, attributes: [])
        response.attributes = [
            .init(group: 4, name: "printer-uri-supported", valueTag: 0x45, values: ["ipps://printer/ipp/print"]),
            .init(group: 4, name: "uri-security-supported", valueTag: 0x44, values: ["tls"]),
            .init(group: 4, name: "uri-authentication-supported", valueTag: 0x44, values: ["none"]),
        ]
        let security = try #require(IPPPrinterSecurity(response))
        #expect(security.cleartext.isEmpty)
        #expect(security.cleartextCredentials == nil)
        #expect(security.anonymous == true)
    }

    @Test(arguments: [
        (Array("HTTP/1.0 404 Not Found\r\n".utf8), 0, "version 72 is no IPP version (1.x or 2.x)"),
        ([0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x45, 0x00], 8, "value tag 0x45 before any attribute group"),
        ([0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x01, 0x00], 9, "reserved delimiter tag 0x00"),
        (
            [0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x04, 0x44, 0x00, 0x00, 0x00, 0x01, 0x61], 9,
            "an additional value with no attribute before it"
        ),
        ([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28], 0, "version 21 is no IPP version (1.x or 2.x)"),
    ])
    func refusalsNameTheOffset(bytes: [UInt8], offset: Int, reason: String) {
        #expect(IPPMessage.parse(bytes) == .refused(IPPMessage.Refusal(offset: offset, reason: reason)))
        #expect(IPPMessage.parse(bytes + [0x03]) == IPPMessage.parse(bytes), "a longer input undid the refusal")
    }
}

/// LPD answers captured from Debian's BSD lpd (lpr 2008.05.17.3) in a network namespace, to the
/// probe's `0x03 lp LF`: the lab's queue, a host not in `hosts.lpd`, and a queue it does not have.
@Suite("LPD queue-state bytes")
struct LPDQueueStateTests {
    static let queueState = Array("no entries\n".utf8)
    static let hostRefused = Array("vm: lpd: Your host does not have line printer access\n".utf8)
    static let unknownQueue = Array("vm: lpd: lp: unknown printer\n".utf8)

    @Test func commandIsTheShortQueueState() {
        #expect(LPDQueueState.command == [0x03, 0x6C, 0x70, 0x0A])
    }

    @Test(arguments: [
        (queueState, "queue state of \"lp\" answered: \"no entries\""),
        (
            hostRefused,
            "queue state of \"lp\" refused to this host: \"vm: lpd: Your host does not have line printer access\""
        ),
        (unknownQueue, "queue state of \"lp\": no such queue: \"vm: lpd: lp: unknown printer\""),
    ])
    func lpdAnswersAreRead(answer: [UInt8], description: String) throws {
        guard case .answer(let lines) = LPDQueueState.parse(answer, closed: true) else {
            Issue.record("not read as an answer")
            return
        }
        #expect(LPDQueueState.describe(lines) == description)
        // The answer is whole only once lpd has closed: before that, every prefix is incomplete.
        for length in 0...answer.count {
            #expect(LPDQueueState.parse(Array(answer.prefix(length)), closed: false) == .incomplete, "\(length)")
        }
    }

    @Test func longerAnswersKeepTheirLines() {
        let answer = Array("lp is ready and printing\r\nRank   Owner\tJob\n\nactive root 1 report\n".utf8)
        #expect(
            LPDQueueState.parse(answer, closed: true)
                == .answer(["lp is ready and printing", "Rank   OwnerJob", "active root 1 report"]))
    }

    @Test(arguments: [
        (Array("HTTP/1.0 404 Not Found\r\n".utf8), false, 1, 1, "an HTTP status line"),
        (Array("HTTP/".utf8), false, 1, 1, "an HTTP status line"),
        (Array("-ERR unknown command\r\n".utf8), false, 1, 1, "a Redis error"),
        (Array("500 Syntax error\r\n".utf8), false, 1, 1, "a numeric reply code line"),
        (Array("no entries\nab\u{01}".utf8), false, 2, 3, "byte 0x01 is no text"),
        ([0x15, 0x03, 0x03], false, 1, 1, "byte 0x15 is no text"),
        (Array("no\rentries\n".utf8), false, 1, 3, "a carriage return inside a line"),
        ([], true, 1, 1, "the connection closed with no answer"),
        (Array("no entries".utf8), true, 1, 11, "the answer does not end with a line feed"),
        (Array("\n\r\n".utf8), true, 1, 1, "the answer holds no text"),
    ])
    func refusalsNameLineAndColumn(bytes: [UInt8], closed: Bool, line: Int, column: Int, reason: String) {
        let expected = LPDQueueState.refused(.init(line: line, column: column, reason: reason))
        #expect(LPDQueueState.parse(bytes, closed: closed) == expected)
    }
}
