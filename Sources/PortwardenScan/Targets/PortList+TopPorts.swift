import PortwardenCore

extension PortList {
    /// The most common TCP ports, most common first: 1000 entries.
    ///
    /// Portwarden's own ranking, written from common service knowledge (not derived from
    /// nmap-services): first the services seen on nearly every network (web, remote access,
    /// mail, file sharing, directory), then databases, messaging, management and monitoring
    /// agents, application servers and common alternates, then the remaining well-known ports
    /// below 1024 in ascending order, then registered ports in ascending order until 1000.
    public static let topPorts: [UInt16] = {
        var seen = [Bool](repeating: false, count: 65536)
        var ordered: [UInt16] = []
        ordered.reserveCapacity(1000)
        for port in curatedPorts where !seen[Int(port)] {
            seen[Int(port)] = true
            ordered.append(port)
        }
        var next = 1
        while ordered.count < 1000, next <= 65535 {
            if !seen[next] {
                seen[next] = true
                ordered.append(UInt16(next))
            }
            next += 1
        }
        return ordered
    }()

    /// The hand-ranked head of ``topPorts``.
    static let curatedPorts: [UInt16] = [
        // Web, remote access, mail, name service, file sharing
        80, 443, 22, 21, 23, 25, 53, 3389, 110, 143, 445, 139, 135, 993, 995, 587, 8080, 8443, 111, 465,
        // Directory, auth, time, management
        389, 636, 88, 464, 3268, 3269, 123, 161, 162, 5985, 5986, 5900, 5901, 5902, 179, 514, 515, 631, 873,
        // Databases and caches
        3306, 5432, 1433, 1434, 1521, 1522, 27017, 27018, 27019, 6379, 6380, 11211, 9042, 9160, 7000, 7001,
        5984, 8086, 9200, 9300, 50000, 26257, 28015, 8529, 7474, 7687, 5433, 33060, 1583, 3050, 2638,
        // Messaging and streaming
        5672, 5671, 15672, 61616, 61613, 1883, 8883, 9092, 9093, 2181, 2888, 3888, 4222, 6650, 5222, 5269,
        // Application servers and web alternates
        8000, 8008, 8081, 8082, 8083, 8088, 8888, 8009, 8180, 9000, 9001, 9090, 9091, 9443, 10443, 4443, 7443,
        3000, 3001, 4000, 4200, 5000, 5001, 5050, 5601, 8069, 8161, 8200, 8500, 8600, 8761, 8800, 9080, 9100,
        81, 82, 83, 88, 591, 2082, 2083, 2086, 2087, 2095, 2096, 8880, 7080, 7777, 8001, 8002, 8010, 8090,
        // Containers, orchestration, config management, CI
        2375, 2376, 2377, 2379, 2380, 6443, 10250, 10255, 10256, 10257, 10259, 4789, 7946, 8472, 9099, 4505,
        4506, 8140, 8443, 5555, 50070, 50075, 8020, 8042, 8031, 19888, 16010, 16030, 7180, 8983, 8984,
        // Monitoring and logging
        9093, 9094, 9100, 9104, 9115, 9187, 9182, 3100, 5044, 5140, 6514, 10050, 10051, 5666, 4949, 8125, 2003,
        2004, 8649, 12201, 24224, 9411, 14268, 16686, 4317, 4318,
        // Remote administration and consoles
        2222, 2022, 222, 8022, 992, 5800, 5631, 5632, 6000, 6001, 177, 512, 513, 544, 543, 4899, 1494, 2598,
        3283, 5938, 6129, 8291, 8728, 8729, 623, 664, 17988, 17990, 5988, 5989, 902, 903, 9443, 8834, 3128,
        8118, 1080, 1081, 3129, 8123, 9050, 9051,
        // Mail and groupware alternates
        26, 2525, 106, 109, 209, 220, 585, 2000, 4190, 7071, 8448, 1110, 1143,
        // File transfer and storage
        20, 69, 115, 989, 990, 2049, 2048, 20048, 3260, 860, 548, 4045, 6666, 9418, 3690, 873, 5005, 8384,
        // Voice, video, legacy and industrial
        5060, 5061, 1720, 1719, 2000, 554, 1935, 5004, 502, 102, 20000, 44818, 47808, 2404, 1911, 4911, 9600,
        789, 1962, 2455, 18245, 5007, 10001,
        // Payment, HSM and finance-adjacent services often found in CDEs
        1500, 1501, 9998, 9999, 1414, 1415, 1416, 7800, 7801, 2001, 4545, 6789, 7002, 7003, 7004, 9060, 9043,
        // Windows and enterprise services
        593, 3387, 3390, 1025, 1026, 1027, 1028, 1029, 1030, 49152, 49153, 49154, 49155, 49156, 49157, 5357,
        5722, 9389, 47001, 42, 137, 138, 1801, 2103, 2105, 2107, 3343, 1688, 2179, 2869,
        // Misc common
        7, 9, 13, 17, 19, 37, 43, 49, 79, 113, 119, 179, 199, 311, 427, 497, 500, 540, 548, 554, 625, 646,
        666, 749, 750, 1194, 1701, 1723, 1812, 1813, 1900, 4500, 5353, 5355, 10000, 10001, 32768, 32769,
        8060, 8065, 8099, 8181, 8222, 8300, 8333, 8400, 8402, 8834, 9002, 9003, 9009, 9010, 9081, 9200, 9290,
        9415, 9500, 9595, 9876, 9877, 9943, 9944, 10080, 11111, 12000, 12345, 13722, 13782, 16080, 18080,
        20221, 27015, 30000, 31337, 32400, 44443, 50001, 55555, 60000, 62078,
    ]
}
