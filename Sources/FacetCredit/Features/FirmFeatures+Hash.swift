import FacetCore
import FacetScorecard

extension FirmFeatures {
    /// SHA-256 of the feature values, in the bytes `contracts/credit-features.md` ("The features hash") defines: what
    /// an offer names as the features its decision read. Anyone holding the ledger at the offer's height recomputes
    /// the values and checks the hash.
    public var valuesHash: Hash256 { FirmFeatures.hash(values) }

    public static func hash(_ values: FeatureRow) -> Hash256 {
        var bytes = Array("facet.features.v\(CreditEngine.featureVersion)".utf8)
        func text(_ string: String) {
            let utf8 = Array(string.utf8)
            let count = UInt32(utf8.count)
            bytes += [UInt8(count >> 24), UInt8(count >> 16 & 0xFF), UInt8(count >> 8 & 0xFF), UInt8(count & 0xFF)]
            bytes += utf8
        }
        for name in values.keys.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
            text(name)
            switch values[name] ?? .missing {
            case .missing:
                bytes.append(0)
            case .number(let value):
                bytes.append(1)
                let bits = value.bitPattern
                bytes += (0..<8).reversed().map { UInt8(truncatingIfNeeded: bits >> (UInt64($0) * 8)) }
            case .text(let value):
                bytes.append(2)
                text(value)
            }
        }
        return SHA256Hash.digest(bytes)
    }
}
