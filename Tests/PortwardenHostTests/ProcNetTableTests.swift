import Foundation
import PortwardenCore
import Testing

@testable import PortwardenHost

@Suite("/proc/net table rows on bytes")
struct ProcNetTableTests {
    private func parse(_ text: String, ipv6: Bool) -> ([ProcSocketEntry], [Int]) {
        var entries: [ProcSocketEntry] = []
        let malformed = ProcNetTable.parse(Array(text.utf8), ipv6: ipv6) { entries.append($0) }
        return (entries, malformed)
    }

    @Test(arguments: [
        ("0100007F:0016", "127.0.0.1", 22), ("00000000:1F90", "0.0.0.0", 8080), ("0101A8C0:0035", "192.168.1.1", 53),
        ("0300000A:FFFF", "10.0.0.3", 65535),
    ])
    func ipv4WordIsHostByteOrder(field: String, address: String, port: Int) throws {
        let (entries, malformed) = parse(
            ProcFixture.tcpHeader + ProcFixture.row(0, field, "00000000:0000", state: "0A", inode: 7), ipv6: false)
        #expect(malformed.isEmpty)
        let entry = try #require(entries.first)
        #expect(entry.local == IPAddress(address))
        #expect(entry.localPort == UInt16(port))
        #expect(entry.state == 0x0A)
        #expect(entry.inode == 7)
    }

    /// IPv6 is four 32-bit words, each in host (little-endian) byte order.
    @Test(arguments: [
        ("00000000000000000000000001000000", "::1"), ("00000000000000000000000000000000", "::"),
        ("B80D0120000000000000000001000000", "2001:db8::1"), ("0000000000000000FFFF00000100007F", "::ffff:127.0.0.1"),
        ("000080FE00000000FF0000020300FE04", "fe80::200:ff:4fe:3"),
    ])
    func ipv6WordsAreHostByteOrder(field: String, address: String) throws {
        let text =
            ProcFixture.tcp6Header
            + ProcFixture.row(
                0, "\(field):01BB", "00000000000000000000000000000000:0000", state: "0A", uid: 33, inode: 9)
        let (entries, malformed) = parse(text, ipv6: true)
        #expect(malformed.isEmpty)
        let entry = try #require(entries.first)
        #expect(entry.local == IPAddress(address))
        #expect(entry.localPort == 443)
        #expect(entry.uid == 33)
    }

    @Test func malformedRowsAreCountedWithLineNumbersAndTheRestIsRead() {
        let text =
            ProcFixture.tcpHeader
            + ProcFixture.row(0, "0100007F:0016", "00000000:0000", state: "0A", inode: 1)
            + "   1: garbage\n"
            + ProcFixture.row(2, "0100007G:0016", "00000000:0000", state: "0A", inode: 2)  // bad hex
            + ProcFixture.row(3, "00000000000000000000000001000000:0016", "00000000:0000", state: "0A", inode: 3)
            + "\n"
            + ProcFixture.row(4, "0100007F:0017", "00000000:0000", state: "0A", inode: 4)
        let (entries, malformed) = parse(text, ipv6: false)
        #expect(entries.map(\.inode) == [1, 4])
        #expect(malformed == [3, 4, 5])
    }

    @Test(arguments: [
        ("socket:[12345]", UInt64?.some(12345)), ("pipe:[12345]", nil), ("socket:[]", nil), ("socket:[12a]", nil),
        ("/dev/null", nil),
    ])
    func socketLinks(target: String, inode: UInt64?) {
        #expect(SocketLink.inode(Array(target.utf8)) == inode)
    }

    @Test(arguments: [
        ("0::/system.slice/nginx.service", "nginx.service", String?.none),
        (
            "0::/system.slice/docker-3f2a9c1e0b7d4a5f8e6c2b1a0d9e8f7c6b5a4d3e2f1a0b9c8d7e6f5a4b3c2d1e.scope", nil,
            "3f2a9c1e0b7d4a5f8e6c2b1a0d9e8f7c6b5a4d3e2f1a0b9c8d7e6f5a4b3c2d1e"
        ),
        (
            "12:pids:/kubepods/burstable/pod1234/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n"
                + "1:name=systemd:/kubepods/burstable/pod1234/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            nil, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
        ),
        (
            "0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-podx.slice/cri-containerd-"
                + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.scope", nil,
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
        ),
        (
            "0::/machine.slice/libpod-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.scope/container",
            nil, "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
        ),
        ("0::/user.slice/user-0.slice/session-3.scope", "session-3.scope", nil), ("0::/", nil, nil),
    ])
    func cgroupUnitsAndContainers(text: String, unit: String?, container: String?) {
        let cgroup = CgroupPath(text: text)
        #expect(cgroup.unit == unit)
        #expect(cgroup.container == container)
    }

    /// Files copied from another system may carry Windows line endings: each line is still a line.
    @Test func passwdAndCgroupFilesWithWindowsLineEndings() {
        let passwd = PasswdFile(
            text: "root:x:0:0:root:/root:/bin/bash\r\n# comment\r\nwww-data:x:33:33::/var/www:/usr/sbin/nologin\r\n",
            file: "passwd")
        #expect(passwd.names == [0: "root", 33: "www-data"])
        #expect(passwd.problems.isEmpty, "\(passwd.problems)")
        let cgroup = CgroupPath(text: "12:name=systemd:/system.slice/ssh.service\r\n0::/system.slice/nginx.service\r\n")
        #expect(cgroup.unit == "nginx.service")
    }
}
