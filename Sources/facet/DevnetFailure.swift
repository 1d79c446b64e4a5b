import Foundation

/// Why `facet devnet` stopped, with a stable code.
struct DevnetFailure: Error, CustomStringConvertible {
    enum Code: String {
        /// No `seeds/consortium.json` where the devnet looked.
        case seedsMissing = "devnet.seeds_missing"
        /// `devnet.json` in the folder is not a devnet record.
        case recordUnreadable = "devnet.record_unreadable"
        /// A validator refused a generated transaction before ordering it (a generator bug, never expected).
        case historyRefused = "devnet.history_refused"
        /// The validators stopped committing while loading the history.
        case historyStalled = "devnet.history_stalled"
        /// The validators ended the history with different state roots.
        case historyDiverged = "devnet.history_diverged"
        /// The validators did not connect to one another.
        case notConnected = "devnet.not_connected"
    }

    let code: Code
    let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    var description: String { "\(code.rawValue): \(message)" }
}
