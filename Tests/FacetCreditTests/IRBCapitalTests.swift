import FacetCredit
import Testing

/// Known answers from SciPy 1.x (`scipy.stats.norm`), computed by this script and pasted as printed:
///
///     from scipy.stats import norm
///     import numpy as np
///     def K(pd, lgd, m, s=None):
///         pd = max(pd, 0.0005); m = min(max(m, 1.0), 5.0)
///         w = (1 - np.exp(-50 * pd)) / (1 - np.exp(-50))
///         r = 0.12 * w + 0.24 * (1 - w)
///         if s is not None and s < 50:
///             s = max(s, 5.0); r -= 0.04 * (1 - (s - 5) / 45)
///         b = (0.11852 - 0.05478 * np.log(pd)) ** 2
///         z = norm.ppf(pd) / np.sqrt(1 - r) + np.sqrt(r / (1 - r)) * norm.ppf(0.999)
///         return (lgd * norm.cdf(z) - pd * lgd) / (1 - 1.5 * b) * (1 + (m - 2.5) * b), r, b
///     print(repr(float(norm.cdf(x))), repr(float(norm.ppf(p))), K(pd, lgd, m, s))
///
/// PD 1%, LGD 45%, M 2.5 gives K = 7.385% (risk weight 92.32%), the figure in the BCBS's published
/// illustrative IRB risk weights for corporate exposures.
@Suite struct IRBCapitalTests {
    static let cdfVectors: [(x: Double, n: Double)] = [
        (-6, 9.865876450376946e-10), (-3, 0.0013498980316300933), (-1.959963984540054, 0.025),
        (-1, 0.15865525393145707), (0, 0.5), (0.5, 0.6914624612740131), (1, 0.8413447460685429),
        (2.326347874040841, 0.99), (3.090232306167813, 0.999), (5, 0.9999997133484281),
    ]

    static let inverseVectors: [(p: Double, g: Double)] = [
        (1e-6, -4.753424308822899), (0.0005, -3.2905267314918945), (0.01, -2.3263478740408408),
        (0.02425, -1.972961051311885), (0.05, -1.6448536269514729), (0.3, -0.5244005127080409), (0.5, 0),
        (0.9, 1.2815515655446004), (0.975, 1.959963984540054), (0.999, 3.090232306167813),
        (1 - 1e-6, 4.753424308817087),
    ]

    struct Vector: Sendable, CustomTestStringConvertible {
        var pd, lgd, m: Double
        var sales: Double?
        var k, r, b: Double
        var testDescription: String { "PD \(pd) LGD \(lgd) M \(m) S \(sales.map { "\($0)" } ?? "-")" }
    }

    static let capitalVectors: [Vector] = [
        .init(pd: 0.01, lgd: 0.45, m: 2.5, k: 0.07385344111364112, r: 0.192783679165516, b: 0.13748613089693737),
        // Below the 0.05% floor: priced as 0.05%.
        .init(pd: 0.0001, lgd: 0.45, m: 2.5, k: 0.0157209330963254, r: 0.2370371894433999, b: 0.2861152678242989),
        .init(pd: 0.0005, lgd: 0.45, m: 1.0, k: 0.008973934621370859, r: 0.2370371894433999, b: 0.2861152678242989),
        .init(pd: 0.03, lgd: 0.35, m: 1.0, k: 0.06835148532111508, r: 0.14677561921781157, b: 0.09647810097676261),
        .init(pd: 0.10, lgd: 0.45, m: 5.0, k: 0.17758448625807036, r: 0.12080855363989025, b: 0.05985636818667657),
        .init(pd: 0.2, lgd: 0.25, m: 3.0, k: 0.10814225227172843, r: 0.12000544799157149, b: 0.042718692880488865),
        // SME adjustment at sales of 20 million euros, and at 2 (held to 5).
        .init(
            pd: 0.01, lgd: 0.45, m: 2.5, sales: 20, k: 0.0631232414668736, r: 0.16611701249884933,
            b: 0.13748613089693737),
        .init(
            pd: 0.01, lgd: 0.45, m: 2.5, sales: 2, k: 0.05791578186207682, r: 0.152783679165516,
            b: 0.13748613089693737),
    ]

    static func close(_ a: Double, _ b: Double, relative: Double) -> Bool {
        abs(a - b) <= relative * max(abs(b), 1e-300)
    }

    @Test func theNormalCDFMatchesSciPy() {
        for vector in Self.cdfVectors {
            let value = NormalDistribution.cdf(vector.x)
            #expect(Self.close(value, vector.n, relative: 1e-13), "N(\(vector.x)) = \(value), not \(vector.n)")
        }
    }

    @Test func theInverseCDFMatchesSciPyInEveryRegion() {
        for vector in Self.inverseVectors {
            let value = NormalDistribution.inverseCDF(vector.p)
            #expect(
                abs(value - vector.g) <= 1e-12 * max(1, abs(vector.g)), "G(\(vector.p)) = \(value), not \(vector.g)")
        }
    }

    @Test func theInverseUndoesTheCDF() {
        var p = 0.0001
        while p < 1 {
            #expect(abs(NormalDistribution.cdf(NormalDistribution.inverseCDF(p)) - p) <= 1e-14 * max(p, 1e-3))
            p += 0.0137
        }
    }

    @Test(arguments: capitalVectors) func capitalMatchesSciPy(_ vector: Vector) {
        let capital = IRBCapital(
            pd: vector.pd, lgd: vector.lgd, maturityYears: vector.m, salesMillionsEUR: vector.sales)
        #expect(Self.close(capital.k, vector.k, relative: 1e-10), "K = \(capital.k), not \(vector.k)")
        #expect(Self.close(capital.correlation, vector.r, relative: 1e-12))
        #expect(Self.close(capital.maturityAdjustment, vector.b, relative: 1e-12))
    }

    @Test func theFloorsAndCapsApply() {
        let floored = IRBCapital(pd: 0, lgd: 0.45, maturityYears: 0.25)
        #expect(floored.pd == IRBCapital.pdFloor)
        #expect(floored.maturity == 1)
        #expect(IRBCapital(pd: 0.02, lgd: 0.45, maturityYears: 9).maturity == 5)
        #expect(IRBCapital(pd: 0.02, lgd: 0, maturityYears: 1).k == 0)
        // Sales of 50 million euros and over take no SME reduction.
        #expect(
            IRBCapital(pd: 0.02, lgd: 0.45, maturityYears: 1, salesMillionsEUR: 80).k
                == IRBCapital(pd: 0.02, lgd: 0.45, maturityYears: 1).k)
    }

    @Test func capitalRisesWithPDAndLGD() {
        var previous = 0.0
        for step in 1...60 {
            let k = IRBCapital(pd: Double(step) * 0.001, lgd: 0.45, maturityYears: 1).k
            #expect(k > previous)
            previous = k
        }
        #expect(
            IRBCapital(pd: 0.02, lgd: 0.45, maturityYears: 1).k > IRBCapital(pd: 0.02, lgd: 0.25, maturityYears: 1).k)
    }
}
