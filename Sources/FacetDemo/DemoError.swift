import FacetCore

/// Why the demo could not be built from its seed files, or its ground truth not written or read: a stable code and
/// a reason naming the file and field.
public typealias DemoError = FacetError<DemoErrorCode>

/// The codes of `DemoError`.
public struct DemoErrorCode: ErrorCode, RawRepresentable {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// The file is not valid JSON, misses a field, has one of the wrong type, or one the format lacks.
    public static let malformed = Self(rawValue: "demo.seed_malformed")
    /// The file decodes but a value is out of range or names something that does not exist.
    public static let invalid = Self(rawValue: "demo.seed_invalid")
    /// The ground-truth file could not be written where the devnet asked.
    public static let groundTruthUnwritable = Self(rawValue: "demo.ground_truth_unwritable")
    /// A ground-truth file is not the JSON `GroundTruth` writes.
    public static let groundTruthUnreadable = Self(rawValue: "demo.ground_truth_unreadable")
}

func demand(_ condition: Bool, _ reason: @autoclosure () -> String) throws(DemoError) {
    guard condition else { throw DemoError(.invalid, reason()) }
}
