import ArgumentParser
import PortwardenStore

/// `portwarden review …`: rule-set reviews per zone (PCI DSS 1.2.7).
struct ReviewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract:
            "Review a zone's services: keep, modify or remove each one, then sign off (PCI DSS 1.2.7); review daily logs (10.4.1).",
        subcommands: [
            ReviewStartCommand.self, ReviewDecideCommand.self, ReviewSignCommand.self, ReviewShowCommand.self,
            ReviewDailyCommand.self,
        ]
    )
}

struct ReviewStartCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "start", abstract: "Start a review of a zone.")

    @OptionGroup var store: StoreOptions
    @Option(name: .long, help: "The zone under review.") var zone: String
    @Option(name: .long, help: "Who reviews.") var reviewer: String

    func run() async throws {
        let opened = try store.open()
        defer { try? opened.close() }
        let id = try StoreFailure.run { try opened.startReview(zone: zone, reviewer: reviewer) }
        print("review \(id): zone \(zone), reviewer \(reviewer)")
    }
}

struct ReviewDecideCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decide", abstract: "Record keep, modify or remove for one service.")

    @OptionGroup var store: StoreOptions
    @Argument(help: "The review id.") var review: Int64
    @Option(name: .long, help: "The service id.") var service: String
    @Option(name: .long, help: "keep, modify or remove.") var decision: String
    @Option(name: .long, help: "Why.") var note: String?

    func run() async throws {
        guard let value = ReviewDecision(rawValue: decision) else {
            throw CLIFailure.input("--decision \(decision): use keep, modify or remove")
        }
        let opened = try store.open()
        defer { try? opened.close() }
        try StoreFailure.run { try opened.decide(review: review, service: service, decision: value, note: note) }
        print("review \(review): \(service) → \(value.rawValue)")
    }
}

struct ReviewSignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign", abstract: "Sign a review off (every listed service must have a decision).")

    @OptionGroup var store: StoreOptions
    @Argument(help: "The review id.") var review: Int64
    @Option(name: .long, help: "Who signs.") var by: String
    @Option(name: .long, help: "The sign-off statement.") var statement: String?
    @Option(name: .long, help: "A service that must have a decision (repeatable).") var service: [String] = []

    func run() async throws {
        let opened = try store.open()
        defer { try? opened.close() }
        try StoreFailure.run { try opened.signReview(id: review, by: by, statement: statement, services: service) }
        print("review \(review): signed by \(by)")
    }
}

struct ReviewShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a review, or every review.")

    @OptionGroup var store: StoreOptions
    @Argument(help: "The review id (default: all).") var review: Int64?

    func run() async throws {
        let opened = try store.open(forWriting: false)
        defer { try? opened.close() }
        let reviews = try StoreFailure.run { () -> [StoredReview] in
            if let review { return try opened.review(id: review).map { [$0] } ?? [] }
            return try opened.reviews()
        }
        if reviews.isEmpty { throw CLIFailure.input(review.map { "no review \($0)" } ?? "no reviews") }
        // The worksheet's "last seen traffic" (1.2.7), from what ingest and monitor counted.
        let usage = try StoreFailure.run {
            Dictionary(
                try opened.serviceUsage().filter { $0.kind == .service }.map { ($0.id, $0) },
                uniquingKeysWith: { first, _ in first })
        }
        for item in reviews {
            let signed = item.signed.map { "signed \(StoreClock.text($0)) by \(item.signedBy ?? "?")" } ?? "not signed"
            print(
                "review \(item.id): zone \(item.zone), reviewer \(item.reviewer), started \(StoreClock.text(item.started)), \(signed)"
            )
            for decision in item.decisions {
                print("  \(decision.service): \(decision.decision)\(decision.note.map { " — \($0)" } ?? "")")
                print("    last seen traffic: \(Self.traffic(usage[decision.service]))")
            }
            if let statement = item.statement { print("  statement: \(statement)") }
        }
    }

    static func traffic(_ use: ServiceUsageRecord?) -> String {
        guard let use else { return "none recorded (no ingested log showed it used)" }
        return "\(StoreClock.text(use.lastSeen)) (\(use.hits) hits since \(StoreClock.text(use.firstSeen)), "
            + "\(use.sources.count)\(use.moreSources ? "+" : "") sources)"
    }
}
