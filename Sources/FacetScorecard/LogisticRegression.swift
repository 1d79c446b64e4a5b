/// Logistic regression `P(bad) = 1 / (1 + e^-(b0 + Σ b_j x_j))` fitted by Newton–Raphson (IRLS), with a ridge
/// penalty `ridge/2 · Σ b_j²` on the slopes (not the intercept) so that a separable or collinear design still has a
/// unique answer. Every sum runs in row order, the linear solve is Gaussian elimination with partial pivoting, so
/// the same data give the same bits.
public struct LogisticRegression: Sendable {
    public var ridge: Double
    public var maxIterations: Int
    /// The fit stops when no coefficient moves by more than this in a step.
    public var tolerance: Double

    public init(ridge: Double = 1e-6, maxIterations: Int = 50, tolerance: Double = 1e-10) {
        self.ridge = ridge
        self.maxIterations = maxIterations
        self.tolerance = tolerance
    }

    public struct Fit: Sendable, Equatable {
        public var intercept: Double
        public var coefficients: [Double]
        public var iterations: Int
        public var converged: Bool
    }

    /// Fits `targets` (1 = bad) on `columns` (one array per predictor, each with one value per row).
    public func fit(columns: [[Double]], targets: [UInt8]) -> Fit {
        let n = targets.count
        precondition(columns.allSatisfy { $0.count == n }, "every predictor has one value per row")
        let p = columns.count + 1
        var beta = [Double](repeating: 0, count: p)
        var iterations = 0
        var converged = false
        var x = [Double](repeating: 1, count: p)
        while iterations < maxIterations {
            iterations += 1
            var gradient = [Double](repeating: 0, count: p)
            var hessian = [Double](repeating: 0, count: p * p)
            for row in 0..<n {
                for j in 1..<p { x[j] = columns[j - 1][row] }
                var eta = 0.0
                for j in 0..<p { eta += beta[j] * x[j] }
                let mu = sigmoid(eta)
                let weight = mu * (1 - mu)
                let residual = Double(targets[row]) - mu
                for j in 0..<p {
                    gradient[j] += x[j] * residual
                    let wx = weight * x[j]
                    for k in j..<p { hessian[j * p + k] += wx * x[k] }
                }
            }
            for j in 0..<p {
                for k in 0..<j { hessian[j * p + k] = hessian[k * p + j] }
            }
            for j in 1..<p {
                gradient[j] -= ridge * beta[j]
                hessian[j * p + j] += ridge
            }
            guard let step = Self.solve(hessian, gradient, size: p) else { break }
            var largest = 0.0
            for j in 0..<p {
                beta[j] += step[j]
                largest = max(largest, abs(step[j]))
            }
            if largest < tolerance {
                converged = true
                break
            }
        }
        return Fit(
            intercept: beta[0], coefficients: Array(beta.dropFirst()), iterations: iterations, converged: converged)
    }

    /// Solves `matrix · x = vector` (row-major, `size`×`size`); nil when the matrix is singular.
    static func solve(_ matrix: [Double], _ vector: [Double], size: Int) -> [Double]? {
        var a = matrix
        var b = vector
        for column in 0..<size {
            var pivot = column
            for row in (column + 1)..<size where abs(a[row * size + column]) > abs(a[pivot * size + column]) {
                pivot = row
            }
            guard a[pivot * size + column] != 0, a[pivot * size + column].isFinite else { return nil }
            if pivot != column {
                for k in 0..<size { a.swapAt(pivot * size + k, column * size + k) }
                b.swapAt(pivot, column)
            }
            for row in (column + 1)..<size {
                let factor = a[row * size + column] / a[column * size + column]
                if factor == 0 { continue }
                for k in column..<size { a[row * size + k] -= factor * a[column * size + k] }
                b[row] -= factor * b[column]
            }
        }
        var x = [Double](repeating: 0, count: size)
        for row in stride(from: size - 1, through: 0, by: -1) {
            var sum = b[row]
            for k in (row + 1)..<size { sum -= a[row * size + k] * x[k] }
            x[row] = sum / a[row * size + row]
        }
        return x
    }
}
