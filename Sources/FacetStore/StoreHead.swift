import FacetCore

/// The last committed block as the store records it: enough for a node to know where it stands without
/// decoding a header.
public struct StoreHead: Hashable, Sendable {
    public let height: UInt64
    public let blockID: Hash256
    public let stateRoot: Hash256
    public let time: Timestamp
    public let logSize: UInt64
    public let logRoot: Hash256

    public init(
        height: UInt64, blockID: Hash256, stateRoot: Hash256, time: Timestamp, logSize: UInt64, logRoot: Hash256
    ) {
        self.height = height
        self.blockID = blockID
        self.stateRoot = stateRoot
        self.time = time
        self.logSize = logSize
        self.logRoot = logRoot
    }
}
