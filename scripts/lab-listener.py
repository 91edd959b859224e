"""Listeners of the enforcement lab (scripts/lab): accept TCP connections and close them, answer
UDP datagrams with the same bytes, on ADDRESS for every tcp:PORT and udp:PORT given."""
import selectors
import socket
import sys


def main() -> None:
    address = sys.argv[1]
    selector = selectors.DefaultSelector()
    for spec in sys.argv[2:]:
        proto, port = spec.split(":")
        kind = socket.SOCK_STREAM if proto == "tcp" else socket.SOCK_DGRAM
        sock = socket.socket(socket.AF_INET, kind)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((address, int(port)))
        if proto == "tcp":
            sock.listen(512)
        sock.setblocking(False)
        selector.register(sock, selectors.EVENT_READ, proto)
    while True:
        for key, _ in selector.select():
            sock = key.fileobj
            try:
                if key.data == "tcp":
                    conn, _ = sock.accept()
                    conn.close()
                else:
                    data, peer = sock.recvfrom(2048)
                    sock.sendto(data or b"\n", peer)
            except OSError:
                continue


if __name__ == "__main__":
    main()
