import FacetTestSupport
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A running `facet-soak`, its output going to files so it can be read while the process runs and after
/// it is killed.
final class SoakProcess {
    let process = Process()
    private let output: URL
    private let errors: URL

    init(binary: URL, store: String, seed: UInt64, blocks: UInt64, blockSize: Int) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("facet-soak-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        output = folder.appendingPathComponent("stdout")
        errors = folder.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        process.executableURL = binary
        process.arguments = [
            "--store", store, "--seed", "\(seed)", "--blocks", "\(blocks)", "--block-size", "\(blockSize)",
        ]
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
    }

    deinit {
        kill()
        try? FileManager.default.removeItem(at: output.deletingLastPathComponent())
    }

    /// Heights reported committed so far.
    var committed: [UInt64] { Self.committed(in: output) }

    static func committed(in output: URL) -> [UInt64] {
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            line.hasPrefix("committed ") ? UInt64(line.dropFirst("committed ".count)) : nil
        }
    }

    /// True when the process ended by SIGKILL (ours).
    var wasKilled: Bool {
        !process.isRunning && process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL
    }

    var errorOutput: String { (try? String(contentsOf: errors, encoding: .utf8)) ?? "" }
    var exitStatus: Int32 { process.terminationStatus }

    /// Sends SIGKILL once the process has reported `commits` heights and `milliseconds` more have passed.
    ///
    /// The watching runs on a thread of its own, joined before this returns: the test's tasks share the
    /// cooperative pool with every other test, and a kill that waited for a free pool thread would land late,
    /// after the writer had run far ahead.
    func kill(afterCommits commits: Int, milliseconds: Int) async {
        let pid = process.processIdentifier
        let output = self.output
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let watcher = Thread {
                let deadline = Date().addingTimeInterval(120)
                while Self.committed(in: output).count < commits, signal(pid, 0), Date() < deadline {
                    usleep(2_000)
                }
                usleep(useconds_t(milliseconds * 1_000))
                _ = signal(pid, SIGKILL)
                continuation.resume()
            }
            watcher.start()
        }
    }

    /// SIGKILL now, if the process still runs.
    func kill() {
        if process.isRunning { _ = signal(process.processIdentifier, SIGKILL) }
    }

    /// Waits for the process to end (at most five minutes) and returns the heights it reported.
    func waitForExit() async throws -> [UInt64] {
        let deadline = ContinuousClock.now + .seconds(300)
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                kill()
                Issue.record("soak did not finish in five minutes")
                break
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        process.waitUntilExit()
        return committed
    }

    /// The test-only `facet-soak` executable built beside the test bundle, or `FACET_SOAK_BINARY`.
    static func soakBinary() throws -> URL { try BuiltExecutable.url("facet-soak") }
}

/// `kill(2)`: true when the signal was sent (with 0, when the process exists).
private func signal(_ pid: Int32, _ signal: Int32) -> Bool {
    #if canImport(Glibc)
        return Glibc.kill(pid, signal) == 0
    #else
        return Darwin.kill(pid, signal) == 0
    #endif
}
