#!/usr/bin/python3
"""Writes a synthetic scan result in the exact line format of `portwarden scan --format json`.

16 hosts × TCP ports 1–65,535 = 1,048,560 lines (the size of bench/scan's A2 scenario), keys in the
writer's order, with `source_address` as the scan writes it when the route's source is known. Four
hosts in each of cde-db (10.20.1.10–13), cde-app (10.20.2.10–13), security (10.20.9.10–13) and corp
(10.0.0.10–13) of examples/multi-zone.yaml. Every host has ssh (22) and https (443) open, plus
8000 + its index, and every other host telnet (23) and postgresql (5432); on every 4th host
20000–29999 are filtered (no-response), every other port is closed (conn-refused). The time
advances one second per 10,000 lines.

    generate.py OUT [HOSTS]   (HOSTS defaults to 16; fewer for a quick trial)
"""
import sys

SERVICES = {22: "ssh", 23: "telnet", 443: "https", 5432: "postgresql"}


def hosts():
    for prefix in ("10.20.1", "10.20.2", "10.20.9", "10.0.0"):
        for last in range(10, 14):
            yield f"{prefix}.{last}"


def open_ports(index):
    ports = {22, 443, 8000 + index}
    if index % 2 == 0:
        ports |= {23, 5432}
    return ports


def main(path, count):
    line = 0
    with open(path, "w") as out:
        for index, host in enumerate(list(hosts())[:count]):
            opened = open_ports(index)
            chunk = []
            for port in range(1, 65536):
                second = 36_000 + line // 10_000
                time = f"2026-11-29T{second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}Z"
                if port in opened:
                    name = SERVICES.get(port)
                    state, reason, service = "open", "syn-ack", f'"{name}"' if name else "null"
                elif index % 4 == 1 and 20000 <= port <= 29999:
                    state, reason, service = "filtered", "no-response", "null"
                else:
                    state, reason, service = "closed", "conn-refused", "null"
                chunk.append(
                    f'{{"time":"{time}","host":"{host}","transport":"tcp","port":{port},"state":"{state}",'
                    f'"reason":"{reason}","source":"scan","vantage":"corp","service":{service},"tls":null,'
                    f'"process":null,"source_address":"10.0.0.2"}}\n')
                line += 1
            out.write("".join(chunk))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 16)
