import Testing

@testable import PortwardenCore

@Suite struct JSONStringTests {
    @Test(arguments: [
        ("plain", "\"plain\""),
        ("tcp 10.0.0.1:22 → 10.20.1.10:5432", "\"tcp 10.0.0.1:22 → 10.20.1.10:5432\""),
        ("a\"b\\c", "\"a\\\"b\\\\c\""),
        ("line\nfeed\ttab\r", "\"line\\nfeed\\ttab\\r\""),
        ("\u{01}\u{7F}", "\"\\u0001\\u007f\""),
        ("sep\u{2028}para\u{2029}", "\"sep\\u2028para\\u2029\""),
        // U+2020 (E2 80 A0) and U+20A8 (E2 82 A8) share bytes with U+2028 but are written as they are.
        ("\u{2020}\u{20A8}", "\"\u{2020}\u{20A8}\""),
        ("→\u{2028}", "\"→\\u2028\""),
        ("été", "\"été\""),
    ])
    func quotes(_ text: String, _ expected: String) {
        #expect(JSONString.quoted(text) == expected)
    }
}
