import Foundation

/// An executable product of this package built beside the test bundle (`swift build` puts every product of the
/// package in one folder): `facet`, or the test-only `facet-soak`. The tests that launch one find it here, and fail
/// naming every place tried when there is none, rather than pass without running.
public enum BuiltExecutable {
    public struct NotFound: Error, CustomStringConvertible {
        public let name: String
        public let variable: String
        public let tried: [String]

        public var description: String {
            "the \(name) executable was not found (build it with `swift build --build-tests`, or set \(variable)); "
                + "tried " + tried.joined(separator: ", ")
        }
    }

    /// The executable `name`, or the file named by its variable (`FACET_BINARY`, `FACET_SOAK_BINARY`) when set.
    public static func url(_ name: String) throws -> URL {
        let variable = name.uppercased().replacingOccurrences(of: "-", with: "_") + "_BINARY"
        if let path = ProcessInfo.processInfo.environment[variable] { return URL(fileURLWithPath: path) }
        var folders = [Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent()]
        if let executable = Bundle.main.executableURL { folders.append(executable.deletingLastPathComponent()) }
        if let first = CommandLine.arguments.first {
            folders.append(URL(fileURLWithPath: first).deletingLastPathComponent())
        }
        folders += Bundle.allBundles.map { $0.bundleURL.deletingLastPathComponent() }
        folders.append(ContractFiles.root.appendingPathComponent(".build/debug"))
        let candidates = folders.map { $0.appendingPathComponent(name) }
        for candidate in candidates {
            var isFolder: ObjCBool = false
            if FileManager.default.isExecutableFile(atPath: candidate.path),
                FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isFolder), !isFolder.boolValue
            {
                return candidate
            }
        }
        throw NotFound(name: name, variable: variable, tried: candidates.map(\.path))
    }
}
