import Foundation
import PortwardenCore

/// Fixtures written from docs/formats.md (nmap 7.93 `-oX`, masscan `-oX`, `-oJ`,
/// NDJSON and `-oL`).
enum FormatFixtures {
    /// nmap 7.93 `-sT -sU --reason -v` style: extraports with extrareasons carrying proto and ports,
    /// several addresses (IPv4 + MAC), hostnames, hosthint, tasks, scripts, os, a down host.
    static let nmap793 = """
        <?xml version="1.0" encoding="UTF-8"?>
        <!DOCTYPE nmaprun>
        <?xml-stylesheet href="file:///usr/bin/../share/nmap/nmap.xsl" type="text/xsl"?>
        <!-- Nmap 7.93 scan initiated Sun Nov 29 03:04:26 2026 as: nmap -sT -sU -&#45;reason -v -p T:1-1000,U:53,161 -oX scan.xml 10.20.1.10-12 -->
        <nmaprun scanner="nmap" args="nmap -sT -sU -&#45;reason -v -p T:1-1000,U:53,161 -oX scan.xml 10.20.1.10-12" start="1795921466" startstr="Sun Nov 29 03:04:26 2026" version="7.93" xmloutputversion="1.05">
        <scaninfo type="connect" protocol="tcp" numservices="1000" services="1-1000"/>
        <scaninfo type="udp" protocol="udp" numservices="2" services="53,161"/>
        <verbose level="1"/>
        <debugging level="0"/>
        <taskbegin task="Ping Scan" time="1795921466"/>
        <hosthint><status state="up" reason="unknown-response" reason_ttl="0"/>
        <address addr="10.20.1.10" addrtype="ipv4"/>
        <hostnames>
        </hostnames>
        </hosthint>
        <taskend task="Ping Scan" time="1795921466" extrainfo="3 total hosts"/>
        <taskprogress task="Connect Scan" time="1795921468" percent="51.20" remaining="2" etc="1795921470"/>
        <host starttime="1795921466" endtime="1795921470" comment="core &amp; vault"><status state="up" reason="arp-response" reason_ttl="0"/>
        <address addr="10.20.1.10" addrtype="ipv4"/>
        <address addr="02:FC:00:00:00:01" addrtype="mac" vendor="Unknown"/>
        <hostnames>
        <hostname name="db1.cde.example" type="PTR"/>
        </hostnames>
        <ports><extraports state="closed" count="997">
        <extrareasons reason="conn-refused" count="997" proto="tcp" ports="1-21,23-79,81-442,444-1000"/>
        </extraports>
        <port protocol="tcp" portid="22"><state state="open" reason="syn-ack" reason_ttl="0"/><service name="ssh" product="OpenSSH" version="9.2p1 Debian 2" extrainfo="protocol 2.0" ostype="Linux" method="probed" conf="10"><cpe>cpe:/a:openbsd:openssh:9.2p1</cpe><cpe>cpe:/o:linux:linux_kernel</cpe></service><script id="ssh-hostkey" output="&#xa;  256 aa:bb (ED25519)"><elem key="type">ssh-ed25519</elem></script></port>
        <port protocol="tcp" portid="80"><state state="open" reason="syn-ack" reason_ttl="0"/><service name="http" method="table" conf="3"/></port>
        <port protocol="tcp" portid="443"><state state="filtered" reason="no-response" reason_ttl="0"/><service name="https" method="table" conf="3"/></port>
        <port protocol="udp" portid="53"><state state="open|filtered" reason="no-response" reason_ttl="0"/><service name="domain" method="table" conf="3"/></port>
        <port protocol="udp" portid="161"><state state="closed" reason="port-unreach" reason_ttl="64"/><service name="snmp" method="table" conf="3"/></port>
        </ports>
        <os><portused state="open" proto="tcp" portid="22"/></os>
        <times srtt="654" rttvar="1096" to="100000"/>
        </host>
        <host starttime="1795921466" endtime="1795921475"><status state="up" reason="echo-reply" reason_ttl="63"/>
        <address addr="10.20.1.11" addrtype="ipv4"/>
        <hostnames>
        </hostnames>
        <ports><extraports state="filtered" count="999">
        <extrareasons reason="no-response" count="990" proto="tcp" ports="1-990"/>
        <extrareasons reason="host-unreach" count="9" proto="tcp" ports="992-1000"/>
        </extraports>
        <port protocol="tcp" portid="991"><state state="open" reason="syn-ack" reason_ttl="0"/></port>
        <port protocol="udp" portid="53"><state state="open|filtered" reason="no-response" reason_ttl="0"/><service name="domain" method="table" conf="3"/></port>
        <port protocol="udp" portid="161"><state state="closed|filtered" reason="no-response" reason_ttl="0"/></port>
        </ports>
        <times srtt="1200" rttvar="800" to="100000"/>
        </host>
        <host><status state="down" reason="no-response" reason_ttl="0"/>
        <address addr="10.20.1.12" addrtype="ipv4"/>
        </host>
        <runstats><finished time="1795921475" timestr="Sun Nov 29 03:04:35 2026" summary="Nmap done at Sun Nov 29 03:04:35 2026; 3 IP addresses (2 hosts up) scanned in 9.12 seconds" elapsed="9.12" exit="success"/><hosts up="2" down="1" total="3"/>
        </runstats>
        </nmaprun>

        """

    /// Older nmap: extrareasons without proto/ports, so the collapsed ports come from
    /// scaninfo/@services minus the listed ports. The second host collapses two states, which cannot
    /// be attributed to port numbers.
    static let nmapWithoutPortsAttribute = """
        <?xml version="1.0" encoding="UTF-8"?>
        <!DOCTYPE nmaprun>
        <nmaprun scanner="nmap" args="nmap -sT -p 1-100 10.0.0.1-2" start="1700000000" version="7.80" xmloutputversion="1.04">
        <scaninfo type="connect" protocol="tcp" numservices="100" services="1-100"/>
        <verbose level="0"/>
        <debugging level="0"/>
        <host starttime="1700000001" endtime="1700000002"><status state="up" reason="user-set" reason_ttl="0"/>
        <address addr="10.0.0.1" addrtype="ipv4"/>
        <hostnames></hostnames>
        <ports><extraports state="closed" count="98">
        <extrareasons reason="conn-refused" count="98"/>
        </extraports>
        <port protocol="tcp" portid="22"><state state="open" reason="syn-ack" reason_ttl="0"/><service name="ssh" method="table" conf="3"/></port>
        <port protocol="tcp" portid="80"><state state="open" reason="syn-ack" reason_ttl="0"/><service name="http" method="table" conf="3"/></port>
        </ports>
        </host>
        <host starttime="1700000001" endtime="1700000003"><status state="up" reason="user-set" reason_ttl="0"/>
        <address addr="10.0.0.2" addrtype="ipv4"/>
        <ports><extraports state="closed" count="60">
        <extrareasons reason="conn-refused" count="60"/>
        </extraports>
        <extraports state="filtered" count="39">
        <extrareasons reason="no-response" count="39"/>
        </extraports>
        <port protocol="tcp" portid="443"><state state="open" reason="syn-ack" reason_ttl="0"/></port>
        </ports>
        </host>
        <runstats><finished time="1700000003" elapsed="3.00"/><hosts up="2" down="0" total="2"/></runstats>
        </nmaprun>

        """

    /// masscan `-oX`: no status, one host element per finding, banners as service elements.
    static let masscanXML = """
        <?xml version="1.0"?>
        <!-- masscan v1.3 scan -->
        <?xml-stylesheet href="" type="text/xsl"?>
        <nmaprun scanner="masscan" start="1795921466" version="1.3.2"  xmloutputversion="1.03">
        <scaninfo type="syn" protocol="tcp" />
        <host endtime="1795921466"><address addr="10.231.0.2" addrtype="ipv4"/><ports><port protocol="tcp" portid="80"><state state="open" reason="syn-ack" reason_ttl="64"/></port></ports></host>
        <host endtime="1795921467"><address addr="10.231.0.2" addrtype="ipv4"/><ports><port protocol="tcp" portid="22"><state state="open" reason="syn-ack" reason_ttl="64"/></port></ports></host>
        <host endtime="1795921468"><address addr="10.231.0.3" addrtype="ipv4"/><ports><port protocol="tcp" portid="443"><state state="open" reason="syn-ack" reason_ttl="64"/></port></ports></host>
        <host endtime="1795921469"><address addr="10.231.0.2" addrtype="ipv4"/><ports><port protocol="tcp" portid="80"><service name="title" banner="Welcome &lt;home&gt;"></service></port></ports></host>
        <host endtime="1795921469"><address addr="10.231.0.2" addrtype="ipv4"/><ports><port protocol="tcp" portid="80"><service name="http" banner="HTTP/1.0 200 OK\\x0d\\x0aServer: nginx"></service></port></ports></host>
        <runstats>
        <finished time="1795921470" timestr="2026-11-29 03:04:30" elapsed="4" />
        <hosts up="3" down="0" total="3" />
        </runstats>
        </nmaprun>

        """

    /// masscan `-oJ`: comma before every record but the first, on its own line.
    static let masscanJSON = """
        [
        {   "ip": "10.231.0.2",   "timestamp": "1795921466", "ports": [ {"port": 80, "proto": "tcp", "status": "open", "reason": "syn-ack", "ttl": 64} ] }
        ,
        {   "ip": "10.231.0.2",   "timestamp": "1795921466", "ports": [ {"port": 5353, "proto": "udp", "status": "open", "reason": "none", "ttl": 0} ] }
        ,
        {   "ip": "10.231.0.3",   "timestamp": "1795921467", "ports": [ {"port": 81, "proto": "tcp", "status": "closed", "reason": "rst-ack", "ttl": 64} ] }
        ,
        {   "ip": "10.231.0.2",   "timestamp": "1795921468", "ports": [ {"port": 80, "proto": "tcp", "service": {"name": "http", "banner": "HTTP/1.0 200 OK\\u000d\\u000aServer: nginx"} } ] }
        ,
        {   "ip": "10.231.0.4",   "timestamp": "1795921468", "ports": [ {"port": 22, "proto": "tcp", "service": {"name": "ssh", "banner": "SSH-2.0-OpenSSH_9.2p1"} } ] }
        ,
        {   "ip": "10.231.0.9",   "timestamp": "1795921469", "ports": [ {"port": 0, "proto": "arp", "status": "up", "reason": "arp-response", "ttl": 0} ] }
        ]

        """

    /// The same records as NDJSON (`--output-format ndjson`).
    static let masscanNDJSON = """
        {"ip":"10.231.0.2","timestamp":"1795921466","ports":[{"port":80,"proto":"tcp","status":"open","reason":"syn-ack","ttl":64}]}
        {"ip":"10.231.0.2","timestamp":"1795921466","ports":[{"port":5353,"proto":"udp","status":"open","reason":"none","ttl":0}]}
        {"ip":"10.231.0.3","timestamp":"1795921467","ports":[{"port":81,"proto":"tcp","status":"closed","reason":"rst-ack","ttl":64}]}

        """

    /// masscan `-oL`.
    static let masscanList = """
        #masscan
        open tcp 8443 10.231.0.2 1795921472
        closed tcp 81 10.231.0.2 1795921472
        open udp 53 10.231.0.5 1795921473
        banner tcp 8443 10.231.0.2 1795921474 http HTTP/1.0 200 OK\\x0d\\x0aServer: nginx
        banner tcp 22 10.231.0.6 1795921475 ssh SSH-2.0-OpenSSH_9.2p1
        # end

        """
}
