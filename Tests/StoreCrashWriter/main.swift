// A writer for the store's crash test: records scans into the store at the data directory given as the
// first argument, numbering them from the second, and prints `ack N` after each one has committed. The test
// kills it with SIGKILL at a random moment and checks what it left.
import Foundation
import PortwardenCore
import PortwardenStore

let arguments = CommandLine.arguments
guard arguments.count == 3, let start = Int(arguments[2]) else {
    FileHandle.standardError.write(Data("usage: portwarden-store-crash-writer DATA-DIR START\n".utf8))
    exit(2)
}
let directory = arguments[1]
do {
    let location = try StoreLocation.resolve(db: directory + "/portwarden.sqlite", dataDirectory: directory)
    let store = try StoreOpener.open(location)
    let host = IPAddress(ipv4: 0x0A14_010C)
    var number = start
    while true {
        let date = Date()
        // A different set of open ports each time, so that each scan splits and ends many intervals.
        let open = (1...1024).filter { ($0 &* 2_654_435_761 &+ number) % 97 < 3 }.map { UInt16($0) }
        let observations = open.map {
            Observation(
                time: date, host: host, transport: .tcp, port: $0, state: .open, reason: "syn-ack", vantage: "corp")
        }
        var coverage = HostCoverage(host: host, status: .up, reason: "tcp answers")
        for port in UInt16(1)...1024 {
            coverage.record(
                .tcp, port, open.contains(port) ? .open : .closed, reason: open.contains(port) ? "syn-ack" : "rst")
        }
        try store.record(
            ScanEvidence(
                kind: "scan", started: date, finished: date, operatorName: "crash-\(number)", vantage: "corp",
                targets: ["10.20.1.12"], ports: "1-1024", toolVersion: "crash-writer",
                hosts: [coverage], observations: observations))
        FileHandle.standardOutput.write(Data("ack \(number)\n".utf8))
        number += 1
    }
} catch {
    FileHandle.standardError.write(Data("crash writer: \(error)\n".utf8))
    exit(3)
}
