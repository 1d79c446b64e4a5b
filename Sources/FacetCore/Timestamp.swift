/// Milliseconds since the Unix epoch, UTC. The ledger never reads a clock: block time is passed in.
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible, CanonicalCodable {
    public let millis: Int64

    public static let millisPerDay: Int64 = 86_400_000

    public init(millis: Int64) throws(CoreError) {
        guard millis >= 0 && millis <= Limits.maxTimestampMillis else {
            throw CoreError(.outOfRange, "a timestamp is between 1970 and the end of 9999")
        }
        self.millis = millis
    }

    /// For values known to be in range (constants and arithmetic already bounded by the caller).
    public init(uncheckedMillis millis: Int64) {
        precondition(millis >= 0 && millis <= Limits.maxTimestampMillis, "timestamp out of range")
        self.millis = millis
    }

    /// `days` later, clamped to the largest timestamp.
    public func adding(days: UInt32) -> Timestamp {
        let later = millis + Int64(days) * Timestamp.millisPerDay
        return Timestamp(uncheckedMillis: min(later, Limits.maxTimestampMillis))
    }

    public var description: String { "\(millis)ms" }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.millis < rhs.millis }

    public func encode(to encoder: inout CanonicalEncoder) { encoder.i64(millis) }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        try self.init(millis: try decoder.i64())
    }
}
