import FacetCore

/// Why `facet devnet` stopped, with a stable code.
package typealias DevnetFailure = FacetError<DevnetFailureCode>

/// The codes of `DevnetFailure`.
package struct DevnetFailureCode: ErrorCode, RawRepresentable {
    package let rawValue: String
    package init(rawValue: String) { self.rawValue = rawValue }

    /// No `seeds/consortium.json` where the devnet looked.
    package static let seedsMissing = Self(rawValue: "devnet.seeds_missing")
    /// `devnet.json` in the folder is not a devnet record.
    package static let recordUnreadable = Self(rawValue: "devnet.record_unreadable")
    /// A validator refused a generated transaction before ordering it (a generator bug, never expected).
    package static let historyRefused = Self(rawValue: "devnet.history_refused")
    /// The validators stopped committing while loading the history.
    package static let historyStalled = Self(rawValue: "devnet.history_stalled")
    /// The validators ended the history with different state roots.
    package static let historyDiverged = Self(rawValue: "devnet.history_diverged")
    /// The validators did not connect to one another.
    package static let notConnected = Self(rawValue: "devnet.not_connected")
    /// `--fresh` on a folder that holds something other than a devnet (it is left alone).
    package static let notADevnet = Self(rawValue: "devnet.not_a_devnet")
    /// `--store` is not a PostgreSQL URL the devnet can use.
    package static let storeInvalid = Self(rawValue: "devnet.store_invalid")
}
