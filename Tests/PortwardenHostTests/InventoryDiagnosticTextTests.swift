import PortwardenCore
import PortwardenHost
import Testing

@Suite("Inventory problems in the diagnostic format")
struct InventoryDiagnosticTextTests {
    @Test func problemsPrintFileLineLevelMessage() {
        let line = Diagnostic.inventory(.malformedLine, file: "/proc/net/tcp", line: 9, message: "malformed line")
        #expect(line.description == "/proc/net/tcp:9: error: malformed line")
        let owners = Diagnostic.inventory(.ownersUnknown, message: "owners unknown for 1 socket (not root?)")
        #expect(owners.description == "portwarden: warning: owners unknown for 1 socket (not root?)")
    }
}
