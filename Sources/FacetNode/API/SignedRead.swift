import FacetCore

/// The `Authorization` header of a private read (`contracts/openapi.yaml`, `FacetSignature`):
/// `Facet member=<member id hex>, time=<ms>, signature=<hex>`, where the signature is Ed25519 with purpose
/// `signIn` and the chain id (`contracts/encoding.md`) over the UTF-8 text `METHOD + "\n" + TARGET + "\n" + time`.
/// `TARGET` is the request target exactly as sent on the request line (path, then `?` and the query when there is
/// one), so the signature binds the window the client asked for; `time` is the decimal text from the header.
///
/// Clients build the header with `authorization(…)`; the node parses it with `init(header:)` and checks it with
/// `verifies(…)` under the member's current key, within `maxSkewMillis` of its clock.
public struct SignedRead: Hashable, Sendable {
    public static let scheme = "Facet"
    /// How far the signed time may be from the node's clock, either way: bounds how long a captured header can be
    /// replayed, while tolerating clients whose clocks drift.
    public static let maxSkewMillis: Int64 = 5 * 60 * 1000
    /// Longer headers are refused unread: the real one is under 250 bytes.
    public static let maxHeaderBytes = 512

    public let member: MemberID
    public let time: Int64
    public let signature: Signature

    public init(member: MemberID, time: Int64, signature: Signature) {
        self.member = member
        self.time = time
        self.signature = signature
    }

    /// The bytes signed for a request.
    public static func payload(method: String, target: String, time: Int64) -> [UInt8] {
        Array("\(method)\n\(target)\n\(time)".utf8)
    }

    /// Signs a read as `member` with `key`, for a client.
    public static func sign(
        method: String, target: String, time: Int64, member: MemberID, key: SigningKey, chainID: Label
    ) -> SignedRead {
        let signature = key.sign(
            purpose: .signIn, chainID: chainID, payload: payload(method: method, target: target, time: time))
        return SignedRead(member: member, time: time, signature: signature)
    }

    /// The header value.
    public var headerValue: String {
        "\(SignedRead.scheme) member=\(member.hex), time=\(time), signature=\(signature.hex)"
    }

    /// Parses a header value; nil when it is not exactly the scheme with its three parameters, each once.
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
        guard fields.count == 3, let memberText = fields["member"], let timeText = fields["time"],
            let signatureText = fields["signature"], memberText.count == 64, !timeText.isEmpty, timeText.count <= 18,
            timeText.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            let member = MemberID(hex: memberText), let time = Int64(timeText),
            let signature = Signature(hex: signatureText)
        else { return nil }
        self.init(member: member, time: time, signature: signature)
    }

    /// Whether the signature verifies under `key` for this request.
    public func verifies(method: String, target: String, key: PublicKey, chainID: Label) -> Bool {
        key.verify(
            signature, purpose: .signIn, chainID: chainID,
            payload: SignedRead.payload(method: method, target: target, time: time))
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
