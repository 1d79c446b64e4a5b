import ArgumentParser
import FacetClient
import Foundation

/// How a `ClientError` ends a command: an input the client refused is a usage error (64); a node that could not
/// serve (unreachable, timed out, not ready) exits 2, so a script knows to retry; a refusal exits 1. The code and
/// message go to standard error.
enum CLIFailure {
    static func exitCode(_ error: ClientError) -> Int32 {
        if error.code == .invalidInput { return ExitCode.validationFailure.rawValue }
        return error.nodeUnavailable ? 2 : 1
    }

    static func exit(_ error: ClientError) throws -> Never {
        if error.code == .invalidInput { throw ValidationError(error.message) }
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        throw ExitCode(exitCode(error))
    }
}
