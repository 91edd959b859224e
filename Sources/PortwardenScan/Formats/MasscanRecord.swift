import PortwardenCore

/// One record of masscan's `-oJ` output (`{"ip","timestamp","ports":[…]}`) or of its NDJSON output
/// (`{"ip","timestamp","port","proto","rec_type","data"}`), both read into the `-oJ` shape
/// (docs/formats.md, masscan).
struct MasscanRecord: Decodable {
    struct Port: Decodable {
        struct Service: Decodable {
            let name: String
            let banner: String?
        }

        let port: Int
        let proto: String
        let status: String?
        let reason: String?
        let ttl: Int?
        let service: Service?

        init(
            port: Int, proto: String, status: String? = nil, reason: String? = nil, ttl: Int? = nil,
            service: Service? = nil
        ) {
            self.port = port
            self.proto = proto
            self.status = status
            self.reason = reason
            self.ttl = ttl
            self.service = service
        }
    }

    let ip: String
    /// Epoch seconds; masscan writes a string, other tools a number.
    let timestamp: String?
    let ports: [Port]
    /// NDJSON's `rec_type` when it is not `status` or `banner` (the record carries no port).
    let unknownRecordType: String?

    enum CodingKeys: String, CodingKey { case ip, timestamp, ports, port, proto, recType = "rec_type", data }

    /// NDJSON's `data`: `status`/`reason`/`ttl` for a status record, `service_name`/`banner` for a
    /// banner record.
    struct RecordData: Decodable {
        let status: String?
        let reason: String?
        let ttl: Int?
        let serviceName: String?
        let banner: String?

        enum CodingKeys: String, CodingKey { case status, reason, ttl, serviceName = "service_name", banner }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        ip = try container.decode(String.self, forKey: .ip)
        if let text = try? container.decodeIfPresent(String.self, forKey: .timestamp) {
            timestamp = text
        } else if let number = try container.decodeIfPresent(Double.self, forKey: .timestamp), number.isFinite,
            number >= 0, number < 1e12
        {
            timestamp = String(Int64(number))
        } else {
            timestamp = nil
        }
        guard let recordType = try container.decodeIfPresent(String.self, forKey: .recType) else {
            ports = try container.decode([Port].self, forKey: .ports)
            unknownRecordType = nil
            return
        }
        let port = try container.decode(Int.self, forKey: .port)
        let proto = try container.decode(String.self, forKey: .proto)
        let data = try container.decode(RecordData.self, forKey: .data)
        switch recordType {
        case "status":
            ports = [Port(port: port, proto: proto, status: data.status, reason: data.reason, ttl: data.ttl)]
            unknownRecordType = nil
        case "banner":
            let service = Port.Service(name: data.serviceName ?? "", banner: data.banner)
            ports = [Port(port: port, proto: proto, service: service)]
            unknownRecordType = nil
        default:
            ports = []
            unknownRecordType = recordType
        }
    }
}
