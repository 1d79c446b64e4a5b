import FacetCore
import FacetLedger
import HTTPTypes
import Hummingbird

/// Checks the signed `Authorization` header of a private read against the committed state: the member exists and
/// is active, the time is within `SignedRead.maxSkewMillis` of the node's clock, and the signature verifies under
/// the member's current key (a rotated-away key no longer signs in). Any failure is 401 `api.unauthenticated`,
/// with a message that says which check failed but never why a signature did not verify.
struct RequestAuthenticator {
    let node: LedgerNode
    let now: Timestamp

    /// The member the request is signed by.
    func authenticate(_ request: Request) async throws(APIError) -> MemberID {
        guard let header = request.headers[.authorization] else {
            throw APIError.unauthenticated(
                "this read needs a signed Authorization header (Facet member=…, time=…, signature=…)")
        }
        guard let signed = SignedRead(header: header) else {
            throw APIError.unauthenticated(
                "the Authorization header is not Facet member=<hex>, time=<ms>, signature=<hex>")
        }
        guard let member = await node.record(Member.self, signed.member.hash) else {
            throw APIError.unauthenticated("the signer is not a member")
        }
        guard member.status == .active else {
            throw APIError.unauthenticated("the signer is not an active member")
        }
        guard signed.isFresh(at: now) else {
            throw APIError.unauthenticated("the signed time is more than 5 minutes from the node's clock")
        }
        guard
            signed.verifies(
                method: request.method.rawValue, target: request.head.path ?? request.uri.string, key: member.publicKey,
                chainID: node.genesis.params.chainID)
        else { throw APIError.unauthenticated("the signature does not verify under the member's current key") }
        return member.id
    }
}
