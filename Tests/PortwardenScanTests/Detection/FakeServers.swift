import Foundation
import PortwardenCore

/// Small protocol servers for the detection lab, written in Python so the test needs no heavy
/// daemon: telnet, FTP, POP3, IMAP and VNC on raw sockets, HTTP through `http.server`.
enum FakeServers {
    static let script = #"""
        import http.server, socket, sys, threading

        mode, port = sys.argv[1], int(sys.argv[2])

        class Web(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass
            def do_GET(self):
                if mode == 'http-basic':
                    self.send_response(401)
                    self.send_header('WWW-Authenticate', 'Basic realm="switch admin"')
                    self.send_header('Content-Length', '0')
                    self.end_headers()
                elif mode == 'http-redirect':
                    self.send_response(301)
                    self.send_header('Location', 'https://portal.example.test/')
                    self.send_header('Content-Length', '0')
                    self.end_headers()
                elif mode == 'http-docker':
                    found = self.path == '/version'
                    body = b'{"ApiVersion":"1.43","Version":"24.0.7"}' if found else b'{"message":"page not found"}'
                    self.send_response(200 if found else 404)
                    self.send_header('Content-Type', 'application/json')
                    self.send_header('Content-Length', str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
            def version_string(self):
                return 'Docker/24.0.7 (linux)' if mode == 'http-docker' else 'PortwardenLab/1.0'

        def lines(conn):
            data = b''
            while True:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                data += chunk
                while b'\n' in data:
                    line, data = data.split(b'\n', 1)
                    yield line.strip()

        def ftp(conn):
            conn.sendall(b'220 (PortwardenLab FTP 1.0)\r\n')
            for line in lines(conn):
                cmd = line.split(b' ')[0].upper()
                if cmd == b'AUTH':
                    if mode == 'ftp-clear':
                        conn.sendall(b'502 Command not implemented.\r\n')
                    else:
                        conn.sendall(b'234 Proceed with negotiation.\r\n')
                        return
                elif cmd == b'USER':
                    if mode == 'ftp-tls-required':
                        conn.sendall(b'530 Non-anonymous sessions must use encryption.\r\n')
                    else:
                        conn.sendall(b'331 Please specify the password.\r\n')
                elif cmd == b'QUIT':
                    conn.sendall(b'221 Goodbye.\r\n')
                    return
                else:
                    conn.sendall(b'500 Unknown command.\r\n')

        def pop3(conn):
            conn.sendall(b'+OK PortwardenLab POP3 ready\r\n')
            for line in lines(conn):
                if line.upper() == b'CAPA':
                    stls = b'STLS\r\n' if mode == 'pop3-stls' else b''
                    conn.sendall(b'+OK Capability list follows\r\nUSER\r\nUIDL\r\n' + stls + b'.\r\n')
                elif line.upper() == b'QUIT':
                    conn.sendall(b'+OK bye\r\n')
                    return
                else:
                    conn.sendall(b'-ERR unknown\r\n')

        def imap(conn):
            conn.sendall(b'* OK PortwardenLab IMAP4rev1 ready\r\n')
            for line in lines(conn):
                parts = line.split(b' ')
                tag, cmd = parts[0], (parts[1].upper() if len(parts) > 1 else b'')
                if cmd == b'CAPABILITY':
                    caps = b'IMAP4rev1 STARTTLS LOGINDISABLED' if mode == 'imap-locked' else b'IMAP4rev1 STARTTLS AUTH=PLAIN'
                    conn.sendall(b'* CAPABILITY ' + caps + b'\r\n' + tag + b' OK CAPABILITY completed\r\n')
                elif cmd == b'LOGOUT':
                    conn.sendall(b'* BYE\r\n' + tag + b' OK LOGOUT completed\r\n')
                    return
                else:
                    conn.sendall(tag + b' BAD unknown\r\n')

        def raw(conn):
            try:
                if mode == 'telnet':
                    conn.sendall(b'\xff\xfd\x18\xff\xfd\x20\xff\xfb\x01\xff\xfb\x03')
                    conn.recv(64)
                elif mode.startswith('ftp'):
                    ftp(conn)
                elif mode.startswith('pop3'):
                    pop3(conn)
                elif mode.startswith('imap'):
                    imap(conn)
                elif mode == 'mysql-clear':
                    # protocol 10 greeting, capabilities 0xF7FF: CLIENT_SSL (0x0800) not offered
                    payload = b'\x0a8.0.36\x00\x2a\x00\x00\x00abcdefgh\x00\xff\xf7\xff\x02\x00\xff\xdf\x15' + bytes(10)
                    conn.sendall(bytes([len(payload), 0, 0, 0]) + payload)
                    conn.recv(64)
                elif mode == 'rdp-nonla':
                    conn.recv(64)
                    # Connection Confirm, RDP_NEG_RSP selecting PROTOCOL_RDP (standard RDP security)
                    conn.sendall(bytes([3, 0, 0, 0x13, 0x0e, 0xd0, 0, 0, 0x12, 0x34, 0, 2, 0, 8, 0, 0, 0, 0, 0]))
                    conn.recv(64)
                elif mode == 'smb1':
                    conn.recv(128)
                    smb = b'\xffSMB\x72' + bytes(4) + b'\x98\x01\xc8' + bytes(20) + bytes([17, 0, 0]) + bytes(32)
                    conn.sendall(bytes([0, 0, 0, len(smb)]) + smb)
                    conn.recv(64)
                elif mode.startswith('vnc'):
                    conn.sendall(b'RFB 003.008\n')
                    conn.recv(12)
                    conn.sendall(bytes([2, 1, 2]) if mode == 'vnc-none' else bytes([1, 19]))
                    conn.recv(1)
            except OSError:
                pass
            finally:
                conn.close()

        if mode.startswith('http'):
            http.server.ThreadingHTTPServer(('127.0.0.1', port), Web).serve_forever()
        else:
            server = socket.socket()
            server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            server.bind(('127.0.0.1', port))
            server.listen(16)
            while True:
                conn, _ = server.accept()
                threading.Thread(target=raw, args=(conn,), daemon=True).start()
        """#
}
