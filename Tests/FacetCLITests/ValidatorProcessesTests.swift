import FacetClient
import FacetCore
import FacetDevnet
import FacetTestSupport
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The one ready-wait of the devnet and `bench ledger` (`ValidatorProcesses.waitUntilServing`), against real
/// processes and real TCP: each way it can end.
@Suite struct ValidatorProcessesTests {
    static func shell(_ script: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        try process.run()
        return process
    }

    /// A client of a port nothing listens on: every status request is refused.
    static func silentClient() throws -> NodeClient {
        try NodeClient(address: "http://127.0.0.1:\(try FacetProcess.freePort())", requestTimeout: .seconds(5))
    }

    @Test func aValidatorThatExitsEndsTheWaitWithItsStatus() async throws {
        let exited = try Self.shell("exit 3")
        exited.waitUntilExit()
        let readiness = await ValidatorProcesses.waitUntilServing(
            [try Self.silentClient()], children: [exited], connected: false, stopped: { false })
        #expect(readiness == .exited(index: 0, status: 3))
    }

    @Test func aStopRequestEndsTheWait() async throws {
        let running = try Self.shell("exec sleep 60")
        defer {
            kill(running.processIdentifier, SIGKILL)
            running.waitUntilExit()
        }
        let readiness = await ValidatorProcesses.waitUntilServing(
            [try Self.silentClient()], children: [running], connected: false, stopped: { true })
        #expect(readiness == .stopped)
    }

    @Test func noAnswerByTheDeadlineTimesOut() async throws {
        let running = try Self.shell("exec sleep 60")
        defer {
            kill(running.processIdentifier, SIGKILL)
            running.waitUntilExit()
        }
        let readiness = await ValidatorProcesses.waitUntilServing(
            [try Self.silentClient()], children: [running], connected: false, limit: .zero, stopped: { false })
        #expect(readiness == .timedOut)
    }

    /// A validator serving alone is ready; asked for two connected validators when only one runs, it is not.
    @Test(.timeLimit(.minutes(3))) func aServingValidatorIsReadyAndConnectedOnlyWithItsPeers() async throws {
        let folder = try TemporaryFolder()
        let layout = try ConsensusProcessTests.layout(in: folder, validators: 2)
        let node = try FacetProcess(["node", "start", "--config", layout.configPath(0).path])
        defer { node.signal(SIGKILL) }
        let client = try NodeClient(address: "http://\(layout.apiAddress(0))", requestTimeout: .seconds(5))
        let serving = await ValidatorProcesses.waitUntilServing(
            [client], children: [node.process], connected: false, limit: .seconds(120), stopped: { false })
        #expect(serving == .serving)
        let unconnected = await ValidatorProcesses.waitUntilServing(
            [client, try Self.silentClient()], children: [node.process], connected: true, limit: .zero,
            stopped: { false })
        #expect(unconnected == .timedOut)
    }
}
