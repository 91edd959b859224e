import Foundation
import PortwardenCore
import Testing

@Suite("IP addresses and prefixes")
struct AddressTests {
    @Test(arguments: [
        ("10.20.1.10", "10.20.1.10"), ("0.0.0.0", "0.0.0.0"), ("255.255.255.255", "255.255.255.255"),
        ("::1", "::1"), ("::", "::"), ("2001:DB8::1", "2001:db8::1"), ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
        ("fe80::1:2:3:4", "fe80::1:2:3:4"), ("::ffff:10.0.0.1", "::ffff:a00:1"), ("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"),
        ("[::1]", "::1"), ("2001:db8::", "2001:db8::"),
    ])
    func parsesAndPrintsCanonically(input: String, canonical: String) throws {
        let address = try #require(IPAddress(input))
        #expect(address.description == canonical)
        #expect(IPAddress(address.description) == address)
    }

    @Test(arguments: [
        "", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.4 ", "a.b.c.d", ":::", "1::2::3", "1:2:3:4:5:6:7:8:9",
        "12345::", "::g", "1:", ":1", "example", "10.0.0.0/8",
    ])
    func rejectsGarbage(input: String) {
        #expect(IPAddress(input) == nil)
    }

    @Test func ipv4AndMappedIPv6AreDistinct() throws {
        let v4 = try #require(IPAddress("10.0.0.1"))
        let mapped = try #require(IPAddress("::ffff:10.0.0.1"))
        #expect(v4 != mapped)
        #expect(v4 < mapped)
        #expect(try #require(IPAddress("127.8.9.1")).isLoopback)
        #expect(try #require(IPAddress("::1")).isLoopback)
        #expect(!(try #require(IPAddress("::2")).isLoopback))
    }

    @Test func prefixesClearHostBitsAndContain() throws {
        let parsed = try #require(Prefix.parse("10.20.1.7/24"))
        #expect(parsed.prefix.description == "10.20.1.0/24")
        #expect(parsed.hadHostBits)
        #expect(Prefix.parse("10.20.1.0/24")?.hadHostBits == false)
        let p = parsed.prefix
        #expect(p.contains(try #require(IPAddress("10.20.1.255"))))
        #expect(!p.contains(try #require(IPAddress("10.20.2.0"))))
        #expect(!p.contains(try #require(IPAddress("::ffff:10.20.1.1"))))
        let all = try #require(Prefix("0.0.0.0/0"))
        #expect(all.contains(try #require(IPAddress("255.255.255.255"))))
        let v6all = try #require(Prefix("::/0"))
        #expect(v6all.contains(try #require(IPAddress("ffff::1"))))
        #expect(try #require(Prefix("2001:db8::/32")).overlaps(try #require(Prefix("2001:db8:1::/48"))))
        #expect(!(try #require(Prefix("10.0.0.0/9")).overlaps(try #require(Prefix("10.128.0.0/9")))))
        #expect(Prefix("10.0.0.0/33") == nil)
        #expect(Prefix("::/129") == nil)
        #expect(Prefix("10.0.0.0/") == nil)
        #expect(Prefix("10.0.0.0/-1") == nil)
        #expect(try #require(Prefix("10.0.0.5")).length == 32)
    }

    @Test func prefixTableFindsTheMostSpecificBlock() throws {
        let table = PrefixTable<String>([
            (try #require(Prefix("10.0.0.0/8")), "corp"),
            (try #require(Prefix("10.20.0.0/16")), "dc"),
            (try #require(Prefix("10.20.1.0/24")), "cde-db"),
            (try #require(Prefix("10.20.1.128/25")), "cde-hsm"),
            (try #require(Prefix("2001:db8::/32")), "v6"),
            (try #require(Prefix("0.0.0.0/32")), "zero"),
        ])
        func zone(_ text: String) throws -> String? { table[try #require(IPAddress(text))] }
        #expect(try zone("10.1.2.3") == "corp")
        #expect(try zone("10.20.0.1") == "dc")
        #expect(try zone("10.20.1.1") == "cde-db")
        #expect(try zone("10.20.1.200") == "cde-hsm")
        #expect(try zone("10.20.2.0") == "dc")
        #expect(try zone("10.255.255.255") == "corp")
        #expect(try zone("11.0.0.0") == nil)
        #expect(try zone("0.0.0.0") == "zero")
        #expect(try zone("2001:db8::5") == "v6")
        #expect(try zone("::ffff:10.20.1.1") == nil)
    }

    @Test func prefixTableAgreesWithALinearScan() throws {
        var generator = SystemRandomNumberGenerator()
        var entries: [(Prefix, Int)] = []
        for i in 0..<300 {
            let length = Int.random(in: 8...30, using: &generator)
            let address = IPAddress(ipv4: UInt32.random(in: 0x0A00_0000...0x0AFF_FFFF, using: &generator))
            entries.append((try #require(Prefix(address: address, length: length)), i))
        }
        let table = PrefixTable(entries)
        for _ in 0..<5000 {
            let address = IPAddress(ipv4: UInt32.random(in: 0x0A00_0000...0x0AFF_FFFF, using: &generator))
            // Linear reference: the longest containing prefix, later entries winning ties.
            var best: (Prefix, Int)? = nil
            for (prefix, value) in entries where prefix.contains(address) {
                if best == nil || prefix.length > best!.0.length || (prefix == best!.0) { best = (prefix, value) }
            }
            #expect(table[address] == best?.1, "mismatch for \(address)")
        }
    }

    @Test func ipSetMergesAndAnswersMembership() throws {
        let set = IPSet([
            try #require(Prefix("10.0.0.0/24")), try #require(Prefix("10.0.1.0/24")), try #require(Prefix("::1")),
        ])
        #expect(set.contains(try #require(IPAddress("10.0.1.77"))))
        #expect(!set.contains(try #require(IPAddress("10.0.2.0"))))
        #expect(set.contains(try #require(IPAddress("::1"))))
        #expect(!IPSet([]).contains(try #require(IPAddress("10.0.0.1"))))
    }
}
