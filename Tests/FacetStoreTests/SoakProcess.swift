import FacetTestSupport
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A running `facet store soak`, its output going to files so it can be read while the process runs and after
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
            "store", "soak", "--store", store, "--seed", "\(seed)", "--blocks", "\(blocks)", "--block-size",
            "\(blockSize)",
        ]
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
    }

    deinit {
        if process.isRunning { _ = kill() }
        try? FileManager.default.removeItem(at: output.deletingLastPathComponent())
    }

    /// Heights reported committed so far.
    var committed: [UInt64] {
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            line.hasPrefix("committed ") ? UInt64(line.dropFirst("committed ".count)) : nil
        }
    }

    var errorOutput: String { (try? String(contentsOf: errors, encoding: .utf8)) ?? "" }
    var exitStatus: Int32 { process.terminationStatus }

    /// Waits until `count` heights are reported, or the process ends; fails after two minutes.
    func waitForCommits(atLeast count: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(120)
        while committed.count < count && process.isRunning {
            guard ContinuousClock.now < deadline else {
                Issue.record("soak reported \(committed.count) of \(count) commits in two minutes: \(errorOutput)")
                return
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// SIGKILL; true when the process was still running.
    func kill() -> Bool {
        guard process.isRunning else { return false }
        #if canImport(Glibc)
            return Glibc.kill(process.processIdentifier, SIGKILL) == 0
        #else
            return Darwin.kill(process.processIdentifier, SIGKILL) == 0
        #endif
    }

    /// Waits for the process to end (at most five minutes) and returns the heights it reported.
    func waitForExit() async throws -> [UInt64] {
        let deadline = ContinuousClock.now + .seconds(300)
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                _ = kill()
                Issue.record("soak did not finish in five minutes")
                break
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        process.waitUntilExit()
        return committed
    }

    /// The `facet` executable built beside the test bundle (`swift build` puts every product of the package in
    /// one folder). `FACET_BINARY` overrides the search.
    static func facetBinary() throws -> URL {
        if let path = ProcessInfo.processInfo.environment["FACET_BINARY"] {
            return URL(fileURLWithPath: path)
        }
        var folders = [Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent()]
        if let executable = Bundle.main.executableURL { folders.append(executable.deletingLastPathComponent()) }
        if let first = CommandLine.arguments.first {
            folders.append(URL(fileURLWithPath: first).deletingLastPathComponent())
        }
        folders += Bundle.allBundles.map { $0.bundleURL.deletingLastPathComponent() }
        folders.append(ContractFiles.root.appendingPathComponent(".build/debug"))
        let candidates = folders.map { $0.appendingPathComponent("facet") }
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate.path) {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isFolder), !isFolder.boolValue {
                return candidate
            }
        }
        let tried = candidates.map(\.path).joined(separator: ", ")
        throw SoakError(
            "the facet executable was not found beside the tests (tried \(tried)); build it first with "
                + "`swift build --product facet` (ops/test does), or set FACET_BINARY")
    }
}

struct SoakError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
