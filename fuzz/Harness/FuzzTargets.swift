/// Every libFuzzer target. Adding a parser's target: one file in `Targets/`, one line here, a seed
/// folder `fuzz/corpus/<name>/` and, where the format has keywords, `fuzz/dict/<name>.dict`.
enum FuzzTargets {
    /// All targets, in `scripts/fuzz.sh`'s order.
    static let all: [any FuzzTarget.Type] = [
        PolicyTarget.self,
        YAMLPreflightTarget.self,
        NmapXMLTarget.self,
        MasscanJSONTarget.self,
        MasscanListTarget.self,
        ObservationLinesTarget.self,
        OsqueryTarget.self,
        SSTarget.self,
        ProcNetTarget.self,
        ProcTextTarget.self,
        TargetSpecTarget.self,
        PortSpecTarget.self,
        DetectionHTTPTarget.self,
        DetectionMySQLTarget.self,
        DetectionRDPTarget.self,
        DetectionSMBTarget.self,
        DetectionTLSTarget.self,
        DetectionCertificateTarget.self,
        DetectionVNCTarget.self,
        DetectionTextTarget.self,
        DetectionStartTLSTarget.self,
        DetectionMQTTTarget.self,
        DetectionEtcdTarget.self,
        DetectionDNSTarget.self,
        DetectionPPTPTarget.self,
        DetectionAMQPTarget.self,
        DetectionZooKeeperTarget.self,
        DetectionIPPTarget.self,
        DetectionLPDTarget.self,
        UDPReplyTarget.self,
        UDPErrorQueueTarget.self,
        SYNReplyTarget.self,
        LogNetfilterTarget.self,
        LogZeekTarget.self,
        LogSuricataTarget.self,
        LogSSHDTarget.self,
        NftJSONTarget.self,
        MonitorConfigTarget.self,
        WebhookTarget.self,
        WebhookQueueFileTarget.self,
        SyslogFramingTarget.self,
    ]

    /// The target called `name`, if any.
    static func named(_ name: String) -> (any FuzzTarget.Type)? {
        all.first { $0.name == name }
    }
}
