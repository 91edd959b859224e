#!/usr/bin/python3
"""Writes the binary seed files of fuzz/corpus/ (detection replies, UDP replies, error-queue
control messages, captured SYN-scan replies). The byte layouts follow the unit tests of the same
parsers (Tests/PortwardenScanTests/Detection, UDP, SYN). Run from the repository root."""
import os
import struct

ROOT = "fuzz/corpus"


def write(target, name, data):
    os.makedirs(f"{ROOT}/{target}", exist_ok=True)
    with open(f"{ROOT}/{target}/{name}", "wb") as f:
        f.write(bytes(data))


# Detection: MySQL greeting and error, VNC, RDP, SMB, TLS, HTTP, text banners.
def mysql_greeting(caps):
    p = b"\x0a8.0.36\x00" + b"\x2a\x00\x00\x00" + b"abcdefgh\x00" + struct.pack("<H", caps)
    p += b"\xff\x02\x00\xff\xdf\x15" + bytes(10)
    return bytes([len(p), 0, 0, 0]) + p


write("detection-mysql", "greeting", mysql_greeting(0xF7FF))
write("detection-mysql", "greeting-ssl", mysql_greeting(0xFFFF))
msg = b"Host '10.0.0.9' is not allowed to connect to this MySQL server"
write("detection-mysql", "error", bytes([len(msg) + 3, 0, 0, 0]) + b"\xff\x6a\x04" + msg)

write("detection-vnc", "v38-types", b"\x02\x02\x01\x02")
write("detection-vnc", "v33-type", b"\x00\x00\x00\x00\x02")
write("detection-vnc", "v38-refused", b"\x02\x00\x00\x00\x00\x02hi")
write("detection-vnc", "banner", b"\x00RFB 003.008\n")


def rdp_confirm(kind, value):
    return bytes([3, 0, 0, 0x13, 0x0E, 0xD0, 0, 0, 0x12, 0x34, 0, kind, 0, 8, 0]) + struct.pack("<I", value)


write("detection-rdp", "selected-tls", rdp_confirm(2, 1))
write("detection-rdp", "failure", rdp_confirm(3, 5))
write("detection-rdp", "legacy", bytes([3, 0, 0, 0x0B, 0x06, 0xD0, 0, 0, 0x12, 0x34, 0]))


def smb_response(status, dialect):
    smb = b"\xffSMBr" + struct.pack("<I", status) + b"\x98\x01\xc8" + bytes(20)
    smb += bytes([17]) + struct.pack("<H", dialect) + bytes(32)
    return bytes([0, 0, 0, len(smb)]) + smb


write("detection-smb", "smb1-accepted", smb_response(0, 0))
write("detection-smb", "smb1-refused", smb_response(0xC0000002, 0))
write("detection-smb", "smb2", bytes([0, 0, 0, 0x40, 0xFE, 0x53, 0x4D, 0x42, 0x40]) + bytes(60))

write("detection-tls", "server-hello-tls10",
      bytes([0x16, 3, 1, 0, 0x2A, 2, 0, 0, 0x26, 3, 1]) + bytes([0x11] * 32) + bytes([0, 0xC0, 0x13, 0]))
body = bytes([3, 3]) + bytes([0x22] * 32) + bytes([0, 0x13, 1, 0]) + bytes([0, 6, 0, 0x2B, 0, 2, 3, 4])
hs = bytes([2, 0, 0, len(body)]) + body
write("detection-tls", "server-hello-tls13", bytes([0x16, 3, 3, 0, len(hs)]) + hs)
write("detection-tls", "alert", bytes([0x15, 3, 1, 0, 2, 2, 0x46]))

write("detection-http", "ok", b"HTTP/1.1 200 OK\r\nServer: nginx/1.24.0\r\nContent-Length: 5\r\n"
      b"Content-Type: text/html\r\n\r\nhello")
write("detection-http", "chunked", b"HTTP/1.1 401 Unauthorized\r\nTransfer-Encoding: chunked\r\n"
      b"WWW-Authenticate: Basic realm=\"x\"\r\n\r\n5\r\nhello\r\n0\r\n\r\n")
write("detection-http", "docker", b"HTTP/1.0 200 OK\r\nApi-Version: 1.43\r\nContent-Type: application/json\r\n"
      b"\r\n{\"Version\":\"24.0.7\",\"ApiVersion\":\"1.43\"}")

for name, text in [("ssh", b"SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n"), ("smtp", b"220-mail.example ESMTP\r\n220 ready\r\n"),
                   ("ftp", b"220 (vsFTPd 3.0.3)\r\n"), ("pop3", b"+OK Dovecot ready.\r\n"),
                   ("imap", b"* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n"), ("telnet", b"\xff\xfd\x18\xff\xfd\x20"),
                   ("rsync", b"@RSYNCD: 31.0\n"), ("login", b"router login: ")]:
    write("detection-text", name, text)

# UDP replies: byte 0 selects the port (index into UDPReplyTarget.ports), byte 1 bit 0 turns the
# cookie check on, bytes 2-3 are the cookie, the reply follows.
PORTS = [53, 69, 123, 137, 161, 623, 1900, 5353, 11211]


def udp(port, reply, cookie=None):
    head = bytes([PORTS.index(port), 1 if cookie is not None else 0]) + struct.pack(">H", cookie or 0)
    return head + bytes(reply)


dns = bytes([0xBE, 0xEF, 0x84, 0, 0, 1, 0, 1, 0, 0, 0, 0]) + b"\x07version\x04bind\x00\x00\x10\x00\x03"
dns += bytes([0xC0, 0x0C, 0, 0x10, 0, 3, 0, 0, 0, 0, 0, 7, 6]) + b"9.18.1"
write("udp-reply", "dns", udp(53, dns, 0xBEEF))
recursive = bytes([0xBE, 0xEF, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0]) + b"\x03www\x01b\x04test\x00\x00\x01\x00\x01"
recursive += bytes([0xC0, 0x0C, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 99, 0, 77])
write("udp-reply", "dns-recursive", udp(53, recursive, 0xBEEF))
ntp = bytearray(48)
ntp[0] = 0x24
ntp[24:32] = bytes([0xE0, 0, 0, 0, 0x01, 0x02, 0xFE, 0xFD])
write("udp-reply", "ntp", udp(123, ntp, 0x0102))
# Mode 6 READSTAT response (ntpsec 1.2.2's, sequence = cookie) and a mode 7 monlist response
# with one 72-byte item (ntp_request.h layout).
write("udp-reply", "ntp-mode6", udp(123, bytes([0xD6, 0x81, 0x01, 0x02, 0xC0, 0x16, 0, 0, 0, 0, 0, 0]), 0x0102))
write("udp-reply", "ntp-mode7", udp(123, bytes([0x97, 0x00, 0x03, 42, 0x00, 0x01, 0x00, 0x48]) + bytes([7]) * 72))
oid = bytes([0x06, 0x08, 0x2B, 0x06, 0x01, 0x02, 0x01, 0x01, 0x01, 0x00])
varbinds = bytes([0x30, 0x0E, 0x30, 0x0C]) + oid + bytes([0x05, 0x00])
pdu = bytes([0xA2, 0x1A, 0x02, 0x02, 0x01, 0x05, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00]) + varbinds
write("udp-reply", "snmp-v1", udp(161, bytes([0x30, 0x24, 0x02, 0x01, 0x00, 0x04, 0x03]) + b"ops" + pdu, 0x0105))
write("udp-reply", "snmp-v2c-public",
      udp(161, bytes([0x30, 0x27, 0x02, 0x01, 0x01, 0x04, 0x06]) + b"public" + pdu, 0x0105))
# SNMPv3 (RFC 3412 §6, RFC 3414 §2.4): snmpd's discovery Report usmStatsUnknownEngineIDs to msgID
# 0x0105, and the answers to the follow-up of user 1 (msgID 0x010501): a Response with sysDescr.0,
# a Response with authorizationError, a Report usmStatsUnknownUserNames.
def ber(tag, content):
    n = len(content)
    return bytes([tag]) + (bytes([n]) if n < 128 else bytes([0x81, n])) + content


def ber_int(value):
    return ber(0x02, value.to_bytes(max(1, (value.bit_length() + 8) // 8), "big", signed=True))


def snmpv3(msgid, tag, oid, value, status=0, user=b""):
    engine = bytes.fromhex("80001f88806b1d6e413c2e3667")
    header = ber(0x30, ber_int(msgid) + ber_int(1500) + ber(0x04, b"\x00") + ber_int(3))
    usm = ber(0x30, ber(0x04, engine) + ber_int(3) + ber_int(1234) + ber(0x04, user) + ber(0x04, b"") * 2)
    pdu = ber(tag, ber_int(msgid) + ber_int(status) + ber_int(0) + ber(0x30, ber(0x30, ber(0x06, oid) + value)))
    scoped = ber(0x30, ber(0x04, engine) + ber(0x04, b"") + pdu)
    return ber(0x30, ber_int(3) + header + ber(0x04, usm) + scoped)


usm_stats = bytes.fromhex("2b060106030f0101")
sys_descr = bytes.fromhex("2b06010201010100")
write("udp-reply", "snmpv3-report-unknown-engine",
      udp(161, snmpv3(0x0105, 0xA8, usm_stats + b"\x04\x00", b"\x41\x01\x01"), 0x0105))
write("udp-reply", "snmpv3-response-noauth",
      udp(161, snmpv3(0x010501, 0xA2, sys_descr, ber(0x04, b"portwarden-lab"), user=b"pwlab"), 0x0105))
write("udp-reply", "snmpv3-response-authorization-error",
      udp(161, snmpv3(0x010501, 0xA2, sys_descr, b"\x05\x00", status=16, user=b"pwlab"), 0x0105))
write("udp-reply", "snmpv3-report-unknown-user",
      udp(161, snmpv3(0x010502, 0xA8, usm_stats + b"\x03\x00", b"\x41\x01\x01", user=b"ops"), 0x0105))
write("udp-reply", "tftp-error", udp(69, b"\x00\x05\x00\x01File not found\x00"))
write("udp-reply", "ssdp", udp(1900, b"HTTP/1.1 200 OK\r\nST: upnp:rootdevice\r\nSERVER: Linux UPnP/1.0\r\n\r\n"))
write("udp-reply", "memcached", udp(11211, b"\x01\x02\x00\x00\x00\x01\x00\x00VERSION 1.6.21\r\n", 0x0102))
ipmi = bytes([0x06, 0x00, 0xFF, 0x07, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0x10, 0x81, 0x1C, 0x63, 0x20, 0x00, 0x38,
              0x00, 0x01, 0x97, 0x04, 0x03, 0x00, 0x00, 0x00, 0x00, 0x09])
write("udp-reply", "ipmi", udp(623, ipmi))
nb = bytes([0x0A, 0x0B, 0x84, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0x20]) + b"CK" + b"A" * 30 + b"\x00"
nb += bytes([0, 0x21, 0, 1, 0, 0, 0, 0]) + bytes([0, 19, 1]) + b"PAYMENTS01     " + bytes([0, 4, 0])
write("udp-reply", "netbios", udp(137, nb, 0x0A0B))
write("udp-reply", "mdns", udp(5353, bytes([0, 0, 0x84, 0, 0, 0, 0, 1, 0, 0, 0, 0]) + b"\x09_services\x07_dns-sd"
                               b"\x04_udp\x05local\x00\x00\x0c\x00\x01\x00\x00\x00\x0a\x00\x02\xc0\x0c"))

# Error-queue control messages: cmsghdr (len, level, type) then sock_extended_err and the offender.
def cmsg(level, kind, data):
    length = 16 + len(data)
    pad = (-length) % 8
    return struct.pack("<QII", length, level, kind) + data + bytes(pad)


err4 = struct.pack("<IBBBBII", 111, 2, 3, 3, 0, 0, 0) + struct.pack("<HH4s8x", 2, 0, bytes([10, 0, 0, 1]))
err6 = struct.pack("<IBBBBII", 113, 3, 1, 4, 0, 0, 0) + struct.pack("<HHI16sI", 10, 0, 0, bytes(15) + b"\x01", 0)
write("udp-error-queue", "icmp-port-unreachable", cmsg(0, 11, err4))
write("udp-error-queue", "icmp6-port-unreachable", cmsg(41, 25, err6))
write("udp-error-queue", "two", cmsg(0, 11, err4) + cmsg(1, 29, b"\x01\x02\x03\x04") + cmsg(0, 11, err4))


# SYN-scan replies: IPv4 packets with a valid header checksum.
def checksum(data):
    if len(data) % 2:
        data += b"\x00"
    s = sum(struct.unpack(f">{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def ipv4(proto, src, dst, payload, ttl=64):
    header = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 1, 0x4000, ttl, proto, 0, bytes(src), bytes(dst))
    header = header[:10] + struct.pack(">H", checksum(header)) + header[12:]
    return header + payload


def tcp(sport, dport, seq, ack, flags, options=b""):
    offset = (20 + len(options)) // 4
    return struct.pack(">HHIIBBHHH", sport, dport, seq, ack, offset << 4, flags, 65535, 0, 0) + options


A, B = [10, 0, 0, 2], [10, 0, 0, 1]
write("syn-reply", "syn-ack", ipv4(6, A, B, tcp(80, 40000, 1000, 0x12345679, 0x12, b"\x02\x04\x05\xb4\x01\x01\x04\x02")))
write("syn-reply", "rst", ipv4(6, A, B, tcp(81, 40000, 0, 0x12345679, 0x14)))
quoted = ipv4(6, B, A, tcp(40000, 82, 0x12345678, 0, 0x02))[:28]
icmp = struct.pack(">BBHI", 3, 3, 0, 0) + quoted
icmp = icmp[:2] + struct.pack(">H", checksum(icmp)) + icmp[4:]
write("syn-reply", "icmp-port-unreachable", ipv4(1, [10, 0, 0, 254], B, icmp))

# Detection: DNS over TCP (byte 0 picks the zone asked for: 0 lab.test, 1 none, 2 LAB.Test), then
# the framed first message. Transcripts of BIND 9.18.49 (Tests/PortwardenScanTests/Detection/DNSZoneTransferTests.swift).
axfr = bytes.fromhex(
    "00a3123484000001000500000000036c616204746573740000fc0001c00c000600010000012c0027036e7331c00c0a686f73746d"
    "6173746572c00c78c4240900000e1000000258000151800000012cc00c000200010000012c0002c026c026000100010000012c"
    "00047f00000103706179c00c000100010000012c00040a630032c00c000600010000012c0018c026c02c78c4240900000e1000"
    "000258000151800000012c")
write("detection-dns", "axfr-lab-test", b"\x00" + axfr)
mixed = bytes.fromhex(
    "00a7123484000001000500000000034c414204746573740000fc0001036c6162c010000600010000012c0027036e7331c01a0a68"
    "6f73746d6173746572c01a78c4240900000e1000000258000151800000012cc01a000200010000012c0002c02ac02a00010001"
    "0000012c00047f00000103706179c01a000100010000012c00040a630032c01a000600010000012c0018c02ac03078c4240900"
    "000e1000000258000151800000012c")
write("detection-dns", "axfr-mixed-case", b"\x02" + mixed)
write("detection-dns", "refused", b"\x00" + bytes.fromhex("001d12348005000100000000000006636c6f73656404746573740000fc0001"))
write("detection-dns", "notauth", b"\x00" + bytes.fromhex("001c123480090001000000000000056f7468657204746573740000fc0001"))
version = bytes.fromhex(
    "00511234840000010001000100000776657273696f6e0462696e640000100003c00c0010000300000000001918392e31382e3439"
    "2d317e646562313275332d44656269616ec00c00020003000000000002c00c")
write("detection-dns", "version-bind", b"\x01" + version)
write("detection-dns", "pointer-loop", b"\x00" + bytes.fromhex("001e123484000001000100000000c00c") + bytes(16))
write("detection-dns", "http-reply", b"\x00HTTP/1.0 400 Bad Request\r\n\r\n")

# PPTP: Start-Control-Connection-Reply (RFC 2637 2.2) as pptpd 1.4.0 sends it, one refusing the
# version, a Start-Control-Connection-Request (not a reply), and an HTTP answer.
def pptp_reply(result, host=b"local", vendor=b"linux"):
    body = struct.pack(">HHIHHHBBIIHH", 156, 1, 0x1A2B3C4D, 2, 0, 0x0100, result, 0, 0, 0, 1, 1)
    return body + host.ljust(64, b"\x00") + vendor.ljust(64, b"\x00")


write("detection-pptp", "reply-pptpd", pptp_reply(1))
write("detection-pptp", "reply-version-refused", pptp_reply(5, b"", b""))
write("detection-pptp", "request", struct.pack(">HHIHHHHIIHH", 156, 1, 0x1A2B3C4D, 1, 0, 0x0100, 0, 1, 1, 0, 0)
      + b"probe".ljust(64, b"\x00") + b"portwarden".ljust(64, b"\x00"))
write("detection-pptp", "http-reply", b"HTTP/1.0 400 Bad Request\r\nContent-Length: 0\r\n\r\n")

# AMQP 0-9-1: RabbitMQ 3.10.8's Connection.Start (Debian 12, captured in the lab), a protocol-header
# answer (another AMQP version), a Connection.Start offering only EXTERNAL, and an HTTP answer.
rabbitmq_start = bytes.fromhex(
    "010000000001f0000a000a0009000001cb0c6361706162696c697469657346000000c7127075626c69736865725f636f6e66"
    "69726d7374011a65786368616e67655f65786368616e67655f62696e64696e677374010a62617369632e6e61636b74011663"
    "6f6e73756d65725f63616e63656c5f6e6f74696679740112636f6e6e656374696f6e2e626c6f636b6564740113636f6e7375"
    "6d65725f7072696f72697469657374011c61757468656e7469636174696f6e5f6661696c7572655f636c6f73657401107065"
    "725f636f6e73756d65725f716f7374010f6469726563745f7265706c795f746f74010c636c75737465725f6e616d65530000"
    "000972616262697440766d09636f707972696768745300000037436f707972696768742028632920323030372d3230323220"
    "564d776172652c20496e632e206f722069747320616666696c69617465732e0b696e666f726d6174696f6e53000000394c69"
    "63656e73656420756e64657220746865204d504c20322e302e20576562736974653a2068747470733a2f2f7261626269746d"
    "712e636f6d08706c6174666f726d530000001145726c616e672f4f54502032352e322e330770726f64756374530000000852"
    "61626269744d510776657273696f6e5300000006332e31302e380000000e504c41494e20414d51504c41494e00000005656e"
    "5f5553ce")
write("detection-amqp", "start-rabbitmq", rabbitmq_start)
write("detection-amqp", "protocol-header-1-0", b"AMQP\x03\x01\x00\x00")


def amqp_start(mechanisms):
    table = b"\x07product" + b"S" + struct.pack(">I", 3) + b"Lab"
    payload = (struct.pack(">HHBB", 10, 10, 0, 9) + struct.pack(">I", len(table)) + table
               + struct.pack(">I", len(mechanisms)) + mechanisms + struct.pack(">I", 5) + b"en_US")
    return struct.pack(">BHI", 1, 0, len(payload)) + payload + b"\xce"


write("detection-amqp", "start-external", amqp_start(b"EXTERNAL"))
write("detection-amqp", "http-reply", b"HTTP/1.0 400 Bad Request\r\nContent-Length: 0\r\n\r\n")

# ZooKeeper (jute, length-prefixed): byte 0 picks the reader (0 ConnectResponse, 1 getChildren
# reply, 2 srvr answer). The packets are those Debian's ZooKeeper 3.8.0 sent the probe
# (Tests/PortwardenScanTests/Detection/ZooKeeperSessionTests.swift), with an old server's
# ConnectResponse without the read-only flag, a refused session, and an HTTP answer.
zk_password = bytes.fromhex("50ab797d9d020dd7aef69f77aea4c688")
zk_connect = struct.pack(">iiiqi", 37, 0, 10000, 0x0100_0020_616E_0000, 16) + zk_password + b"\x00"
write("detection-zookeeper", "connect-response", b"\x00" + zk_connect)
write("detection-zookeeper", "connect-response-no-readonly", b"\x00" + struct.pack(">i", 36) + zk_connect[4:-1])
write("detection-zookeeper", "connect-refused", b"\x00" + struct.pack(">iiiqi", 37, 0, 0, 0, 16) + bytes(17))
write("detection-zookeeper", "children-served", b"\x01" + struct.pack(">iiqiii", 33, 1, 1, 0, 1, 9) + b"zookeeper")
write("detection-zookeeper", "children-noauth", b"\x01" + struct.pack(">iiqi", 16, 1, 6, -102))
write("detection-zookeeper", "srvr", b"\x02Zookeeper version: 3.8.0-${mvngit.commit.id}, built on 2024-12-29 17:54 UTC\n"
      + b"Latency min/avg/max: 1/3.3333/7\nMode: standalone\n")
write("detection-zookeeper", "http-reply", b"\x00HTTP/1.0 400 Bad Request\r\nContent-Length: 0\r\n\r\n")

# IPP: cupsd 2.4.2's response bodies to the probe (PrinterMessageTests): CUPS-Get-Default with a raw
# queue (authentication requesting-user-name), the same with a Basic policy, Get-Printer-Attributes
# on /ipp/print answered client-error-not-found; the probe's own request; an HTTP answer.
cupsd_default = bytes.fromhex(
    "010100000000000101470012617474726962757465732d6368617273657400057574662d3848001b6174747269627574"
    "65732d6e61747572616c2d6c616e67756167650002656e0423000d7072696e7465722d73746174650004000000034500"
    "157072696e7465722d7572692d737570706f7274656400206970703a2f2f3132372e302e302e313a3633312f7072696e"
    "746572732f6c61624400167572692d73656375726974792d737570706f7274656400046e6f6e6544001c7572692d6175"
    "7468656e7469636174696f6e2d737570706f72746564001472657175657374696e672d757365722d6e616d6542000c70"
    "72696e7465722d6e616d6500036c61624100167072696e7465722d6d616b652d616e642d6d6f64656c00114c6f63616c"
    "20526177205072696e74657203")
cupsd_basic = bytes.fromhex(
    "010100000000000101470012617474726962757465732d6368617273657400057574662d3848001b6174747269627574"
    "65732d6e61747572616c2d6c616e67756167650002656e0423000d7072696e7465722d73746174650004000000034500"
    "157072696e7465722d7572692d737570706f7274656400206970703a2f2f6c6f63616c686f73743a3633312f7072696e"
    "746572732f6c61624400167572692d73656375726974792d737570706f7274656400046e6f6e6544001c7572692d6175"
    "7468656e7469636174696f6e2d737570706f727465640005626173696342000c7072696e7465722d6e616d6500036c61"
    "624100167072696e7465722d6d616b652d616e642d6d6f64656c00114c6f63616c20526177205072696e74657203")
cupsd_not_found = bytes.fromhex(
    "010104060000000101470012617474726962757465732d6368617273657400057574662d3848001b6174747269627574"
    "65732d6e61747572616c2d6c616e67756167650002656e41000e7374617475732d6d6573736167650024546865207072"
    "696e746572206f7220636c61737320646f6573206e6f742065786973742e03")
ipp_request = bytes.fromhex(
    "0101000b0000000101470012617474726962757465732d6368617273657400057574662d3848001b6174747269627574"
    "65732d6e61747572616c2d6c616e67756167650002656e45000b7072696e7465722d757269001d6970703a2f2f313237"
    "2e302e302e313a3633312f6970702f7072696e744400147265717565737465642d617474726962757465730015707269"
    "6e7465722d7572692d737570706f7274656444000000167572692d73656375726974792d737570706f72746564440000"
    "001c7572692d61757468656e7469636174696f6e2d737570706f7274656444000000167072696e7465722d6d616b652d"
    "616e642d6d6f64656c440000000c7072696e7465722d6e616d65440000000d7072696e7465722d737461746503")
write("detection-ipp", "cupsd-default", cupsd_default)
write("detection-ipp", "cupsd-basic", cupsd_basic)
write("detection-ipp", "cupsd-not-found", cupsd_not_found)
write("detection-ipp", "request", ipp_request)
write("detection-ipp", "http-reply", b"HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n")

# LPD: byte 0 = 1 when the daemon closed. BSD lpd's answers to 0x03 lp LF (LPDQueueStateTests), one
# not yet closed, and an HTTP answer.
write("detection-lpd", "lpd-no-entries", b"\x01no entries\n")
write("detection-lpd", "lpd-host-refused", b"\x01vm: lpd: Your host does not have line printer access\n")
write("detection-lpd", "lpd-unknown-queue", b"\x01vm: lpd: lp: unknown printer\n")
write("detection-lpd", "open", b"\x00lp is ready and printing\r\nRank   Owner\tJob\n")
write("detection-lpd", "http-reply", b"\x01HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n")
# Found by fuzzing (fuzz/README.md, Findings): a reply-code first line ending in CR, not closed.
write("detection-lpd", "fuzz-reply-code-then-cr", b"\x32404 N`\xff\xffo\x8c\r")

# The on-disk webhook queue (WebhookJournal): a header, alert and done records, each record "WQ",
# its payload length, the CRC-32 of the length and the payload, the payload (WebhookJournalTests).
import zlib


def queue_header(queue_id, next_id):
    head = b"PWWQ\x01\x00\x00\x00" + struct.pack("<QQ", queue_id, next_id)
    return head + struct.pack("<I", zlib.crc32(head))


def queue_record(kind, alert_id, body=b""):
    payload = bytes([kind]) + struct.pack("<Q", alert_id) + body
    length = struct.pack("<I", len(payload))
    return b"WQ" + length + struct.pack("<I", zlib.crc32(length + payload)) + payload


alert = b'{"rule":"PW-SOURCE-NOT-PERMITTED","severity":"high","fingerprint":"3f9a"}'
queue = queue_header(0x1234ABCD, 1) + queue_record(1, 1, alert) + queue_record(1, 2, alert) + queue_record(2, 1)
write("webhook-queue-file", "two-alerts-one-done", queue)
write("webhook-queue-file", "empty-queue", queue_header(7, 40))
write("webhook-queue-file", "torn-last-record", queue[:-5])
write("webhook-queue-file", "garbage-between", queue[:28] + b"garbage" + queue[28:])
write("webhook-queue-file", "bad-checksum", queue[:40] + b"X" + queue[41:])
write("webhook-queue-file", "unknown-kind-and-repeat",
      queue_header(1, 1) + queue_record(9, 1) + queue_record(1, 3, b"{}") + queue_record(1, 3, b"{}"))
