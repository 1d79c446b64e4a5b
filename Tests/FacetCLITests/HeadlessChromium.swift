import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Debian's `chromium` run headless, one fresh profile per run, as the dashboard's browser test drives it: the DOM
/// after the page loaded (`--dump-dom`), or a screenshot of the window. Output goes to files, so a large DOM never
/// blocks on a full pipe; a run that hangs is stopped after `timeout`.
struct HeadlessChromium {
    let binary: String
    var timeout: Duration = .seconds(90)
    /// Flags added to every run (a TLS test pins the node's certificate with `--ignore-certificate-errors-spki-list`).
    var flags: [String] = []

    /// `FACET_CHROMIUM` (as given), else `chromium` (or `chromium-browser`) on PATH; nil when there is none, or when
    /// `FACET_SKIP_BROWSER=1` leaves the browser out on purpose.
    static var installed: String? {
        let environment = ProcessInfo.processInfo.environment
        if environment["FACET_SKIP_BROWSER"] == "1" { return nil }
        // A browser named on purpose is used as given: a wrong path fails the test rather than skipping it.
        if let path = environment["FACET_CHROMIUM"], !path.isEmpty { return path }
        let folders = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        for name in ["chromium", "chromium-browser"] {
            for folder in folders where FileManager.default.isExecutableFile(atPath: "\(folder)/\(name)") {
                return "\(folder)/\(name)"
            }
        }
        return nil
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The document as serialised after `url` (and any redirects) loaded.
    func dumpDOM(_ url: String) async throws -> String {
        let output = try await run(["--dump-dom", url])
        guard output.contains("<html") else {
            throw Failure(description: "chromium printed no document for \(url): \(output.prefix(500))")
        }
        return output
    }

    /// A PNG of the window at `width`×`height` CSS pixels after `url` loaded.
    func screenshot(_ url: String, to file: URL, width: Int, height: Int) async throws {
        try? FileManager.default.removeItem(at: file)
        _ = try await run(["--screenshot=\(file.path)", "--window-size=\(width),\(height)", "--hide-scrollbars", url])
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw Failure(description: "chromium wrote no screenshot to \(file.path) for \(url)")
        }
    }

    /// One run with its own profile folder, removed afterwards; the standard output.
    private func run(_ arguments: [String]) async throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("facet-chromium-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let stdout = folder.appendingPathComponent("stdout")
        let stderr = folder.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: stdout.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderr.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--user-data-dir=\(folder.appendingPathComponent("profile").path)",
            ] + flags + arguments
        process.standardOutput = try FileHandle(forWritingTo: stdout)
        process.standardError = try FileHandle(forWritingTo: stderr)
        try process.run()
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now > deadline {
                _ = kill(process.processIdentifier, SIGTERM)
                try await Task.sleep(for: .seconds(3))
                if process.isRunning { _ = kill(process.processIdentifier, SIGKILL) }
                process.waitUntilExit()
                throw Failure(description: "chromium \(arguments.joined(separator: " ")) ran over \(timeout)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        process.waitUntilExit()
        let text = (try? String(contentsOf: stdout, encoding: .utf8)) ?? ""
        guard process.terminationStatus == 0 else {
            let errors = (try? String(contentsOf: stderr, encoding: .utf8)) ?? ""
            throw Failure(
                description: "chromium exited \(process.terminationStatus) for \(arguments): \(errors.suffix(1_500))")
        }
        return text
    }
}
