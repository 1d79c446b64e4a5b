import FacetTestSupport
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The built `facet` executable run as a child process, as a user runs it: arguments in, exit status and output
/// out. Output goes to files, not pipes, so a chatty child never blocks on a full pipe.
final class FacetProcess {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String

        var summary: String { "exit \(status)\nstdout:\n\(stdout)\nstderr:\n\(stderr)" }
    }

    let process = Process()
    let arguments: [String]
    private let folder: URL

    /// `executable` is the name of a product built beside the tests: `facet`, or the test-only `facet-soak`.
    init(_ arguments: [String], executable: String = "facet") throws {
        self.arguments = arguments
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("facet-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: folder.appendingPathComponent("stdout").path, contents: nil)
        _ = FileManager.default.createFile(atPath: folder.appendingPathComponent("stderr").path, contents: nil)
        process.executableURL = try Self.binary(executable)
        process.arguments = arguments
        process.standardOutput = try FileHandle(forWritingTo: folder.appendingPathComponent("stdout"))
        process.standardError = try FileHandle(forWritingTo: folder.appendingPathComponent("stderr"))
        try process.run()
    }

    deinit {
        if process.isRunning { _ = kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: folder)
    }

    var stdout: String { (try? String(contentsOf: folder.appendingPathComponent("stdout"), encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOf: folder.appendingPathComponent("stderr"), encoding: .utf8)) ?? "" }

    /// Sends a signal (SIGTERM to stop a node gracefully).
    func signal(_ number: Int32) { if process.isRunning { _ = kill(process.processIdentifier, number) } }

    /// Waits for the exit; after `timeout` the process is killed and the test fails.
    func wait(timeout: Duration = .seconds(120)) async throws -> Result {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                signal(SIGKILL)
                Issue.record("facet \(arguments.joined(separator: " ")) did not finish within \(timeout)")
                break
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        process.waitUntilExit()
        let status = process.terminationReason == .exit ? process.terminationStatus : 128 + process.terminationStatus
        return Result(status: status, stdout: stdout, stderr: stderr)
    }

    /// Runs `facet ARGUMENTS` to its end.
    static func run(_ arguments: [String], executable: String = "facet", timeout: Duration = .seconds(120))
        async throws -> Result
    {
        try await FacetProcess(arguments, executable: executable).wait(timeout: timeout)
    }

    /// The executable `name` (`facet` by default) built beside the test bundle, or the file `FACET_BINARY`
    /// (`FACET_SOAK_BINARY`) names (`BuiltExecutable`).
    static func binary(_ name: String = "facet") throws -> URL { try BuiltExecutable.url(name) }

    /// True unless the built binary exists and lacks `facet node`: the one condition under which the end-to-end
    /// test is skipped (the node commands come from another branch). A missing binary keeps the test enabled, so
    /// it fails and says so. The exit status of `facet node --help` alone cannot tell: ArgumentParser answers an
    /// unknown subcommand followed by --help with the root's help and status 0, so the usage line must name
    /// `facet node` too.
    static var nodeCommandAvailable: Bool {
        guard let binary = try? binary() else { return true }
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("facet-help-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: output) }
        let process = Process()
        process.executableURL = binary
        process.arguments = ["node", "--help"]
        process.standardOutput = try? FileHandle(forWritingTo: output)
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return true }
        process.waitUntilExit()
        let help = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        return process.terminationStatus == 0 && help.contains("USAGE: facet node")
    }

    /// A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, then released).
    static func freePort() throws -> Int {
        #if canImport(Glibc)
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw PortError() }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(descriptor, socketAddress, length) == 0 && getsockname(descriptor, socketAddress, &length) == 0
            }
        }
        guard bound else { throw PortError() }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    struct PortError: Error {}
}
