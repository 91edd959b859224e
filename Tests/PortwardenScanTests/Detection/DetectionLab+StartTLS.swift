import Foundation
import PortwardenTestSupport

/// The STARTTLS servers of the detection lab: Dovecot (IMAP and POP3) and vsftpd as real daemons,
/// and an SMTP server on Python's `ssl` module (OpenSSL), each once well configured (TLS 1.2 or
/// later, no cleartext login) and once badly (TLS 1.0 accepted, cleartext login offered).
extension DetectionLab {
    /// Dovecot "good": IMAP 2143, POP3 2110; "old": IMAP 3143, POP3 3110, both on 127.0.0.2.
    static let startTLSServers: [LabServer] = [
        LabServer(
            name: "dovecot good", binary: "/usr/sbin/dovecot", ports: [2143, 2110],
            command: ["/usr/sbin/dovecot", "-F", "-c", "{dir}/dovecot-good/dovecot.conf"], address: secondAddress),
        LabServer(
            name: "dovecot old TLS", binary: "/usr/sbin/dovecot", ports: [3143, 3110],
            command: ["/usr/sbin/dovecot", "-F", "-c", "{dir}/dovecot-old/dovecot.conf"], address: secondAddress),
        LabServer(
            name: "vsftpd old TLS", binary: "/usr/sbin/vsftpd", ports: [2125],
            command: ["/usr/sbin/vsftpd", "{dir}/vsftpd-old-tls.conf"]),
        LabServer(
            name: "smtp STARTTLS only", binary: "/usr/bin/python3", ports: [2525],
            command: unprivileged(["/usr/bin/python3", "{dir}/smtp_starttls.py", "good", "2525", "{dir}"])),
        LabServer(
            name: "smtp AUTH in the clear", binary: "/usr/bin/python3", ports: [2526],
            command: unprivileged(["/usr/bin/python3", "{dir}/smtp_starttls.py", "auth-clear", "2526", "{dir}"])),
    ]

    /// `command` as the unprivileged user `nobody` when the lab runs as root (it always does: it
    /// needs network namespaces), so the Python servers never hold root.
    static func unprivileged(_ command: [String]) -> [String] {
        guard getuid() == 0 else { return command }
        return ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] + command
    }

    /// Writes the STARTTLS servers' configuration and the SMTP server's key pair into `dir`.
    static func prepareStartTLS(dir: String) throws {
        for (name, imap, pop3, good) in [("good", 2143, 2110, true), ("old", 3143, 3110, false)] {
            let base = "\(dir)/dovecot-\(name)"
            for sub in ["run", "state"] {
                try FileManager.default.createDirectory(atPath: "\(base)/\(sub)", withIntermediateDirectories: true)
            }
            let tls =
                good
                ? "ssl = required\nssl_min_protocol = TLSv1.2\ndisable_plaintext_auth = yes"
                : "ssl = yes\nssl_min_protocol = TLSv1\nssl_cipher_list = DEFAULT:@SECLEVEL=0\n"
                    + "disable_plaintext_auth = no"
            let config = """
                protocols = imap pop3
                listen = 127.0.0.2
                base_dir = \(base)/run
                state_dir = \(base)/state
                log_path = \(base)/dovecot.log
                ssl_cert = <\(dir)/cert.pem
                ssl_key = <\(dir)/key.pem
                \(tls)
                auth_mechanisms = plain
                passdb {
                  driver = static
                  args = password=lab-secret-not-guessed
                }
                userdb {
                  driver = static
                  args = uid=65534 gid=65534 home=\(base)/home
                }
                service imap-login {
                  inet_listener imap {
                    port = \(imap)
                  }
                  inet_listener imaps {
                    port = 0
                  }
                }
                service pop3-login {
                  inet_listener pop3 {
                    port = \(pop3)
                  }
                  inet_listener pop3s {
                    port = 0
                  }
                }

                """
            try config.write(toFile: "\(base)/dovecot.conf", atomically: true, encoding: .utf8)
        }
        let vsftpd = [
            "listen=YES", "listen_ipv6=NO", "listen_address=127.0.0.1", "listen_port=2125", "background=NO",
            "anonymous_enable=NO", "local_enable=YES", "secure_chroot_dir=\(dir)/empty", "seccomp_sandbox=NO",
            "ssl_enable=YES", "rsa_cert_file=\(dir)/cert.pem", "rsa_private_key_file=\(dir)/key.pem",
            "ssl_tlsv1=YES", "ssl_ciphers=DEFAULT:@SECLEVEL=0", "force_local_logins_ssl=NO", "force_local_data_ssl=NO",
        ]
        let path = "\(dir)/vsftpd-old-tls.conf"
        try (vsftpd.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        // The unprivileged SMTP server reads its own key pair, readable by everyone in this
        // throwaway folder.
        try Shell.run(
            "/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "\(dir)/smtpkey.pem",
            "-out", "\(dir)/smtpcert.pem", "-days", "2", "-subj", "/CN=portwarden-lab-smtp")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: "\(dir)/smtpkey.pem")
        try smtpScript.write(toFile: "\(dir)/smtp_starttls.py", atomically: true, encoding: .utf8)
    }

    /// An SMTP server with STARTTLS on Python's `ssl` module. `good`: TLS 1.2 or later, AUTH only
    /// after STARTTLS. `auth-clear`: AUTH PLAIN LOGIN on the cleartext connection, TLS 1.0 accepted.
    static let smtpScript = #"""
        import socket, ssl, sys, threading

        mode, port, folder = sys.argv[1], int(sys.argv[2]), sys.argv[3]
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(folder + '/smtpcert.pem', folder + '/smtpkey.pem')
        if mode == 'auth-clear':
            context.set_ciphers('DEFAULT:@SECLEVEL=0')
            context.minimum_version = ssl.TLSVersion.TLSv1
        else:
            context.minimum_version = ssl.TLSVersion.TLSv1_2

        def read_line(conn):
            data = b''
            while not data.endswith(b'\n'):
                chunk = conn.recv(1)
                if not chunk:
                    return None
                data += chunk
            return data.strip()

        def serve(conn):
            secure = False
            conn.sendall(b'220 lab.portwarden.test ESMTP PortwardenLab\r\n')
            while True:
                line = read_line(conn)
                if line is None:
                    return
                command = line.split(b' ')[0].upper()
                if command in (b'EHLO', b'HELO'):
                    words = [b'lab.portwarden.test', b'PIPELINING']
                    if secure or mode == 'auth-clear':
                        words.append(b'AUTH PLAIN LOGIN')
                    if not secure:
                        words.append(b'STARTTLS')
                    words.append(b'8BITMIME')
                    reply = b''.join(b'250-' + word + b'\r\n' for word in words[:-1])
                    conn.sendall(reply + b'250 ' + words[-1] + b'\r\n')
                elif command == b'STARTTLS' and not secure:
                    conn.sendall(b'220 2.0.0 Ready to start TLS\r\n')
                    conn = context.wrap_socket(conn, server_side=True)
                    secure = True
                elif command == b'QUIT':
                    conn.sendall(b'221 2.0.0 Bye\r\n')
                    return
                else:
                    conn.sendall(b'502 5.5.1 Unrecognized command\r\n')

        def handle(conn):
            try:
                serve(conn)
            except (OSError, ssl.SSLError):
                pass
            finally:
                conn.close()

        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(('127.0.0.1', port))
        listener.listen(64)
        while True:
            conn, _ = listener.accept()
            threading.Thread(target=handle, args=(conn,), daemon=True).start()
        """#
}
