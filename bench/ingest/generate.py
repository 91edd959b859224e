#!/usr/bin/python3
"""Writes a synthetic scan result in the exact line format of `portwarden scan --format json`.

4,096 hosts (10.20.1.0/24, 10.20.2.0/24 and 10.0.0.0–10.0.13.255) × ports 1–256 = 1,048,576 lines,
keys in the writer's order. Every 8th host has ssh (22) and http (80) open; the other ports are
closed (conn-refused) or, on every 4th host, filtered (no-response). The time advances one second
per 1,000 lines, as a scan's would.
"""
import sys

def hosts():
    for third in (1, 2):
        for last in range(256):
            yield f"10.20.{third}.{last}"
    for third in range(14):
        for last in range(256):
            yield f"10.0.{third}.{last}"

def main(path):
    services = {22: "ssh", 80: "http"}
    line = 0
    with open(path, "w") as out:
        for index, host in enumerate(hosts()):
            chunk = []
            for port in range(1, 257):
                second = 1_000 + line // 1000
                time = f"2026-11-29T10:{second // 60 % 60:02d}:{second % 60:02d}Z"
                if index % 8 == 0 and port in services:
                    state, reason, service = "open", "syn-ack", f'"{services[port]}"'
                elif index % 4 == 1:
                    state, reason, service = "filtered", "no-response", "null"
                else:
                    state, reason, service = "closed", "conn-refused", "null"
                chunk.append(
                    f'{{"time":"{time}","host":"{host}","transport":"tcp","port":{port},"state":"{state}",'
                    f'"reason":"{reason}","source":"scan","vantage":"corp","service":{service},"tls":null,'
                    f'"process":null}}\n')
                line += 1
            out.write("".join(chunk))

if __name__ == "__main__":
    main(sys.argv[1])
