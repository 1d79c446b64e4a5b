/// One characteristic of an applicant as a scorecard reads it: a number, a category, or missing. Features computed
/// from the ledger and the columns of a lender's CSV book both arrive as rows of these, keyed by name.
public enum FeatureValue: Hashable, Sendable {
    case number(Double)
    case text(String)
    case missing

    public var number: Double? {
        if case .number(let value) = self { return value }
        return nil
    }
}

/// An applicant's characteristics by feature name.
public typealias FeatureRow = [String: FeatureValue]
