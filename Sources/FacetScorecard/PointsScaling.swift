/// How log-odds become points: `score = offset + factor · ln(odds good:bad)`, with `factor = pdo / ln 2` and
/// `offset = basePoints − factor · ln(baseOdds)`, so the score is `basePoints` at odds `baseOdds`:1 and every
/// `pdo` points double the odds.
public struct PointsScaling: Codable, Hashable, Sendable {
    public var basePoints: Double
    /// Good:bad odds at which the score is `basePoints` (50 means 50 goods per bad).
    public var baseOdds: Double
    /// Points to double the odds.
    public var pdo: Double

    public init(basePoints: Double = 600, baseOdds: Double = 50, pdo: Double = 20) {
        precondition(baseOdds > 0 && pdo > 0, "odds and points to double them are positive")
        self.basePoints = basePoints
        self.baseOdds = baseOdds
        self.pdo = pdo
    }

    public var factor: Double { pdo / 2.0.logValue }
    public var offset: Double { basePoints - factor * baseOdds.logValue }

    /// The score of good:bad odds `odds`.
    public func score(odds: Double) -> Double { offset + factor * odds.logValue }
    /// The good:bad odds of a score.
    public func odds(score: Double) -> Double { ((score - offset) / factor).expValue }
}

/// Probability of default from a score: `PD = 1 / (1 + e^-(a + b · score))`, with `a` and `b` fitted by logistic
/// regression of the training outcomes on the training scores (a one-variable fit, so the PD is calibrated on
/// average on the training book and stays monotonic in the score).
public struct Calibration: Codable, Hashable, Sendable {
    public var method: String
    public var a: Double
    public var b: Double

    public init(a: Double, b: Double) {
        self.method = "logistic_on_score"
        self.a = a
        self.b = b
    }

    public func probability(score: Double) -> Double { sigmoid(a + b * score) }
}

/// Rating grades by probability of default: the first grade whose `maxPD` is at least the PD, best grade first.
public struct MasterScale: Codable, Hashable, Sendable {
    public struct Grade: Codable, Hashable, Sendable {
        public var name: String
        public var maxPD: Double

        public init(name: String, maxPD: Double) {
            self.name = name
            self.maxPD = maxPD
        }
    }

    public var grades: [Grade]

    public init(grades: [Grade]) {
        precondition(!grades.isEmpty, "a master scale has grades")
        self.grades = grades
    }

    /// `count` grades named 1…count whose upper PD bounds grow geometrically from `first` by `ratio`; the last
    /// grade takes everything above (bound 1). The default: 10 grades, 0.25 %, 0.5 %, 1 %, … 64 %, 100 %.
    public static func geometric(count: Int = 10, first: Double = 0.0025, ratio: Double = 2) -> MasterScale {
        precondition(count >= 1 && first > 0 && ratio > 1, "a geometric scale needs grades and a growing bound")
        var grades = [Grade]()
        var bound = first
        for index in 1...count {
            grades.append(Grade(name: "\(index)", maxPD: index == count ? 1 : min(bound, 1)))
            bound *= ratio
        }
        return MasterScale(grades: grades)
    }

    public func grade(pd: Double) -> String {
        for grade in grades where pd <= grade.maxPD { return grade.name }
        return grades[grades.count - 1].name
    }
}
