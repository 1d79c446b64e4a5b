import FacetScorecard
import Foundation
import Testing

/// Known answers computed outside Swift (numpy 2.4, scikit-learn 1.8, scipy), with the Python that gave them.
@Suite struct KnownAnswerTests {
    /// numpy: g=[40,30,20]; b=[5,10,15]; pg=g/g.sum(); pb=b/b.sum(); w=np.log(pg/pb); ((pg-pb)*w).sum()
    @Test func weightOfEvidenceAndInformationValue() {
        let result = WeightOfEvidence.compute(goods: [40, 30, 20], bads: [5, 10, 15])
        #expect(abs(result.woe[0] - 0.9808292530117262) < 1e-12)
        #expect(abs(result.woe[1] - 0.0) < 1e-12)
        #expect(abs(result.woe[2] - -0.8109302162163288) < 1e-12)
        #expect(abs(result.iv - 0.49771096367445977) < 1e-12)
    }

    /// A bin without bads takes 0.5 of each: ln((10.5/20)/(0.5/10)) = ln(10.5) by hand; an empty bin is neutral.
    @Test func smoothingOfPureAndEmptyBins() {
        let result = WeightOfEvidence.compute(goods: [10, 10, 0], bads: [0, 10, 0])
        #expect(abs(result.woe[0] - log(10.5)) < 1e-12)
        #expect(result.woe[2] == 0)
    }

    /// With one binary predictor the maximum-likelihood slope is the log odds ratio: x=0 has 30 goods and 10 bads,
    /// x=1 has 20 and 20, so slope = ln((20/20)/(10/30)) = ln 3 and intercept = ln(10/30) = −ln 3 (by hand).
    @Test func binaryPredictorSlopeIsTheLogOddsRatio() {
        var x = [Double]()
        var y = [UInt8]()
        for _ in 0..<30 { x.append(0); y.append(0) }
        for _ in 0..<10 { x.append(0); y.append(1) }
        for _ in 0..<20 { x.append(1); y.append(0) }
        for _ in 0..<20 { x.append(1); y.append(1) }
        let fit = LogisticRegression(ridge: 0).fit(columns: [x], targets: y)
        #expect(fit.converged)
        #expect(abs(fit.coefficients[0] - log(3)) < 1e-10)
        #expect(abs(fit.intercept + log(3)) < 1e-10)
    }

    /// scikit-learn 1.8: LogisticRegression(penalty=None, solver="newton-cg", tol=1e-14).fit(np.c_[x1, x2], y) on
    /// data drawn by numpy default_rng(7) (normal x1, x2 rounded to 0.1; y from eta = -0.5 + 1.2 x1 - 0.8 x2).
    @Test func twoPredictorsMatchScikitLearn() {
        let x1: [Double] = [
            0.0, 0.3, -0.3, -0.9, -0.5, -1.0, 0.1, 1.3, -0.5, -0.6, 0.5, 0.4, 0.1, -0.9, 0.0, 0.7, -1.3, -0.5, -1.9,
            -1.3, -1.8, -0.2, -1.3, 0.3, 0.2, -0.2, -2.5, -0.5, 0.0, 0.1, -1.5, -0.5, -1.0, -0.8, 1.1, -0.8, 0.0, 0.9,
            -0.6, -0.1,
        ]
        let x2: [Double] = [
            0.1, 0.1, -1.2, 0.1, 1.4, -1.5, 0.9, 0.1, -0.6, 2.0, 0.8, -1.2, 0.1, 0.6, -0.2, 0.7, -0.1, 0.7, 1.4, -0.7,
            0.2, -0.5, 0.1, -1.2, -0.6, -0.2, 0.9, 1.1, -1.3, -0.8, 0.6, -2.0, -0.5, -0.1, 1.3, 0.7, -0.3, -0.4, -0.3,
            1.5,
        ]
        let y: [UInt8] = [
            0, 0, 1, 0, 0, 0, 0, 1, 1, 1, 0, 1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0,
            1, 1, 0, 1,
        ]
        let fit = LogisticRegression(ridge: 0).fit(columns: [x1, x2], targets: y)
        #expect(fit.converged)
        #expect(abs(fit.intercept - -0.3229161041094414) < 1e-7)
        #expect(abs(fit.coefficients[0] - 1.1435672691824141) < 1e-7)
        #expect(abs(fit.coefficients[1] - -0.4432298489884375) < 1e-7)
    }

    /// 600 points at 50:1, 20 points to double: 100:1 scores 620, 25:1 scores 580 (by the definition).
    @Test func pointsScaling() {
        let scaling = PointsScaling(basePoints: 600, baseOdds: 50, pdo: 20)
        #expect(abs(scaling.score(odds: 50) - 600) < 1e-9)
        #expect(abs(scaling.score(odds: 100) - 620) < 1e-9)
        #expect(abs(scaling.score(odds: 25) - 580) < 1e-9)
        #expect(abs(scaling.odds(score: 640) - 200) < 1e-9)
    }

    static let scores: [Double] = [1, 2, 2, 3, 4, 4, 5, 5, 5, 6]
    static let bads: [UInt8] = [1, 1, 0, 1, 0, 1, 0, 0, 1, 0]

    /// scikit-learn: roc_auc_score(bad, -score) = 0.76 (ties within and across classes).
    @Test func aucWithTies() {
        #expect(abs(Discrimination.auc(scores: Self.scores, bads: Self.bads) - 0.76) < 1e-12)
        #expect(abs(Discrimination.gini(scores: Self.scores, bads: Self.bads) - 0.52) < 1e-12)
        #expect(Discrimination.auc(scores: [1, 1], bads: [0, 1]) == 0.5)
    }

    /// scipy: ks_2samp(score[bad == 1], score[bad == 0]).statistic = 0.4.
    @Test func kolmogorovSmirnov() {
        #expect(abs(Discrimination.ks(scores: Self.scores, bads: Self.bads) - 0.4) < 1e-12)
    }

    /// scikit-learn: brier_score_loss(bad, p) = 0.1635.
    @Test func brierScore() {
        let p = [0.1, 0.9, 0.3, 0.5, 0.2, 0.7, 0.05, 0.4, 0.6, 0.15]
        #expect(abs(Discrimination.brier(probabilities: p, bads: Self.bads) - 0.1635) < 1e-12)
    }
}
