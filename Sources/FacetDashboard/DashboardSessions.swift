import FacetAPI
import FacetCore
import FacetNode
import Synchronization

/// The dashboard's sign-in state, one per API router: the challenges this node issued and not yet used, the
/// sessions signed out before their expiry, and the per-process secret session cookies are MACed with (a restart
/// signs everyone out).
///
/// A session cookie is `member.expiry.mac`: the member id in hex, the expiry in milliseconds, and HMAC-SHA256 of
/// `member.expiry` under the secret, so the node keeps no table of sessions and a browser cannot forge or extend
/// one. Both tables are bounded: past `maxChallenges` the oldest challenge is forgotten (its sign-in must start
/// again); past `maxRevoked` the revocation expiring first is dropped early.
final class DashboardSessions: Sendable {
    /// How long a challenge may wait for its signature.
    static let challengeMillis: Int64 = 5 * 60 * 1000
    /// How long a session lasts.
    static let sessionMillis: Int64 = 8 * 60 * 60 * 1000
    static let maxChallenges = 1_024
    static let maxRevoked = 4_096
    static let cookieName = "facet_session"

    private let secret: [UInt8]
    private let state = Mutex(State())

    private struct State {
        /// Challenge text → its expiry.
        var challenges: [String: Timestamp] = [:]
        /// Cookie value → its expiry.
        var revoked: [String: Timestamp] = [:]
    }

    init() {
        var generator = SystemRandomNumberGenerator()
        secret = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    /// A fresh challenge naming the chain, valid for `challengeMillis` from `now`:
    /// `facet-dashboard:<chain id, percent-encoded>:<expiry ms>:<32 random bytes in hex>`.
    func issueChallenge(chainID: Label, now: Timestamp) -> (text: String, expiry: Timestamp) {
        var generator = SystemRandomNumberGenerator()
        let nonce = Hex.encode((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
        let expiry = Timestamp(uncheckedMillis: now.millis + Self.challengeMillis)
        let text = "facet-dashboard:\(Self.percentEncoded(chainID.description)):\(expiry.millis):\(nonce)"
        state.withLock { state in
            state.challenges = state.challenges.filter { $0.value > now }
            if state.challenges.count >= Self.maxChallenges,
                let oldest = state.challenges.min(by: { ($0.value, $0.key) < ($1.value, $1.key) })
            {
                state.challenges[oldest.key] = nil
            }
            state.challenges[text] = expiry
        }
        return (text, expiry)
    }

    /// Uses up a challenge: true once for a challenge this node issued that has not expired at `now`.
    func consumeChallenge(_ text: String, now: Timestamp) -> Bool {
        state.withLock { state in
            guard let expiry = state.challenges.removeValue(forKey: text) else { return false }
            return expiry > now
        }
    }

    /// A session cookie value for `member` until `now + sessionMillis`.
    func session(for member: MemberID, now: Timestamp) -> String {
        let signed = "\(member.hex).\(now.millis + Self.sessionMillis)"
        return signed + "." + Hex.encode(SessionMAC.authenticate(Array(signed.utf8), key: secret))
    }

    /// The member a cookie value signs in, when its MAC checks, it has not expired at `now` and was not signed out.
    func member(ofSession value: String, now: Timestamp) -> MemberID? {
        let parts = value.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 64, (1...18).contains(parts[1].count), parts[2].count == 64,
            let member = MemberID(hex: String(parts[0])), let expiry = Int64(parts[1]), expiry > now.millis,
            let mac = Hex.decode(String(parts[2]))
        else { return nil }
        let expected = SessionMAC.authenticate(Array("\(parts[0]).\(parts[1])".utf8), key: secret)
        guard SessionMAC.equal(mac, expected) else { return nil }
        let revoked = state.withLock { $0.revoked[value] != nil }
        return revoked ? nil : member
    }

    /// Signs a session out before its expiry.
    func revoke(session value: String, now: Timestamp) {
        guard member(ofSession: value, now: now) != nil,
            let expiry = value.split(separator: ".").dropFirst().first.flatMap({ Int64($0) })
        else { return }
        state.withLock { state in
            state.revoked = state.revoked.filter { $0.value > now }
            if state.revoked.count >= Self.maxRevoked,
                let first = state.revoked.min(by: { ($0.value, $0.key) < ($1.value, $1.key) })
            {
                state.revoked[first.key] = nil
            }
            state.revoked[value] = Timestamp(uncheckedMillis: expiry)
        }
    }

    /// Unreserved characters (RFC 3986) as they are, every other byte as `%XX`: the challenge goes into a query.
    static func percentEncoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            let scalar = Unicode.Scalar(byte)
            if (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || "-._~".unicodeScalars.contains(scalar)
            {
                out.unicodeScalars.append(scalar)
            } else {
                out += "%" + Hex.encode([byte]).uppercased()
            }
        }
        return out
    }
}
