import FacetCore

/// Keys of the demo consortium's members, derived from the generator's seed and the member's name. They are
/// public knowledge to anyone holding the seed: the domain string says so, and no real network may use them.
public enum DemoKeys {
    public static let domain = "facet/DEMO-ONLY-INSECURE-KEY/v1"

    public static func key(seed: UInt64, name: String) -> SigningKey {
        var seedBytes = [UInt8]()
        for shift in stride(from: 56, through: 0, by: -8) {
            seedBytes.append(UInt8(truncatingIfNeeded: seed >> UInt64(shift)))
        }
        let nameBytes = Array(name.utf8)
        let length = UInt32(nameBytes.count)
        let lengthBytes = (0..<4).map { UInt8(truncatingIfNeeded: length >> UInt32(24 - 8 * $0)) }
        let digest = SHA256Hash.digest(parts: Array(domain.utf8), seedBytes, lengthBytes, nameBytes)
        guard let key = try? SigningKey(seed: digest.bytes) else { preconditionFailure("a digest is 32 bytes") }
        return key
    }
}
