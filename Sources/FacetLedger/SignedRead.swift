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

    /// The header value.
    public var headerValue: String {
        var text = "\(SignedRead.scheme) member=\(member.hex), "
        if let node, let nonce { text += "node=\(node.hex), nonce=\(Hex.encode(nonce)), " }
        return text + "time=\(time), signature=\(signature.hex)"
    }

    public var description: String { headerValue }

    /// Parses a header value; nil unless it is exactly the scheme with member, time and signature, and either both
    /// or neither of node and nonce, each once.
    public init?(header: String) {
        guard header.utf8.count <= SignedRead.maxHeaderBytes else { return nil }
        let trimmed = header.drop { $0 == " " }
        guard trimmed.hasPrefix(SignedRead.scheme + " ") else { return nil }
        var fields: [String: String] = [:]
        for part in trimmed.dropFirst(SignedRead.scheme.count + 1).split(separator: ",") {
            let pair = part.trimmingSpaces.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair.count == 2, fields[String(pair[0])] == nil else { return nil }
            fields[String(pair[0])] = String(pair[1])
        }
        guard let memberText = fields["member"], let timeText = fields["time"],
            let signatureText = fields["signature"], memberText.count == 64, !timeText.isEmpty, timeText.count <= 18,
            timeText.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            let member = MemberID(hex: memberText), let time = Int64(timeText),
            let signature = Signature(hex: signatureText)
        else { return nil }
        switch (fields["node"], fields["nonce"]) {
        case (nil, nil):
            guard fields.count == 3 else { return nil }
            self.init(member: member, time: time, signature: signature)
        case (let nodeText?, let nonceText?):
            guard fields.count == 5, nodeText.count == 64, let node = MemberID(hex: nodeText),
                nonceText.count == 2 * SignedRead.nonceBytes, let nonce = Hex.decode(nonceText)
            else { return nil }
            self.init(member: member, time: time, node: node, nonce: nonce, signature: signature)
        default:
            return nil
        }
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
