import Foundation
import Synchronization

/// Where `pg_dump` and `pg_restore` are, and how to run them against a `PostgresTarget`.
///
/// Looked for in order: the folder given (`facet node backup --pg-bin`), `FACET_PG_BIN`, every folder of `PATH`,
/// then Debian's and Ubuntu's `/usr/lib/postgresql/<version>/bin`, highest version first (`pg_dump` must be at
/// least the server's version).
public struct PostgresTools: Sendable {
    public var binDirectory: String?

    public init(binDirectory: String? = nil) {
        self.binDirectory = binDirectory
    }

    func path(of tool: String) throws(StoreError) -> String {
        let environment = ProcessInfo.processInfo.environment
        var folders = [binDirectory, environment["FACET_PG_BIN"]].compactMap { $0 }.filter { !$0.isEmpty }
        folders += (environment["PATH"] ?? "").split(separator: ":").map(String.init)
        let debian = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: debian)) ?? []
        folders += versions.compactMap(Int.init).sorted(by: >).map { "\(debian)/\($0)/bin" }
        for folder in folders {
            let candidate = URL(fileURLWithPath: folder).appendingPathComponent(tool).path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw StoreError(
            .toolFailed,
            "\(tool) not found (looked in --pg-bin, FACET_PG_BIN, PATH and \(debian)/*/bin); install the PostgreSQL "
                + "client of the server's version (apt install postgresql-client-<version>)")
    }

    /// libpq's environment for `target`: the password never goes on a command line. Our `require` verifies the
    /// server's certificate; libpq's `verify-full` does that only against `sslrootcert`, so without one the tools
    /// use `require` (encrypted, not verified).
    static func environment(_ target: PostgresTarget) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["PGHOST"] = target.host
        environment["PGPORT"] = String(target.port)
        environment["PGUSER"] = target.username
        environment["PGDATABASE"] = target.database
        environment["PGCONNECT_TIMEOUT"] = String(target.connectTimeoutSeconds)
        environment["PGPASSWORD"] = target.password
        switch target.tls {
        case .disable: environment["PGSSLMODE"] = "disable"
        case .prefer: environment["PGSSLMODE"] = "prefer"
        case .require: environment["PGSSLMODE"] = target.tlsRootCertificates == nil ? "require" : "verify-full"
        }
        environment["PGSSLROOTCERT"] = target.tlsRootCertificates
        return environment
    }

    /// Runs `tool` with `arguments`, handing each line it writes to standard error to `line` (`--verbose` progress),
    /// and throws `store.tool_failed` quoting its last lines when it exits with an error.
    func run(
        _ tool: String, _ arguments: [String], target: PostgresTarget, line: @escaping @Sendable (String) -> Void
    ) async throws(StoreError) {
        let executable = try path(of: tool)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = Self.environment(target)
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        let output = ToolOutput(line: line)
        errors.fileHandleForReading.readabilityHandler = { handle in output.append(handle.availableData) }
        let status: Int32 = await withCheckedContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                output.append(Data("cannot start \(executable): \(error)\n".utf8))
                process.terminationHandler = nil
                continuation.resume(returning: -1)
            }
        }
        errors.fileHandleForReading.readabilityHandler = nil
        output.append(errors.fileHandleForReading.readDataToEndOfFile())
        output.finish()
        guard status == 0 else {
            throw StoreError(
                .toolFailed, "\(tool) exited with status \(status): \(output.lastLines.joined(separator: " | "))")
        }
    }
}

/// A tool's standard error, split into lines as it arrives; keeps the last few for an error message.
final class ToolOutput: Sendable {
    private struct State {
        var pending = Data()
        var last = [String]()
    }

    private let state = Mutex(State())
    private let line: @Sendable (String) -> Void

    init(line: @escaping @Sendable (String) -> Void) {
        self.line = line
    }

    func append(_ data: Data) {
        let lines: [String] = state.withLock { state in
            state.pending.append(data)
            var lines = [String]()
            while let newline = state.pending.firstIndex(of: 0x0A) {
                lines.append(String(decoding: state.pending[state.pending.startIndex..<newline], as: UTF8.self))
                state.pending = Data(state.pending[(newline + 1)...])
            }
            state.last = Array((state.last + lines).suffix(8))
            return lines
        }
        for text in lines where !text.isEmpty { line(text) }
    }

    func finish() {
        append(Data([0x0A]))
    }

    var lastLines: [String] { state.withLock { $0.last.filter { !$0.isEmpty } } }
}
