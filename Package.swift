// swift-tools-version: 6.1
import PackageDescription

// One target per job; data flows one way (a lower part never imports a higher one):
//   FacetCore → FacetLedger → FacetConsensus, FacetStore, FacetPeer, FacetCredit (with FacetScorecard, FacetHTML)
//   → FacetNode (the runtime) → FacetAPI (with FacetWire) → FacetDashboard → FacetServer
//   → FacetDevnet, FacetBench (libraries over FacetFiles) → `facet` (thin commands that parse and call them).
// FacetClient shares FacetWire with the API; FacetSimulation drives FacetConsensus; tests alone see FacetTestSupport.
let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "Facet",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "FacetCore", targets: ["FacetCore"]),
        .library(name: "FacetLedger", targets: ["FacetLedger"]),
        .library(name: "FacetConsensus", targets: ["FacetConsensus"]),
        .library(name: "FacetStore", targets: ["FacetStore"]),
        .library(name: "FacetNode", targets: ["FacetNode"]),
        .library(name: "FacetWire", targets: ["FacetWire"]),
        .library(name: "FacetAPI", targets: ["FacetAPI"]),
        .library(name: "FacetDashboard", targets: ["FacetDashboard"]),
        .library(name: "FacetServer", targets: ["FacetServer"]),
        .library(name: "FacetClient", targets: ["FacetClient"]),
        .library(name: "FacetPeer", targets: ["FacetPeer"]),
        .library(name: "FacetDemo", targets: ["FacetDemo"]),
        .library(name: "FacetScorecard", targets: ["FacetScorecard"]),
        .library(name: "FacetCredit", targets: ["FacetCredit"]),
        .library(name: "FacetFiles", targets: ["FacetFiles"]),
        .library(name: "FacetDevnet", targets: ["FacetDevnet"]),
        .library(name: "FacetBench", targets: ["FacetBench"]),
        .executable(name: "facet", targets: ["facet"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/vapor/sqlite-nio", from: "1.13.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
    ],
    targets: [
        // What every part shares and nothing else: canonical encoding, hashes, Merkle trees and logs, Ed25519 signing,
        // money, timestamps, limits, the one error shape (`FacetError`). No I/O.
        .target(
            name: "FacetCore",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict
        ),
        // The ledger's rules as pure functions: transactions and their one kind table, contracts, the world state,
        // block execution, the access policy, signed reads, genesis and proof bundles. No I/O, no clock.
        .target(name: "FacetLedger", dependencies: ["FacetCore"], swiftSettings: strict),
        // Tendermint and the validator's machine (block sync, state sync, defenses) without I/O, time passed in: the
        // node's driver and the simulation run the same code.
        .target(name: "FacetConsensus", dependencies: ["FacetCore", "FacetLedger"], swiftSettings: strict),
        // Where committed blocks and state live: the `LedgerStore` protocol, SQLite (embedded default) and PostgreSQL.
        .target(
            name: "FacetStore",
            dependencies: [
                "FacetCore", "FacetLedger",
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        // The API's request and response bodies (`contracts/openapi.yaml`), one model for the node and the client.
        .target(name: "FacetWire", dependencies: ["FacetCore", "FacetLedger"], swiftSettings: strict),
        // The node runtime: the ledger actor, mempool, consensus driver, state sync, services, metrics, configuration
        // and credit serving (an index kept in step with commits, outside the actor). Imports no HTTP framework.
        .target(
            name: "FacetNode",
            dependencies: [
                "FacetCore", "FacetLedger", "FacetConsensus", "FacetPeer", "FacetStore", "FacetCredit",
                "FacetScorecard", "FacetTLS",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        // The HTTP API over the runtime: routes, the access policy's enforcement, signed reads and their replay
        // guard, receipts, APIError and its middleware, the APIJSON response types. Knows nothing of the dashboard.
        .target(
            name: "FacetAPI",
            dependencies: [
                "FacetCore", "FacetLedger", "FacetStore", "FacetNode", "FacetCredit", "FacetScorecard", "FacetWire",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        // The web dashboard: server-rendered pages, their layout, format and SVG charts, sign-in sessions. Its
        // handlers read through the API's signed-member and receipt rules, so it sits above FacetAPI.
        .target(
            name: "FacetDashboard",
            dependencies: [
                "FacetCore", "FacetLedger", "FacetStore", "FacetNode", "FacetAPI", "FacetCredit", "FacetScorecard",
                "FacetHTML", "FacetWire",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            // The dashboard's scripts and stylesheet, compiled into the binary (it is installed alone, with no
            // resource bundle beside it): `PackageResources.verify_js` and so on.
            resources: [
                .embedInCode("Resources/verify.js"), .embedInCode("Resources/applicants.js"),
                .embedInCode("Resources/dashboard.css"),
            ],
            swiftSettings: strict
        ),
        // The launcher: the one place that sees the runtime, the API and the dashboard, and assembles them into one
        // Hummingbird app and one service group. A module of its own so that the API never imports the dashboard
        // (no hook to register later, no cycle) and the runtime imports neither.
        .target(
            name: "FacetServer",
            dependencies: [
                "FacetCore", "FacetLedger", "FacetConsensus", "FacetPeer", "FacetStore", "FacetTLS", "FacetNode",
                "FacetAPI", "FacetDashboard",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict
        ),
        // The transport between validators: framed, authenticated (signed handshake), optionally TLS.
        .target(
            name: "FacetPeer",
            dependencies: [
                "FacetCore", "FacetLedger",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: strict
        ),
        // The demo consortium: the seed files' model and the deterministic history generator.
        .target(name: "FacetDemo", dependencies: ["FacetCore", "FacetLedger"], swiftSettings: strict),
        // The credit engine: features from the ledger, scorecards, collateral, products, pricing. Pure and
        // deterministic: the same model and ledger height give the same numbers on every node.
        .target(
            name: "FacetCredit", dependencies: ["FacetCore", "FacetLedger", "FacetScorecard"], swiftSettings: strict),
        // Scorecards as statistics, knowing nothing of the ledger: binning, weight of evidence, logistic
        // regression, scaling, calibration, validation. Trained on ledger features or on a lender's CSV book.
        .target(
            name: "FacetScorecard", dependencies: ["FacetCore", "FacetHTML"],
            resources: [.embedInCode("Resources/report.css")], swiftSettings: strict),
        // The one HTML renderer: markup escaped by construction (`HTML`), SVG charts and locale-free number formats,
        // for the dashboard's pages and the scorecard validation report alike.
        .target(name: "FacetHTML", swiftSettings: strict),
        // The client of a node: http through URLSession, https through NIO and NIOSSL with a CA file as trust root.
        .target(
            name: "FacetClient",
            dependencies: [
                "FacetCore", "FacetLedger", "FacetWire",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strict
        ),
        // Certificates for TLS: a private CA and the certificates it issues to nodes (PEM files), for `facet node
        // init` and `facet devnet --tls`.
        .target(
            name: "FacetTLS",
            dependencies: [
                "FacetCore",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        // The simulation harness (`facet sim`, the simulation suites) and the fixtures the benchmarks sign with:
        // seeded randomness, the ledger and chain fixtures, simulated chains, the consensus simulation driving
        // FacetConsensus's validator machine, adversaries and the state checker. Linked by `facet`, so no test code.
        .target(
            name: "FacetSimulation", dependencies: ["FacetCore", "FacetLedger", "FacetConsensus"],
            swiftSettings: strict),
        // What only tests use (the contracts/ files, the built executables they launch); re-exports FacetSimulation.
        // Never in the `facet` binary: ops/test checks that.
        .target(
            name: "FacetTestSupport", dependencies: ["FacetCore", "FacetLedger", "FacetConsensus", "FacetSimulation"],
            swiftSettings: strict),
        // The crash-test child of FacetStoreTests (and the store builder of a CLI backup test): commits a seeded
        // simulated chain to a store so a test can kill it; test-only, so it stays out of `facet`.
        .executableTarget(
            name: "facet-soak",
            dependencies: [
                "FacetCore", "FacetLedger", "FacetStore", "FacetSimulation",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Tests/FacetSoak",
            swiftSettings: strict
        ),
        // Local files outside any command line (key files, genesis, reports) with `FileError`, so libraries share them.
        .target(
            name: "FacetFiles", dependencies: ["FacetCore", "FacetLedger", "FacetClient"], swiftSettings: strict),
        // `facet devnet` as a library: the one supervisor of validator processes, the ready-wait, the devnet's
        // layout, history, live activity and its services in one ServiceGroup; the CLI only parses options.
        .target(
            name: "FacetDevnet",
            dependencies: [
                "FacetCore", "FacetLedger", "FacetStore", "FacetNode", "FacetServer", "FacetClient", "FacetDemo",
                "FacetTLS", "FacetScorecard", "FacetFiles",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict
        ),
        // `facet bench` as a library: each benchmark a plain settings struct that runs it (`Bench…Run`), their load
        // generators, HTTP/1.1 load connection, commit watches, reports and the one percentile function.
        .target(
            name: "FacetBench",
            dependencies: [
                "FacetCore", "FacetLedger", "FacetConsensus", "FacetPeer", "FacetStore", "FacetNode", "FacetAPI",
                "FacetServer", "FacetClient", "FacetWire", "FacetSimulation", "FacetDevnet", "FacetFiles", "FacetCredit",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict
        ),
        // The `facet` command line: subcommands that parse options and call into the libraries; links no test support.
        .executableTarget(
            name: "facet",
            dependencies: [
                "FacetCore", "FacetLedger", "FacetConsensus", "FacetStore", "FacetNode", "FacetAPI", "FacetServer",
                "FacetClient", "FacetDemo", "FacetCredit", "FacetScorecard", "FacetSimulation", "FacetTLS", "FacetFiles",
                "FacetDevnet", "FacetBench",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Test-only support that needs the Testing library (kept apart so FacetTestSupport stays free of it): the
        // trait that runs CPU-bound suites off Swift's cooperative pool.
        .target(name: "FacetTestTraits", path: "Tests/FacetTestTraits", swiftSettings: strict),
        // One test target per library, named after it. FacetNodeTests also holds the tests of FacetAPI, FacetDashboard
        // and FacetServer (they share one in-process node and its HTTP client), FacetCLITests those of FacetDevnet,
        // FacetBench and FacetFiles (they launch the built binaries).
        .testTarget(
            name: "FacetClientTests",
            dependencies: ["FacetCore", "FacetLedger", "FacetClient", "FacetWire"],
            swiftSettings: strict
        ),
        // The command line: its argument parsing and transaction bodies (the executable's module, imported for
        // testing), and the end-to-end test that launches the built `facet` binary against a node.
        .testTarget(
            name: "FacetCLITests",
            dependencies: [
                "facet", "FacetCore", "FacetLedger", "FacetClient", "FacetDemo", "FacetTestSupport", "FacetTestTraits",
                "FacetStore", "FacetTLS", "FacetNode", "FacetAPI", "FacetServer", "FacetPeer", "FacetConsensus",
                "FacetFiles", "FacetDevnet", "FacetBench",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "FacetCoreTests",
            dependencies: ["FacetCore", "FacetTestSupport", "FacetTestTraits"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "FacetNodeTests",
            dependencies: [
                "FacetCore", "FacetLedger", "FacetConsensus", "FacetStore", "FacetNode", "FacetAPI", "FacetDashboard",
                "FacetServer", "FacetPeer", "FacetCredit", "FacetScorecard", "FacetClient", "FacetTLS", "FacetHTML",
                "FacetWire",
                "FacetTestSupport", "FacetTestTraits",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "FacetConsensusTests",
            dependencies: ["FacetConsensus", "FacetCore", "FacetLedger", "FacetTestSupport", "FacetTestTraits"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "FacetPeerTests",
            dependencies: [
                "FacetCore", "FacetLedger", "FacetPeer", "FacetTLS",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "FacetLedgerTests",
            dependencies: ["FacetCore", "FacetLedger", "FacetTestSupport", "FacetTestTraits"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "FacetDemoTests",
            dependencies: ["FacetDemo", "FacetCore", "FacetLedger", "FacetTestSupport", "FacetTestTraits"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "FacetCreditTests",
            dependencies: [
                "FacetCredit", "FacetScorecard", "FacetDemo", "FacetCore", "FacetLedger", "FacetTestSupport",
                "FacetTestTraits",
            ],
            swiftSettings: strict
        ),
        // FacetHTML on its own: the escaping and the locale-free number formats, as pure functions.
        .testTarget(name: "FacetHTMLTests", dependencies: ["FacetHTML"], swiftSettings: strict),
        .testTarget(
            name: "FacetScorecardTests", dependencies: ["FacetScorecard", "FacetCore", "FacetHTML", "FacetTestTraits"],
            swiftSettings: strict),
        .testTarget(
            name: "FacetStoreTests",
            dependencies: [
                "FacetCore", "FacetLedger", "FacetStore", "FacetTestSupport", "FacetTestTraits",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
    ]
)
