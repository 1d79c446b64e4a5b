import FacetClient
import Foundation
import Logging
import ServiceLifecycle

#if canImport(Glibc)
    import Glibc
#endif

/// The one supervisor of validator processes, for the devnet and the benchmarks that run validators as processes
/// (`bench ledger`, `bench memory`): each a `facet node start` child of this very binary, logging to its folder's
/// node.log, stopped with SIGTERM and, after a grace, SIGKILL. In the devnet each is a `Service` of one group.
package enum ValidatorProcesses {
    /// The devnet's grace: longer than a node's own cut of its graceful stop (60 s), so SIGKILL is a last resort.
    package static let stopGrace: Duration = .seconds(90)

    package static func launch(layout: DevnetLayout, index: Int) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = ["node", "start", "--config", layout.configPath(index).path]
        let log = layout.validatorFolder(index).appendingPathComponent("node.log")
        if !FileManager.default.fileExists(atPath: log.path) {
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        }
        let handle = try FileHandle(forWritingTo: log)
        handle.seekToEndOfFile()
        process.standardError = handle
        process.standardOutput = handle
        try process.run()
        return process
    }

    /// SIGTERM to every child still running, then SIGKILL to those running after `grace`; returns once all exited.
    package static func stop(_ children: [Process], grace: Duration, say: (String) -> Void) {
        guard children.contains(where: \.isRunning) else { return }
        say(children.count == 1 ? "stopping the validator…" : "stopping \(children.count) validators…")
        for child in children where child.isRunning { kill(child.processIdentifier, SIGTERM) }
        let deadline = ContinuousClock.now + grace
        while children.contains(where: \.isRunning) && ContinuousClock.now < deadline { usleep(20_000) }
        for child in children where child.isRunning { kill(child.processIdentifier, SIGKILL) }
        for child in children { child.waitUntilExit() }
    }

    /// Runs the devnet's service group until Ctrl-C or SIGTERM (or until `watch` ends, when the validators never
    /// served): the validators, then the watch, then the live activity (if any); a shutdown stops them in reverse:
    /// the live activity, the watch, then each validator.
    package static func serve(validators: [Process], watch: DevnetWatch, live: DevnetLiveService?) async throws {
        var logger = Logger(label: "facet.devnet")
        logger.logLevel = .critical
        var services = validators.map { process in
            ServiceGroupConfiguration.ServiceConfiguration(
                service: ValidatorProcessService(process: process), successTerminationBehavior: .ignore)
        }
        services.append(.init(service: watch, successTerminationBehavior: .gracefullyShutdownGroup))
        if let live { services.append(.init(service: live, successTerminationBehavior: .ignore)) }
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }

    /// How waiting for validators to serve ended.
    package enum Readiness: Equatable, Sendable {
        case serving
        /// Validator `index` exited (with `status`) before all served.
        case exited(index: Int, status: Int32)
        case timedOut
        /// `stopped()` turned true (Ctrl-C, a group shutting down).
        case stopped
    }

    /// The one ready-wait, for the devnet and the benchmarks: until every validator's API answers
    /// `GET /v1/status` (and, with `connected`, lists every other validator among its peers), polling every 100 ms
    /// for at most `limit`; sooner when a validator process exits or `stopped()` turns true. After the deadline it
    /// looks once more before giving up.
    package static func waitUntilServing(
        _ clients: [NodeClient], children: [Process], connected: Bool, limit: Duration = .seconds(60),
        stopped: () -> Bool
    ) async -> Readiness {
        let deadline = ContinuousClock.now + limit
        while true {
            if stopped() { return .stopped }
            if let index = children.firstIndex(where: { !$0.isRunning }) {
                return .exited(index: index, status: children[index].terminationStatus)
            }
            var serving = 0
            for client in clients {
                guard let status = try? await client.status() else { continue }
                if !connected || status.peers.count >= clients.count - 1 { serving += 1 }
            }
            if serving == clients.count { return .serving }
            if ContinuousClock.now >= deadline { return .timedOut }
            try? await Task.sleep(for: .milliseconds(100))
        }
    }
}

/// A validator process as a `Service`: it waits while the process runs, and on the group's graceful shutdown stops
/// it as `ValidatorProcesses.stop` does. A validator that exits on its own ends only its service (the watch says so).
package struct ValidatorProcessService: Service {
    package let process: Process

    package init(process: Process) { self.process = process }

    package func run() async {
        while process.isRunning && !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(100))
        }
        ValidatorProcesses.stop([process], grace: ValidatorProcesses.stopGrace) { _ in }
    }
}

/// The devnet's watch as a `Service`: it waits for the validators to serve, prints the summary, lets the live
/// activity start (`DevnetLiveService`) and keeps the status lines going until the group shuts down.
package struct DevnetWatch: Service {
    package let body: @Sendable () async -> Void

    package init(body: @escaping @Sendable () async -> Void) { self.body = body }

    package func run() async { await body() }
}
