#!/usr/bin/python3
"""Writes the inputs of bench/logs: netfilter LOG lines in a syslog file and a Suricata eve.json.

    generate.py netfilter OUT LINES COUNTS
    generate.py suricata OUT LINES COUNTS

netfilter: BSD-syslog framed kernel lines as nf_log_syslog writes them (the kernel's own [seconds]
stamp, a `PW-DROP <zone>` / `PW-ACCEPT <zone>` prefix, MAC, TCP/UDP/ICMP, IPv4 and IPv6) for the
zones of examples/multi-zone.yaml, one second per 1,000 lines from 2026-11-29 00:00:00. Sources:
permitted ones (cde-app to pg-primary, web-dmz and the partner range to payment-api, security to
ssh-admin, corp to dns), ones the allow-from does not permit, denied attempts on CDE ports, a
port scan from 10.0.0.99 (every 50th line, one port higher each time), other kernel messages and
ARP packet logs (ignored), and one broken line (`SRC=10.0.0`) every 100,000 lines.

suricata: one eve.json record per line in Suricata's key order: flow, netflow, drop, alert and
anomaly records (judged) among dns, http, tls, fileinfo and stats records (ignored), timestamps
with a `+0000` offset.

COUNTS receives what the file holds as JSON, also for its first 1,000,000 lines, in the words of
`portwarden ingest`'s summary: flows, security events, ignored and broken lines.
"""
import json
import random
import sys

MONTH = "Nov"
CHECKPOINT = 1_000_000


def mac(rng):
    return ":".join(f"{rng.randrange(256):02x}" for _ in range(6)) + ":02:fc:00:00:00:01:08:00"


def v4_packet(rng, src, dst, proto, sport, dport, flags):
    head = f"SRC={src} DST={dst} LEN=60 TOS=0x00 PREC=0x00 TTL=63 ID={rng.randrange(65536)} DF PROTO={proto}"
    if proto == "TCP":
        return f"{head} SPT={sport} DPT={dport} WINDOW=64240 RES=0x00 {flags} URGP=0"
    if proto == "UDP":
        return f"{head} SPT={sport} DPT={dport} LEN=40"
    return f"{head} TYPE=8 CODE=0 ID={rng.randrange(65536)} SEQ=1"


def v6_packet(rng, src, dst, sport, dport):
    return (f"SRC={src} DST={dst} LEN=80 TC=0 HOPLIMIT=64 FLOWLBL={rng.randrange(1 << 20)} PROTO=TCP "
            f"SPT={sport} DPT={dport} WINDOW=64800 RES=0x00 SYN URGP=0")


def netfilter_bodies(rng):
    """A pool of (kind, message) pairs; kind is flow, ignored or broken."""
    pool = []

    def flow(prefix, packet, weight):
        for _ in range(weight):
            pool.append(("flow", f"{prefix} IN=eth0 OUT=eth1 MAC={mac(rng)} {packet}"))

    def port():
        return rng.randrange(32768, 61000)

    for _ in range(400):
        app = f"10.20.2.{rng.randrange(10, 60)}"
        flow("PW-ACCEPT cde-db", v4_packet(rng, app, f"10.20.1.1{rng.randrange(2)}", "TCP", port(), 5432, "SYN"), 6)
        dmz = f"10.20.5.{rng.randrange(10, 40)}"
        flow("PW-ACCEPT cde-app", v4_packet(rng, dmz, f"10.20.2.{rng.randrange(10, 20)}", "TCP", port(), 8443,
                                            "SYN"), 5)
        partner = f"203.0.113.{rng.randrange(1, 255)}"
        flow("PW-ACCEPT cde-app", v4_packet(rng, partner, "10.20.2.10", "TCP", port(), 8443, "SYN"), 2)
        jump = f"10.20.9.{rng.randrange(5, 8)}"
        flow("PW-ACCEPT cde-app", v4_packet(rng, jump, f"10.20.2.{rng.randrange(10, 20)}", "TCP", port(), 22,
                                            "SYN"), 2)
        corp = f"10.0.{rng.randrange(0, 4)}.{rng.randrange(10, 250)}"
        flow("PW-ACCEPT corp", v4_packet(rng, corp, "10.0.0.53", "UDP", port(), 53, ""), 3)
        app6 = f"2001:db8:20:2::{rng.randrange(16, 4096):x}"
        flow("PW-ACCEPT cde-app", v6_packet(rng, f"2001:db8:5::{rng.randrange(16, 255):x}", app6, port(), 8443), 1)
        # Let through although no allow-from permits it: corp to ssh-admin, to an undeclared port.
        flow("PW-ACCEPT cde-app", v4_packet(rng, corp, f"10.20.2.{rng.randrange(10, 14)}", "TCP", port(), 22,
                                            "SYN"), 1)
        flow("PW-ACCEPT cde-db", v4_packet(rng, dmz, "10.20.1.10", "TCP", port(), 3306 + rng.randrange(3),
                                           "SYN"), 1)
        # Denied attempts on CDE ports, and pings.
        flow("PW-DROP cde-db", v4_packet(rng, corp, f"10.20.1.{rng.randrange(10, 14)}", "TCP", port(),
                                         rng.choice((23, 5432, 1433)), "SYN"), 3)
        flow("PW-DROP cde-app", v4_packet(rng, corp, f"10.20.2.{rng.randrange(10, 14)}", "ICMP", 0, 0, ""), 1)
        pool.append(("ignored", f"IN=eth0 OUT= ARP HTYPE=1 PTYPE=0x0800 OPCODE=1 MACSRC={mac(rng)[:17]} "
                                f"IPSRC=10.0.0.{rng.randrange(1, 250)} MACDST=00:00:00:00:00:00 IPDST=10.0.0.1"))
        pool.append(("ignored", f"e1000e 0000:00:1f.6 eth{rng.randrange(4)}: NIC Link is Up 1000 Mbps Full Duplex"))
    rng.shuffle(pool)
    return pool


def netfilter(path, lines, rng):
    pool = netfilter_bodies(rng)
    counts = {"flows": 0, "security_events": 0, "ignored": 0, "broken": 0}
    checkpoint = None
    with open(path, "w") as out:
        chunk = []
        for n in range(lines):
            second = n // 1000
            stamp = f"{MONTH} 29 {second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}"
            kernel = f"[{86400 + second}.{n % 1000:03d}123]"
            if n % 100_000 == 99_999:
                kind, body = "broken", ("PW-DROP cde-db IN=eth0 OUT= SRC=10.0.0 DST=10.20.1.10 LEN=60 PROTO=TCP "
                                        "SPT=1 DPT=2")
            elif n % 50 == 7:
                kind, body = "flow", ("PW-DROP cde-db IN=eth0 OUT=eth1 " + v4_packet(
                    rng, "10.0.0.99", "10.20.1.13", "TCP", 40000, 1 + (n // 50) % 65535, "SYN"))
            else:
                kind, body = pool[(n * 7919) % len(pool)]
            counts["flows" if kind == "flow" else kind] += 1
            chunk.append(f"{stamp} fw1 kernel: {kernel} {body}\n")
            if len(chunk) == 10_000:
                out.write("".join(chunk))
                chunk = []
            if n + 1 == CHECKPOINT:
                checkpoint = dict(counts)
        out.write("".join(chunk))
    return counts, checkpoint


def address(rng, zone):
    if zone == "cde":
        return f"10.20.{rng.choice((1, 2))}.{rng.randrange(10, 30)}"
    if zone == "dmz":
        return f"10.20.5.{rng.randrange(10, 40)}"
    return f"10.0.{rng.randrange(4)}.{rng.randrange(10, 250)}"


def eve_record(rng, n, kind):
    second = n // 200
    stamp = f"2026-11-29T{second // 3600 % 24:02d}:{second // 60 % 60:02d}:{second % 60:02d}.{rng.randrange(10**6):06d}+0000"
    src, dst = address(rng, rng.choice(("dmz", "corp", "cde"))), address(rng, rng.choice(("cde", "corp")))
    proto = rng.choice(("TCP", "TCP", "TCP", "UDP"))
    sport, dport = rng.randrange(1024, 65535), rng.choice((22, 443, 5432, 8443, 53, 3306))
    head = {"timestamp": stamp, "flow_id": rng.randrange(1 << 50), "in_iface": "eth0", "event_type": kind,
            "src_ip": src, "src_port": sport, "dest_ip": dst, "dest_port": dport, "proto": proto}
    if kind in ("flow", "netflow"):
        state = rng.choice(("new", "established", "closed", "closed"))
        head["app_proto"] = rng.choice(("tls", "ssh", "failed", "http"))
        head[kind] = {"pkts_toserver": rng.randrange(1, 90), "pkts_toclient": rng.randrange(0, 90),
                      "bytes_toserver": rng.randrange(60, 90000), "bytes_toclient": rng.randrange(0, 90000),
                      "start": stamp, "end": stamp, "age": rng.randrange(300), "state": state,
                      "reason": "timeout", "alerted": False}
        if kind == "flow":
            head["tcp"] = {"tcp_flags": "1b", "tcp_flags_ts": "1b", "tcp_flags_tc": "1b", "syn": True,
                           "fin": True, "psh": True, "ack": True, "state": state}
        head["community_id"] = "1:" + "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789+/") for _ in range(27)) + "="
    elif kind == "drop":
        head["drop"] = {"len": 60, "tos": 0, "ttl": 63, "ipid": rng.randrange(65536), "tcpseq": rng.randrange(1 << 32),
                        "tcpack": 0, "tcpwin": 64240, "syn": True, "ack": False, "psh": False, "rst": False,
                        "urg": False, "fin": False, "tcpres": 0, "tcpurgp": 0}
    elif kind == "alert":
        head["alert"] = {"action": rng.choice(("allowed", "blocked")), "gid": 1,
                         "signature_id": 2000000 + rng.randrange(30000), "rev": rng.randrange(1, 9),
                         "signature": "ET SCAN Suspicious inbound to PostgreSQL port 5432",
                         "category": "Potentially Bad Traffic", "severity": rng.randrange(1, 4)}
        head["flow"] = {"pkts_toserver": 3, "pkts_toclient": 1, "bytes_toserver": 200, "bytes_toclient": 60,
                        "start": stamp}
        head["payload_printable"] = "GET /admin HTTP/1.1\r\nHost: db\r\n\r\n"
    elif kind == "anomaly":
        head["anomaly"] = {"type": "decode", "event": "ipv4.trunc_pkt", "layer": "proto_detect"}
    elif kind == "dns":
        head["dns"] = {"type": "query", "id": rng.randrange(65536), "rrname": f"host{rng.randrange(999)}.example.com",
                       "rrtype": "A", "tx_id": 0}
    elif kind == "http":
        head["http"] = {"hostname": "shop.example.com", "url": f"/cart/{rng.randrange(10**6)}?item=\u00e9t\u00e9",
                        "http_user_agent": "Mozilla/5.0 (X11; Linux x86_64)", "http_content_type": "text/html",
                        "http_method": "GET", "protocol": "HTTP/1.1", "status": 200, "length": rng.randrange(90000)}
    elif kind == "tls":
        head["tls"] = {"subject": "CN=api.example.com", "issuerdn": "CN=Example CA", "serial": "01:02:03",
                       "fingerprint": ":".join(f"{rng.randrange(256):02x}" for _ in range(20)),
                       "version": "TLS 1.3", "sni": "api.example.com", "ja3": {"hash": "%032x" % rng.randrange(1 << 128)}}
    elif kind == "fileinfo":
        head["fileinfo"] = {"filename": "/index.html", "magic": "HTML document, ASCII text", "gaps": False,
                            "state": "CLOSED", "sha256": "%064x" % rng.randrange(1 << 256), "stored": False,
                            "size": rng.randrange(90000), "tx_id": 0}
    else:  # stats
        head = {"timestamp": stamp, "event_type": "stats",
                "stats": {"uptime": n, "capture": {"kernel_packets": n * 40, "kernel_drops": 0},
                          "decoder": {"pkts": n * 40, "bytes": n * 30000, "ipv4": n * 39, "ipv6": n, "tcp": n * 30,
                                      "udp": n * 9}}}
    return head


KINDS = (("flow", 36), ("netflow", 4), ("drop", 3), ("alert", 4), ("anomaly", 1), ("dns", 22), ("http", 14),
         ("tls", 10), ("fileinfo", 5), ("stats", 1))
JUDGED = {"flow": "flows", "netflow": "flows", "drop": "flows", "alert": "security_events",
          "anomaly": "security_events"}


def suricata(path, lines, rng):
    kinds = [kind for kind, weight in KINDS for _ in range(weight)]
    counts = {"flows": 0, "security_events": 0, "ignored": 0, "broken": 0}
    checkpoint = None
    encoder = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)
    with open(path, "w", encoding="utf-8") as out:
        chunk = []
        for n in range(lines):
            kind = kinds[rng.randrange(len(kinds))]
            counts[JUDGED.get(kind, "ignored")] += 1
            chunk.append(encoder.encode(eve_record(rng, n, kind)) + "\n")
            if len(chunk) == 10_000:
                out.write("".join(chunk))
                chunk = []
            if n + 1 == CHECKPOINT:
                checkpoint = dict(counts)
        out.write("".join(chunk))
    return counts, checkpoint


def main(kind, path, lines, counts_path):
    rng = random.Random(42)
    counts, checkpoint = (netfilter if kind == "netfilter" else suricata)(path, lines, rng)
    counts["lines"] = lines
    result = {"all": counts}
    if checkpoint is not None:
        checkpoint["lines"] = min(lines, CHECKPOINT)
        result["first_1000000"] = checkpoint
    with open(counts_path, "w") as out:
        json.dump(result, out)
        out.write("\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4])
