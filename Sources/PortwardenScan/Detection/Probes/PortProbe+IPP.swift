/// IPP on tcp/631 over plain HTTP: a Get-Printer-Attributes request on the IPP Everywhere path, and
/// when no printer is there (CUPS keeps its queues under `/printers/NAME`) CUPS-Get-Default. An IPP
/// response proves an IPP printer or print server reached without TLS; how the printer says its
/// URIs authenticate decides the rules: one that takes requests with no authentication at all
/// (`INS-IPP-ANON`, 8.3.1), a cleartext one that asks a password this connection would carry
/// readably (`INS-IPP-CLEAR`, 8.3.2). No job is sent.
extension PortProbe {
    /// The IPP port.
    static let ippPort: UInt16 = 631

    /// Sends the requests; true when an IPP response came back (the service is IPP).
    mutating func probeIPP(on connection: ProbeConnection) -> Bool {
        let printURI = "ipp://\(hostHeader)\(IPPRequest.printPath)"
        let body = IPPRequest.body(operation: IPPRequest.getPrinterAttributes, printerURI: printURI)
        guard
            let first = ippExchange(
                IPPRequest.http(path: IPPRequest.printPath, host: hostHeader, body: body), on: connection)
        else { return false }
        connection.close()
        result.identify("ipp", software: first.server.flatMap(ProductVersion.httpServer))
        var answer = (response: first.response, operation: "Get-Printer-Attributes")
        if IPPPrinterSecurity(first.response) == nil, let retry = connect() {
            defer { retry.close() }
            let body = IPPRequest.body(operation: IPPRequest.cupsGetDefault, printerURI: "ipp://\(hostHeader)/")
            if let second = ippExchange(IPPRequest.http(path: "/", host: hostHeader, body: body), on: retry) {
                answer = (second.response, "CUPS-Get-Default")
            }
        }
        recordIPP(answer.response, operation: answer.operation)
        return true
    }

    /// Sends one request and reads an HTTP reply whose body is an IPP response; `nil` otherwise.
    private func ippExchange(
        _ request: [UInt8], on connection: ProbeConnection
    ) -> (response: IPPMessage.Response, server: String?)? {
        guard connection.send(request) else { return nil }
        let reply = connection.receive { HTTPResponse.isComplete($0) }
        guard let http = HTTPResponse.parse(reply), http.status == 200,
            http.values("content-type").contains(where: { $0.lowercased().hasPrefix("application/ipp") }),
            case .response(let response) = IPPMessage.parse(http.body)
        else { return nil }
        return (response, http.server)
    }

    /// Records the evidence and both rules' verdicts from the response's printer attributes.
    private mutating func recordIPP(_ response: IPPMessage.Response, operation: String) {
        result.details["ipp.version"] = "\(response.versionMajor).\(response.versionMinor)"
        if let model = response.values("printer-make-and-model").first { result.details["ipp.make-and-model"] = model }
        if let name = response.values("printer-name").first { result.details["ipp.printer-name"] = name }
        let status = "\(operation) answered \(IPPMessage.describe(status: response.statusCode)) over HTTP"
        guard let security = IPPPrinterSecurity(response) else {
            // IPP is proven, how it authenticates is not: both rules stay unjudged.
            result.details["ipp.status"] = status
            return
        }
        result.details["ipp.uri-supported"] = security.describe
        let detail = "\(status): \(security.describe)"
        if let anonymous = security.anonymous {
            result.record(Self.ippAnonymousRule, anonymous ? .confirmed : .notMatched, detail: detail)
        }
        if security.cleartext.isEmpty {
            // Answered in cleartext, yet every URI it names is TLS: offered, enforcement unverified.
            result.record(Self.ippCleartextRule, .tlsAvailable, detail: detail)
        } else if let cleartextCredentials = security.cleartextCredentials {
            result.record(Self.ippCleartextRule, cleartextCredentials ? .confirmed : .notMatched, detail: detail)
        }
    }

    static let ippAnonymousRule = "INS-IPP-ANON"
    static let ippCleartextRule = "INS-IPP-CLEAR"
}
