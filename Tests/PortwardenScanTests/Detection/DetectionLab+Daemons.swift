import Foundation
import PortwardenTestSupport

/// The real daemons of the detection lab (Debian packages listed in `scripts/test-all.sh`), each
/// with the configuration that makes it the positive or the negative case of a handshake.
extension DetectionLab {
    static let daemonServers: [LabServer] = [
        LabServer(
            name: "sshd weak algorithms", binary: "/usr/sbin/sshd", ports: [2222],
            command: ["/usr/sbin/sshd", "-D", "-e", "-f", "{dir}/sshd_weak_config"]),
        LabServer(
            name: "nginx", binary: "/usr/sbin/nginx", ports: [8081, 8082],
            command: ["/usr/sbin/nginx", "-c", "{dir}/nginx.conf", "-p", "{dir}/nginx", "-g", "daemon off;"]),
        LabServer(
            name: "vsftpd TLS required", binary: "/usr/sbin/vsftpd", ports: [2123],
            command: ["/usr/sbin/vsftpd", "{dir}/vsftpd-tls.conf"]),
        LabServer(
            name: "vsftpd cleartext", binary: "/usr/sbin/vsftpd", ports: [2124],
            command: ["/usr/sbin/vsftpd", "{dir}/vsftpd-clear.conf"]),
        // Accepts, then closes at once without a byte: what a TCP-wrapper denial looks like.
        LabServer(
            name: "socat accept-and-close", binary: "/usr/bin/socat", ports: [2001],
            command: ["/usr/bin/socat", "TCP-LISTEN:2001,bind=127.0.0.1,fork,reuseaddr", "SYSTEM:true"]),
    ]

    /// Writes the daemons' configuration files into `dir`.
    static func prepareDaemons(dir: String) throws {
        let sshd = """
            Port 2222
            ListenAddress 127.0.0.1
            HostKey \(dir)/host_ed25519
            PidFile none
            UsePAM no
            StrictModes no
            KexAlgorithms +diffie-hellman-group1-sha1
            Ciphers +3des-cbc,aes128-cbc
            MACs +hmac-md5

            """
        try sshd.write(toFile: "\(dir)/sshd_weak_config", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: "\(dir)/nginx", withIntermediateDirectories: true)
        let temp = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map { "  \($0)_temp_path \(dir)/nginx;" }
        let nginx = """
            worker_processes 1;
            pid \(dir)/nginx/nginx.pid;
            error_log \(dir)/nginx/error.log;
            events {}
            http {
              access_log off;
            \(temp.joined(separator: "\n"))
              server { listen 127.0.0.1:8081; location / { return 200 "lab\\n"; } }
              server { listen 127.0.0.1:8082; server_tokens off; location / { return 200 "lab\\n"; } }
            }

            """
        try nginx.write(toFile: "\(dir)/nginx.conf", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: "\(dir)/empty", withIntermediateDirectories: true)
        for (name, port, tls) in [("vsftpd-tls", 2123, true), ("vsftpd-clear", 2124, false)] {
            var lines = [
                "listen=YES", "listen_ipv6=NO", "listen_address=127.0.0.1", "listen_port=\(port)", "background=NO",
                "anonymous_enable=NO", "local_enable=YES", "secure_chroot_dir=\(dir)/empty", "seccomp_sandbox=NO",
            ]
            if tls {
                lines += [
                    "ssl_enable=YES", "rsa_cert_file=\(dir)/cert.pem", "rsa_private_key_file=\(dir)/key.pem",
                    "force_local_logins_ssl=YES", "force_local_data_ssl=YES",
                ]
            } else {
                lines += ["ftpd_banner=Portwarden lab file service"]
            }
            let path = "\(dir)/\(name).conf"
            try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            // vsftpd refuses a configuration file that others may write.
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        }
    }
}

/// The version a daemon reports about itself (`sshd -V`, `nginx -v`, …): the truth detection is
/// compared with.
enum DaemonVersion {
    /// The text that follows `marker` in the output of `command`, up to a space, comma or line end.
    static func read(_ command: [String], after marker: String) -> String? {
        guard let result = try? Shell.run(command, allowFailure: true) else { return nil }
        let text = result.stdout + result.stderr
        guard let range = text.range(of: marker) else { return nil }
        let version = text[range.upperBound...].prefix { !" ,\n\r".contains($0) }
        return version.isEmpty ? nil : String(version)
    }

    /// `sshd -V` prints the base release (`OpenSSH_9.2`) without the portable suffix the banner
    /// carries (`9.2p1`): the installed package's upstream version is the full one.
    static var openSSH: String? {
        guard let package = read(["/usr/bin/dpkg-query", "-W", "-f", "v=${Version}\n", "openssh-server"], after: "v=")
        else { return nil }
        let upstream = package.split(separator: ":").last.map(String.init) ?? package
        return upstream.split(separator: "-").first.map(String.init)
    }
    static var nginx: String? { read(["/usr/sbin/nginx", "-v"], after: "nginx/") }
    // vsftpd -v writes to standard input (descriptor 0).
    static var vsftpd: String? { read(["/bin/sh", "-c", "/usr/sbin/vsftpd -v 0>&1"], after: "version ") }
    static var redis: String? { read(["/usr/bin/redis-server", "--version"], after: "v=") }
    static var memcached: String? { read(["/usr/bin/memcached", "-V"], after: "memcached ") }
    static var etcd: String? { read(["/usr/bin/etcd", "--version"], after: "etcd Version: ") }
}
