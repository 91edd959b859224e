import PortwardenCore

/// One record of masscan's `-oJ` / NDJSON output, as masscan's `out-json.c` writes it.
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
    }

    let ip: String
    /// Epoch seconds; masscan writes a string, other tools a number.
    let timestamp: String?
    let ports: [Port]

    enum CodingKeys: String, CodingKey { case ip, timestamp, ports }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        ip = try container.decode(String.self, forKey: .ip)
        ports = try container.decode([Port].self, forKey: .ports)
        if let text = try? container.decodeIfPresent(String.self, forKey: .timestamp) {
            timestamp = text
        } else if let number = try container.decodeIfPresent(Double.self, forKey: .timestamp), number.isFinite,
            number >= 0, number < 1e12
        {
            timestamp = String(Int64(number))
        } else {
            timestamp = nil
        }
    }
}
