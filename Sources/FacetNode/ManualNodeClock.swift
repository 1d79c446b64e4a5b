import FacetCore
import Synchronization

/// A clock that moves only when told to: for tests of time windows and block times.
public final class ManualNodeClock: NodeClock {
    private let current: Mutex<Timestamp>

    public init(_ start: Timestamp) {
        current = Mutex(start)
    }

    public func now() -> Timestamp { current.withLock { $0 } }

    public func set(_ time: Timestamp) { current.withLock { $0 = time } }

    public func advance(millis: Int64) {
        current.withLock { $0 = Timestamp(uncheckedMillis: $0.millis + millis) }
    }
}
