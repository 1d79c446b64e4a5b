import FacetCore

/// The bound on a validator's inbox, per peer: how many messages and bytes from one peer may wait to be handled.
/// A message over its peer's share is refused at the door (dropped and counted; Tendermint tolerates a lost message,
/// and everything a correct validator signs is re-broadcast), so one peer's flood never delays another's messages
/// and never grows the process. Bounded as a whole by the number of peers (the validator set) times the share.
public struct InboxQuota: Sendable {
    public let maxMessages: Int
    public let maxBytes: Int
    var waiting: [MemberID: (messages: Int, bytes: Int)] = [:]

    public init(maxMessages: Int, maxBytes: Int) {
        precondition(maxMessages > 0 && maxBytes > 0, "an inbox holds something")
        self.maxMessages = maxMessages
        self.maxBytes = maxBytes
    }

    /// Counts a message of `bytes` from `peer` in, if its share has room.
    public mutating func admit(_ bytes: Int, from peer: MemberID) -> Bool {
        let current = waiting[peer] ?? (0, 0)
        guard current.messages < maxMessages, bytes <= maxBytes - current.bytes else { return false }
        waiting[peer] = (current.messages + 1, current.bytes + bytes)
        return true
    }

    /// Counts a message out once it was handled.
    public mutating func release(_ bytes: Int, from peer: MemberID) {
        guard let current = waiting[peer] else { preconditionFailure("released a message never admitted") }
        precondition(current.messages > 0 && current.bytes >= bytes, "released more than was admitted")
        waiting[peer] = current.messages == 1 ? nil : (current.messages - 1, current.bytes - bytes)
    }

    /// Whether no admitted message waits.
    public var isEmpty: Bool { waiting.isEmpty }

    public func waiting(from peer: MemberID) -> (messages: Int, bytes: Int) { waiting[peer] ?? (0, 0) }
}
