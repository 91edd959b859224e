import Foundation
import PortwardenCore
import Testing

/// `JSONValue.parse` reads from bytes what the `Decodable` conformance reads through Foundation's
/// decoder, and refuses what is not JSON at the byte where it stops (also a trailing comma, which
/// the decoder lets through).
struct JSONValueParseTests {
    @Test(arguments: [
        #"{"name":"pack_listening_ports","hostIdentifier":"db1","columns":{"port":"5432","pid":"812"}}"#,
        #"{"snapshot":[{"port":"22","address":"0.0.0.0"},{"port":"443"}],"action":"snapshot","epoch":0}"#,
        #"{"a":[1,-2,0,9223372036854775807,-9223372036854775808,1.5,-0.25,1e3,2E-2,12345678901234567890]}"#,
        #"{"t":true,"f":false,"n":null,"e":{},"l":[],"s":"","u":"caf\u00e9 \ud83d\ude00 \"q\" \\ \/ \n\t"}"#,
        #"  [ "x" , { "k" : [ null ] } ]  "#,
        #""just a string""#, "42", "-0", "0.5", "true", "null",
        #"{"dup":1,"dup":2}"#,
        "{\"id.orig_h\":\"fe80::1\",\"id.orig_p\":5353,\"ts\":1700000000.123456}\r",
    ])
    func agreesWithTheDecoder(text: String) throws {
        let parsed = try JSONValue.parse(text.utf8)
        let decoded = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        #expect(parsed == decoded, "\(parsed) vs \(decoded)")
    }

    @Test func numbersAreIntegersOnlyWhenWholeAndInRange() throws {
        #expect(
            try JSONValue.parse("[7,-7,7.0,7e0,7.5,9223372036854775808]".utf8)
                == .array([
                    .integer(7), .integer(-7), .integer(7), .integer(7), .number(7.5),
                    .number(9_223_372_036_854_775_808),
                ]))
        #expect(try JSONValue.parse(#"{"dup":1,"dup":2}"#.utf8) == .object(["dup": .integer(1)]), "the first one wins")
    }

    @Test(arguments: [
        ("", 0, "expected a value"),
        ("{", 1, "expected a key in quotes"),
        (#"{"a" 1}"#, 5, "':' after the key"),
        (#"{"a":1,}"#, 7, "expected a key in quotes"),
        ("[1,2", 4, "',' or ']'"),
        ("[1 2]", 3, "',' or ']'"),
        ("01", 0, "may not start with 0"),
        ("1.", 2, "digits after the decimal point"),
        ("1e+", 3, "digits in the exponent"),
        ("-", 0, "expected a value"),
        ("tru", 0, "expected a value"),
        ("nul", 0, "expected a value"),
        ("{} x", 3, "after the value"),
        (#""unterminated"#, 0, "not closed"),
        ("1e999", 0, "out of range"),
        ("'single'", 0, "expected a value"),
    ])
    func refusalsSayWhere(text: String, offset: Int, message: String) {
        #expect {
            _ = try JSONValue.parse(text.utf8)
        } throws: { error in
            guard let error = error as? JSONValue.ParseError else { return false }
            return error.offset == offset && error.message.contains(message)
        }
    }

    @Test func deepNestingIsRefusedNotOverflowed() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONValue.ParseError.self) { try JSONValue.parse(deep.utf8) }
        let allowed = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(throws: Never.self) { try JSONValue.parse(allowed.utf8) }
    }
}
