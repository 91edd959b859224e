// swift-tools-version:6.1
import PackageDescription

/// Every target builds in the Swift 6 language mode with these upcoming features: existentials are
/// spelled `any`, and a file sees only the members of modules it imports itself.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

// No `platforms:` entry: the scanner and the listener inventory call Linux interfaces (Glibc,
// /proc, netlink, raw and packet sockets), so Linux is the only platform the package builds on.
let package = Package(
    name: "Portwarden",
    products: [
        .executable(name: "portwarden", targets: ["portwarden"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
    ],
    targets: [
        /// The domain model: addresses, prefixes, address sets, ports, zones, services, exceptions,
        /// observations, findings, severities and PCI DSS requirement ids. Pure values, no I/O.
        .target(
            name: "PortwardenCore", exclude: ["README.md"],
            swiftSettings: strictSettings
        ),
        /// Loading and validating the policy file, the evaluator and the insecure-service rule pack.
        .target(
            name: "PortwardenPolicy",
            dependencies: ["PortwardenCore", .product(name: "Yams", package: "Yams")],
            exclude: ["README.md"],
            swiftSettings: strictSettings
        ),
        /// The Linux kernel headers the scanner needs (epoll, errqueue, BPF, packet sockets, sched)
        /// and helpers for their macros; only PortwardenScan's `Kernel` shim and the test support use it.
        .target(name: "CPortwardenLinux", exclude: ["README.md"]),
        /// The scanner: connect engine, targets and port specs, scope guard, observation readers/writers.
        .target(
            name: "PortwardenScan",
            dependencies: ["PortwardenCore", "CPortwardenLinux", .product(name: "Logging", package: "swift-log")],
            exclude: ["README.md"],
            swiftSettings: strictSettings
        ),
        /// The local listener inventory from /proc: sockets, owners, bind scope, namespaces, drift.
        .target(
            name: "PortwardenHost", dependencies: ["PortwardenCore"], exclude: ["README.md"],
            swiftSettings: strictSettings),
        /// nftables enforcement: rulesets generated from the policy, deployed rulesets read back
        /// (`nft -j`) and held against it, segmentation test plans and their evidence.
        .target(
            name: "PortwardenEnforce", dependencies: ["PortwardenCore", "PortwardenPolicy"], exclude: ["README.md"],
            swiftSettings: strictSettings),
        /// Monitoring: netfilter, Zeek, Suricata and sshd log parsers, the streaming correlator, alert sinks.
        .target(
            name: "PortwardenMonitor", dependencies: ["PortwardenCore", "PortwardenPolicy"], exclude: ["README.md"],
            swiftSettings: strictSettings),
        /// Findings rendered for people and machines: text, JSON lines, SARIF, JUnit, HTML.
        .target(
            name: "PortwardenReport", dependencies: ["PortwardenCore", "PortwardenPolicy"], exclude: ["README.md"],
            swiftSettings: strictSettings),
        /// The evidence store: one protocol, SQLite (GRDB) and PostgreSQL (PostgresNIO) backends, migrations,
        /// the hash-chained audit log with signed checkpoints, retention tiers and monthly archives.
        .target(
            name: "PortwardenStore",
            dependencies: [
                "PortwardenCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["README.md"],
            swiftSettings: strictSettings
        ),
        /// The command line: argument parsing and wiring of the library targets.
        .target(
            name: "PortwardenCLI",
            dependencies: [
                "PortwardenCore", "PortwardenPolicy", "PortwardenScan", "PortwardenHost", "PortwardenReport",
                "PortwardenEnforce", "PortwardenMonitor", "PortwardenStore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            exclude: ["README.md"],
            swiftSettings: strictSettings
        ),
        /// The `portwarden` binary: one entry point that runs the root command.
        .executableTarget(
            name: "portwarden", dependencies: ["PortwardenCLI"],
            swiftSettings: strictSettings
        ),
        /// Test helpers: network namespaces, veth pairs, shell commands, the built binary's path.
        .target(
            name: "PortwardenTestSupport", dependencies: ["CPortwardenLinux"], exclude: ["README.md"],
            swiftSettings: strictSettings
        ),
        /// `bench/evaluate`: evaluation throughput at 10k/100k/1M observations (not a test).
        .executableTarget(
            name: "portwarden-bench-evaluate",
            dependencies: ["PortwardenCore", "PortwardenPolicy"],
            path: "bench/evaluate",
            swiftSettings: strictSettings
        ),
        /// `bench/inventory`: listener inventory of 10k sockets next to `ss -ltunp` (not a test).
        .executableTarget(
            name: "portwarden-bench-inventory",
            dependencies: ["PortwardenHost"],
            path: "bench/inventory",
            exclude: ["run.sh"],
            swiftSettings: strictSettings
        ),
        /// `bench/scan`: the connect engine against one target for bench/scan/run.sh (not a test).
        .executableTarget(
            name: "portwarden-bench-scan",
            dependencies: ["PortwardenCore", "PortwardenScan"],
            path: "bench/scan",
            exclude: ["run.sh"],
            swiftSettings: strictSettings
        ),
        /// `bench/store`: ingest, chain verification and a simulated year of scans (not a test).
        .executableTarget(
            name: "portwarden-bench-store",
            dependencies: ["PortwardenCore", "PortwardenStore"],
            path: "bench/store",
            swiftSettings: strictSettings
        ),
        /// The store crash test's writer: records scans until it is killed (a test helper, not shipped).
        .executableTarget(
            name: "portwarden-store-crash-writer",
            dependencies: ["PortwardenCore", "PortwardenStore"],
            path: "Tests/StoreCrashWriter",
            swiftSettings: strictSettings
        ),
        /// `bench/enforce`: writes the policy of the verify benchmark for bench/enforce/run.sh (not a test).
        .executableTarget(
            name: "portwarden-bench-enforce", path: "bench/enforce", exclude: ["run.sh"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "PortwardenStoreTests",
            dependencies: ["PortwardenTestSupport", "PortwardenCore", "PortwardenStore"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PortwardenMonitorTests", dependencies: ["PortwardenCore", "PortwardenPolicy", "PortwardenMonitor"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "PortwardenCoreTests", dependencies: ["PortwardenCore"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PortwardenPolicyTests", dependencies: ["PortwardenCore", "PortwardenPolicy"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "PortwardenScanTests", dependencies: ["PortwardenTestSupport", "PortwardenCore", "PortwardenScan"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "PortwardenHostTests", dependencies: ["PortwardenTestSupport", "PortwardenCore", "PortwardenHost"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "PortwardenReportTests",
            dependencies: ["PortwardenCore", "PortwardenPolicy", "PortwardenReport"],
            resources: [.copy("Golden")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PortwardenEnforceTests",
            dependencies: ["PortwardenTestSupport", "PortwardenCore", "PortwardenPolicy", "PortwardenEnforce"],
            resources: [.copy("Golden"), .copy("Rulesets")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PortwardenEndToEndTests",
            dependencies: ["PortwardenTestSupport", "PortwardenCore", "PortwardenCLI", "PortwardenStore"],
            swiftSettings: strictSettings
        ),
    ]
)

// The libFuzzer harness (fuzz/README.md, docs/fuzzing.md): one executable, `portwarden-fuzz`, whose
// targets feed the parsers. It exists only when PORTWARDEN_FUZZ=1, which scripts/fuzz.sh sets
// together with its own scratch path (.build-fuzz) and -sanitize=fuzzer,address, so the normal
// build and test never see it.
if Context.environment["PORTWARDEN_FUZZ"] == "1" {
    package.targets.append(
        .executableTarget(
            name: "portwarden-fuzz",
            dependencies: [
                "PortwardenCore", "PortwardenPolicy", "PortwardenScan", "PortwardenHost", "PortwardenMonitor",
                "PortwardenEnforce",
            ],
            path: "fuzz/Harness"
        )
    )
}
