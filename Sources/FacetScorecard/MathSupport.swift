#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension Double {
    /// The natural logarithm from the platform libm: bit-identical results need the same libm on every node.
    var logValue: Double { log(self) }
    var expValue: Double { exp(self) }
}

/// `1 / (1 + e^-x)`, written to stay finite for large |x|.
func sigmoid(_ x: Double) -> Double {
    if x >= 0 {
        return 1 / (1 + exp(-x))
    }
    let e = exp(x)
    return e / (1 + e)
}
