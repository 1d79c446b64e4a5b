import FacetCore

/// The `Authorization` header of a signed read (`contracts/openapi.yaml`, `FacetSignature`), one implementation for
/// the node that checks it and every client that builds it:
///
///     Facet member=<member id hex>, node=<node id hex>, nonce=<32 hex>, time=<ms>, signature=<hex>
///
/// The signature is Ed25519 with purpose `signIn` and the chain id (`contracts/encoding.md`) over the UTF-8 text
/// `METHOD + "\n" + TARGET + "\n" + time + "\n" + node + "\n" + nonce`. `TARGET` is the request target exactly as
/// sent (path, then `?` and the query when there is one), so a captured header reads nothing else; `node` is the id
/// of the node it is for (its validator id, `GET /v1/status`), so it reads nothing on another node; and the node
/// remembers every signature it accepted while its time is fresh, so it reads nothing twice (`auth.replayed`).
///
/// The dashboard's sign-in signs a single-use challenge the node issued, so it carries neither node nor nonce: the
/// challenge is both. The API refuses such a header.
public struct SignedRead: Hashable, Sendable, CustomStringConvertible {
    public static let scheme = "Facet"
    /// How far the signed time may be from the node's clock, either way: tolerates clients whose clocks drift, and
    /// is how long a node must remember a signature to refuse its replay.
    public static let maxSkewMillis: Int64 = 5 * 60 * 1000
    /// Longer headers are refused unread: the real one is under 400 bytes.
    public static let maxHeaderBytes = 512
    /// A nonce's length in bytes.
    public static let nonceBytes = 16

    public let member: MemberID
    public let time: Int64
    /// The node the read is for; nil only in a dashboard sign-in.
    public let node: MemberID?
    /// Random bytes that make two reads of one target in one millisecond distinct; nil only in a dashboard sign-in.
    public let nonce: [UInt8]?
    public let signature: Signature

    public init(member: MemberID, time: Int64, node: MemberID? = nil, nonce: [UInt8]? = nil, signature: Signature) {
        precondition(nonce.map { $0.count == SignedRead.nonceBytes } ?? true, "a nonce is 16 bytes")
        self.member = member
        self.time = time
        self.node = node
        self.nonce = nonce
        self.signature = signature
    }

    /// The bytes signed for a request.
    public static func payload(method: String, target: String, time: Int64, node: MemberID?, nonce: [UInt8]?)
        -> [UInt8]
    {
        var text = "\(method)\n\(target)\n\(time)"
        if let node, let nonce { text += "\n\(node.hex)\n\(Hex.encode(nonce))" }
        return Array(text.utf8)
    }

    /// Signs a read as `member` with `key`, for a client. `node` and `nonce` bind it to one node, once.
    public static func sign(
        method: String, target: String, time: Int64, member: MemberID, key: SigningKey, chainID: Label,
        node: MemberID? = nil, nonce: [UInt8]? = nil
    ) -> SignedRead {
        let signature = key.sign(
            purpose: .signIn, chainID: chainID,
            payload: payload(method: method, target: target, time: time, node: node, nonce: nonce))
        return SignedRead(member: member, time: time, node: node, nonce: nonce, signature: signature)
    }

    /// Signs a read of `target` for the node `node` with a fresh nonce drawn from `random`: what the API answers,
    /// once. The one way the client, the benchmarks and the tests build an API read's header.
    public static func signForNode(
        method: String = "GET", target: String, time: Int64, member: MemberID, key: SigningKey, chainID: Label,
        node: MemberID, nonceFrom random: inout some RandomNumberGenerator
    ) -> SignedRead {
        let nonce = (0..<nonceBytes).map { _ in UInt8.random(in: 0...255, using: &random) }
        return sign(
            method: method, target: target, time: time, member: member, key: key, chainID: chainID, node: node,
            nonce: nonce)
    }

    /// The header value.
    public var headerValue: String {
        var text = "\(SignedRead.scheme) member=\(member.hex), "
        if let node, let nonce { text += "node=\(node.hex), nonce=\(Hex.encode(nonce)), " }
        return text + "time=\(time), signature=\(signature.hex)"
    }

    public var description: String { headerValue }

    /// Parses a header value; nil wherever `parse(header:)` refuses it.
    public init?(header: String) {
        guard let parsed = try? SignedRead.parse(header: header) else { return nil }
        self = parsed
    }

    /// Parses a header value: exactly the scheme with member, time and signature, and either both or neither of
    /// node and nonce, each once, in any order (spaces around a field are ignored). Anything else is refused with
    /// the `SignedReadError` code that names what is wrong.
    public static func parse(header: String) throws(SignedReadError) -> SignedRead {
        guard header.utf8.count <= maxHeaderBytes else {
            throw SignedReadError(.tooLong, "the header is longer than \(maxHeaderBytes) bytes")
        }
        let trimmed = header.drop { $0 == " " }
        guard trimmed.hasPrefix(scheme + " ") else {
            throw SignedReadError(.scheme, "the header does not start with `\(scheme) `")
        }
        var fields: [String: String] = [:]
        for part in trimmed.dropFirst(scheme.count + 1).split(separator: ",") {
            let pair = part.trimmingSpaces.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair.count == 2 else { throw SignedReadError(.malformedField, "a field is not name=value") }
            let name = String(pair[0])
            guard ["member", "time", "signature", "node", "nonce"].contains(name) else {
                throw SignedReadError(.unknownField, "unknown field \(name.prefix(16))")
            }
            guard fields[name] == nil else { throw SignedReadError(.duplicateField, "\(name) is given twice") }
            fields[name] = String(pair[1])
        }
        let read = try parse(member: fields["member"], time: fields["time"], signature: fields["signature"])
        switch (fields["node"], fields["nonce"]) {
        case (nil, nil):
            return read
        case (let nodeText?, let nonceText?):
            guard nodeText.utf8.count == 64, let node = MemberID(hex: nodeText) else {
                throw SignedReadError(.badNode, "node is not 64 hex digits")
            }
            guard nonceText.utf8.count == 2 * nonceBytes, let nonce = Hex.decode(nonceText) else {
                throw SignedReadError(.badNonce, "nonce is not \(2 * nonceBytes) hex digits")
            }
            return SignedRead(member: read.member, time: read.time, node: node, nonce: nonce, signature: read.signature)
        default:
            throw SignedReadError(.nodeWithoutNonce, "node and nonce go together: both or neither")
        }
    }

    /// Parses the three fields every signed read carries, exactly as the header writes them (the dashboard's
    /// sign-in posts them as form fields): member as 64 hex digits, time as 1 to 18 decimal digits of
    /// milliseconds (no sign, no spaces), signature as 128 hex digits (no spaces).
    public static func parse(member: String?, time: String?, signature: String?) throws(SignedReadError) -> SignedRead {
        guard let member, let time, let signature else {
            throw SignedReadError(.missingField, "member, time and signature are all needed")
        }
        guard member.utf8.count == 64, let memberID = MemberID(hex: member) else {
            throw SignedReadError(.badMember, "member is not 64 hex digits")
        }
        guard (1...18).contains(time.utf8.count),
            time.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }), let millis = Int64(time)
        else { throw SignedReadError(.badTime, "time is not 1 to 18 decimal digits of milliseconds") }
        guard signature.utf8.count == 128, let parsed = Signature(hex: signature) else {
            throw SignedReadError(.badSignature, "signature is not 128 hex digits")
        }
        return SignedRead(member: memberID, time: millis, signature: parsed)
    }

    /// Whether the signature verifies under `key` for this request.
    public func verifies(method: String, target: String, key: PublicKey, chainID: Label) -> Bool {
        key.verify(
            signature, purpose: .signIn, chainID: chainID,
            payload: SignedRead.payload(method: method, target: target, time: time, node: node, nonce: nonce))
    }

    /// Whether the signed time is within `maxSkewMillis` of `now`.
    public func isFresh(at now: Timestamp) -> Bool {
        let (difference, overflow) = time.subtractingReportingOverflow(now.millis)
        return !overflow && difference.magnitude <= UInt64(SignedRead.maxSkewMillis)
    }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        var text = self
        while text.first == " " { text.removeFirst() }
        while text.last == " " { text.removeLast() }
        return text
    }
}

/// Why a text is not a signed read: a stable code and a reason that quotes nothing of the header but a field's name.
public typealias SignedReadError = FacetError<SignedReadErrorCode>

/// Why a signed read's header or sign-in fields were refused (`contracts/errors.md`).
public enum SignedReadErrorCode: String, ErrorCode, CaseIterable {
    case tooLong = "signed_read.too_long"
    case scheme = "signed_read.scheme"
    case malformedField = "signed_read.malformed_field"
    case unknownField = "signed_read.unknown_field"
    case duplicateField = "signed_read.duplicate_field"
    case missingField = "signed_read.missing_field"
    case badMember = "signed_read.bad_member"
    case badTime = "signed_read.bad_time"
    case badSignature = "signed_read.bad_signature"
    case badNode = "signed_read.bad_node"
    case badNonce = "signed_read.bad_nonce"
    case nodeWithoutNonce = "signed_read.node_without_nonce"
}
