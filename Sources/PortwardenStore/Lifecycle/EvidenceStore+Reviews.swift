/// A keep / modify / remove decision on one service in a review.
public enum ReviewDecision: String, Sendable, CaseIterable {
    case keep, modify, remove
}

/// A review of a zone's services and rules (PCI DSS 1.2.7) with its decisions.
public struct StoredReview: Sendable, Hashable {
    public struct Decision: Sendable, Hashable {
        public var service: String
        public var decision: String
        public var note: String?
        public var decided: Int64
    }

    public var id: Int64
    public var zone: String
    public var reviewer: String
    public var started: Int64
    public var signed: Int64?
    public var signedBy: String?
    public var statement: String?
    public var decisions: [Decision]
}

extension EvidenceStore {
    /// Starts a review of a zone; returns its id.
    public func startReview(zone: String, reviewer: String) throws -> Int64 {
        try write { writer in
            try writer.insert(
                StoreSchema.reviews, [.text(zone), .text(reviewer), .integer(writer.time), .null, .null, .null])
        }
    }

    /// Records the decision on one service (a later decision on the same service replaces it in `show`).
    public func decide(review id: Int64, service: String, decision: ReviewDecision, note: String?) throws {
        try write { writer in
            let review = try Self.openReview(writer, id)
            _ = review
            try writer.insert(
                StoreSchema.reviewDecisions,
                [.integer(id), .text(service), .text(decision.rawValue), .optional(note), .integer(writer.time)])
        }
    }

    /// Signs a review off. It needs at least one decision and, when `services` is given (the zone's services
    /// in the policy), a decision on every one of them.
    public func signReview(id: Int64, by signer: String, statement: String?, services: [String] = []) throws {
        try write { writer in
            var row = try Self.openReview(writer, id)
            let decided = Set(
                try writer.rows(StoreSchema.reviewDecisions, where: "review_id = ?", [.integer(id)]).compactMap {
                    $0[2].text
                })
            guard !decided.isEmpty else { throw StoreError(.lifecycle, "review \(id) has no decisions yet") }
            let missing = services.filter { !decided.contains($0) }
            guard missing.isEmpty else {
                throw StoreError(
                    .lifecycle, "review \(id): no decision yet for \(missing.sorted().joined(separator: ", "))")
            }
            row[4] = .integer(writer.time)
            row[5] = .text(signer)
            row[6] = .optional(statement)
            try writer.update(StoreSchema.reviews, row)
        }
    }

    /// A review with its decisions (the latest per service).
    public func review(id: Int64) throws -> StoredReview? {
        try read { session in
            guard
                let row = try session.query(
                    "SELECT \(StoreSchema.reviews.selectList) FROM reviews WHERE id = ?", [.integer(id)]
                ).first
            else { return nil }
            return try Self.review(session, row)
        }
    }

    /// The latest signed review of a zone.
    public func lastSignedReview(zone: String) throws -> StoredReview? {
        try read { session in
            guard
                let row = try session.query(
                    "SELECT \(StoreSchema.reviews.selectList) FROM reviews WHERE zone = ? AND signed IS NOT NULL "
                        + "ORDER BY signed DESC LIMIT 1", [.text(zone)]
                ).first
            else { return nil }
            return try Self.review(session, row)
        }
    }

    /// Every review, newest first.
    public func reviews() throws -> [StoredReview] {
        try read { session in
            try session.query("SELECT \(StoreSchema.reviews.selectList) FROM reviews ORDER BY id DESC", []).map {
                try Self.review(session, $0)
            }
        }
    }

    static func review(_ session: any SQLSession, _ row: [SQLValue]) throws -> StoredReview {
        let id = row[0].integer ?? 0
        var latest: [String: StoredReview.Decision] = [:]
        for decision in try session.query(
            "SELECT service, decision, note, decided FROM review_decisions WHERE review_id = ? ORDER BY id",
            [.integer(id)])
        {
            let service = decision[0].text ?? ""
            latest[service] = .init(
                service: service, decision: decision[1].text ?? "", note: decision[2].text,
                decided: decision[3].integer ?? 0)
        }
        return StoredReview(
            id: id, zone: row[1].text ?? "", reviewer: row[2].text ?? "", started: row[3].integer ?? 0,
            signed: row[4].integer, signedBy: row[5].text, statement: row[6].text,
            decisions: latest.values.sorted { $0.service < $1.service })
    }

    static func openReview(_ writer: StoreWriter, _ id: Int64) throws -> [SQLValue] {
        guard let row = try writer.rows(StoreSchema.reviews, where: "id = ?", [.integer(id)]).first else {
            throw StoreError(.lifecycle, "no review \(id)")
        }
        guard row[4].isNull else { throw StoreError(.lifecycle, "review \(id) is already signed") }
        return row
    }
}
