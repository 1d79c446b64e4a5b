import FacetCore

/// HMAC-SHA256 (RFC 2104) over FacetCore's SHA-256, for the dashboard's session cookies: FacetNode does not depend on
/// swift-crypto directly, and a MAC of a short cookie under a 32-byte key needs nothing more than the hash.
enum SessionMAC {
    static let blockBytes = 64

    static func authenticate(_ message: [UInt8], key: [UInt8]) -> [UInt8] {
        var block = key.count > blockBytes ? SHA256Hash.digest(key).bytes : key
        block += [UInt8](repeating: 0, count: blockBytes - block.count)
        let inner = SHA256Hash.digest(block.map { $0 ^ 0x36 } + message).bytes
        return SHA256Hash.digest(block.map { $0 ^ 0x5c } + inner).bytes
    }

    /// Compares in time independent of where the first difference is.
    static func equal(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in lhs.indices { difference |= lhs[index] ^ rhs[index] }
        return difference == 0
    }
}
