import FacetCore
import FacetLedger
import FacetNode
import HTTPTypes
import Hummingbird

/// Proves who sends a request. A signed `Authorization` header (`SignedRead`) is checked against the committed
/// state and this node: it names this node and carries a nonce, the member exists, the time is within
/// `SignedRead.maxSkewMillis` of the node's clock, the signature verifies under the member's current key (a
/// rotated-away key no longer signs in), and the node has not accepted the same signature before (`ReplayGuard`).
/// A suspended member is still proven: the access policy then shows it only its own records.
///
/// A failure is 401 with `api.unauthenticated` (and a message saying which check failed, never why a signature did
/// not verify), `auth.wrong_node` or `auth.replayed`; 429 `auth.rate_limited` when the member has more fresh reads
/// remembered than the guard holds per member.
struct RequestAuthenticator {
    let node: LedgerNode
    let now: Timestamp
    let replays: ReplayGuard

    /// The reader of a request: anonymous without an `Authorization` header, else the member it proves (a header
    /// that proves nothing is refused, never read as anonymous).
    func reader(_ request: Request) async throws(APIError) -> Reader {
        guard request.headers[.authorization] != nil else { return .anonymous }
        return Reader(try await authenticate(request))
    }

    /// The member the request is signed by.
    func authenticate(_ request: Request) async throws(APIError) -> Member {
        guard let header = request.headers[.authorization] else {
            throw APIError.unauthenticated(
                "this read needs a signed Authorization header (Facet member=…, node=…, nonce=…, time=…, signature=…)")
        }
        let signed: SignedRead
        do {
            signed = try SignedRead.parse(header: header)
        } catch {
            throw APIError.unauthenticated(
                "the Authorization header is not Facet member=<hex>, node=<hex>, nonce=<hex>, time=<ms>, signature=<hex> "
                    + "(\(error))")
        }
        guard let target = signed.node, signed.nonce != nil else {
            throw APIError.unauthenticated("a signed read names the node it is for and carries a nonce")
        }
        guard target == node.validatorID else {
            throw APIError(
                .wrongNode, "this read was signed for node \(target.hex), not this one (\(node.validatorID.hex))",
                status: .unauthorized)
        }
        guard let member = await node.record(Member.self, signed.member.hash) else {
            throw APIError.unauthenticated("the signer is not a member")
        }
        guard signed.isFresh(at: now) else {
            throw APIError.unauthenticated("the signed time is more than 5 minutes from the node's clock")
        }
        guard
            signed.verifies(
                method: request.method.rawValue, target: request.head.path ?? request.uri.string, key: member.publicKey,
                chainID: node.genesis.params.chainID)
        else { throw APIError.unauthenticated("the signature does not verify under the member's current key") }
        switch replays.admit(signed, now: now) {
        case .accepted:
            return member
        case .replayed:
            throw APIError(.replayed, "this node has already answered this signed read; sign a new one", status: .unauthorized)
        case .rateLimited:
            throw APIError(
                .rateLimited, "too many signed reads from this member in five minutes; try again later",
                status: .tooManyRequests)
        }
    }
}
