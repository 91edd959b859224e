import PortwardenCore

/// Port-number knowledge: the nmap-style service name a port usually carries (a guess, reported
/// with method `table`) and the ports each insecure-service rule treats as candidates.
enum ServicePortTable {
    /// The usual service on a TCP port, named as nmap names it.
    static func guess(port: UInt16) -> String? {
        switch port {
        case 21: return "ftp"
        case 22: return "ssh"
        case 23, 2323: return "telnet"
        case 25, 587: return "smtp"
        case 80, 8000, 8008, 8888: return "http"
        case 8080: return "http-proxy"
        case 110: return "pop3"
        case 139: return "netbios-ssn"
        case 143: return "imap"
        case 443: return "https"
        case 445: return "microsoft-ds"
        case 465: return "smtps"
        case 873: return "rsync"
        case 990: return "ftps"
        case 993: return "imaps"
        case 995: return "pop3s"
        case 2375: return "docker"
        case 2379: return "etcd-client"
        case 3306: return "mysql"
        case 3389: return "ms-wbt-server"
        case 5432: return "postgresql"
        case 5900...5906: return "vnc"
        case 6379: return "redis"
        case 8443: return "https-alt"
        case 1723: return "pptp"
        case 515: return "printer"
        case 631: return "ipp"
        case 9100...9107: return "jetdirect"
        case 1883: return "mqtt"
        case 5672: return "amqp"
        case 2181: return "zookeeper"
        case 8883: return "secure-mqtt"
        case 11211: return "memcached"
        default: return nil
        }
    }

    /// The service name for a port that answered TLS, where the port implies the inner protocol.
    static func tlsService(port: UInt16) -> String {
        switch port {
        case 465: return "smtps"
        case 636: return "ldaps"
        case 990: return "ftps"
        case 993: return "imaps"
        case 995: return "pop3s"
        case 2376: return "docker"
        case 3389: return "ms-wbt-server"
        case 5671: return "amqps"
        case 5986: return "wsmans"
        case 6514: return "syslog-tls"
        case 8883: return "secure-mqtt"
        default: return "https"
        }
    }

    /// For each insecure-service rule detection can confirm: the service it is about and its
    /// candidate ports. When a probe proves another service on a candidate port, the rule is
    /// recorded `not-matched` so the evaluator does not report a port-only "probable" match.
    static let ruleCandidates: [(rule: String, services: Set<String>, ports: Set<UInt16>)] = [
        ("INS-TELNET", ["telnet"], [23, 2323]),
        ("INS-FTP", ["ftp"], [21]),
        ("INS-POP3", ["pop3"], [110]),
        ("INS-IMAP", ["imap"], [143]),
        ("INS-HTTP-ADMIN", ["http"], [80, 8000, 8008, 8080, 8888]),
        ("INS-REDIS", ["redis"], [6379]),
        ("INS-MEMCACHED", ["memcached"], [11211]),
        ("INS-DOCKER-API", ["docker"], [2375]),
        ("INS-DB-CLEAR", ["mysql", "postgresql"], [3306, 5432]),
        ("INS-VNC", ["vnc"], [5900, 5901, 5902, 5903, 5904, 5905, 5906]),
        ("INS-RDP-NONLA", ["ms-wbt-server"], [3389]),
        ("INS-SMB1", ["microsoft-ds", "netbios-ssn"], [139, 445]),
        ("INS-RSYNCD", ["rsync"], [873]),
        ("INS-SSH-WEAK", ["ssh"], [22]),
        ("INS-MQTT-CLEAR", ["mqtt"], [1883]),
        ("INS-MQTT-ANON", ["mqtt"], [1883]),
        ("INS-ETCD-ANON", ["etcd-client"], [2379]),
        ("INS-ETCD-CLEAR", ["etcd-client"], [2379]),
        ("INS-PPTP", ["pptp"], [1723]),
        ("INS-AMQP-CLEAR", ["amqp"], [5672]),
        ("INS-ZOOKEEPER-ANON", ["zookeeper"], [2181]),
        ("INS-ZOOKEEPER-CLEAR", ["zookeeper"], [2181]),
        ("INS-IPP-ANON", ["ipp"], [631]),
        ("INS-IPP-CLEAR", ["ipp"], [631]),
        ("INS-LPD", ["printer"], [515]),
        ("INS-JETDIRECT", ["jetdirect"], [9100]),
    ]
}
