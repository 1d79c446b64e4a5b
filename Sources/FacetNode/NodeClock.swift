import FacetCore
import Foundation

/// Wall-clock time for the parts of a node that need it: block times and the freshness of signed reads. Passed
/// in, never read directly, so tests drive time (`ManualNodeClock`) and the ledger itself stays clock-free.
public protocol NodeClock: Sendable {
    /// Milliseconds since the Unix epoch, UTC.
    func now() -> Timestamp
}

/// The system's clock.
public struct SystemNodeClock: NodeClock {
    public init() {}

    public func now() -> Timestamp {
        let millis = Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
        return Timestamp(uncheckedMillis: min(max(millis, 0), Limits.maxTimestampMillis))
    }
}
