import FacetCore

/// The `Authorization` header of a private read (`FacetSignature` in `contracts/openapi.yaml`):
/// `Facet member=<member id hex>, time=<ms>, signature=<hex>`, where the signature (purpose `signIn`, the chain id)
/// covers the UTF-8 text `METHOD + "\n" + PATH?QUERY + "\n" + time`. Binding the method, the path with its query
/// and the time means a captured header reads nothing else and expires with the node's five-minute window.
public struct RequestSignature: Hashable, Sendable, CustomStringConvertible {
    public let member: MemberID
    public let timeMillis: Int64
    public let signature: Signature

    public init(member: MemberID, timeMillis: Int64, signature: Signature) {
        self.member = member
        self.timeMillis = timeMillis
        self.signature = signature
    }

    /// Signs a request. `pathAndQuery` is the API path as `contracts/openapi.yaml` names it (`/v1/…`), followed by
    /// `?` and the query when there is one, exactly as sent.
    public init(method: String, pathAndQuery: String, timeMillis: Int64, chainID: Label, signer: MemberKey) {
        let payload = RequestSignature.payload(method: method, pathAndQuery: pathAndQuery, timeMillis: timeMillis)
        self.init(
            member: signer.member, timeMillis: timeMillis,
            signature: signer.key.sign(purpose: .signIn, chainID: chainID, payload: payload))
    }

    /// The bytes signed, before the domain prefix.
    public static func payload(method: String, pathAndQuery: String, timeMillis: Int64) -> [UInt8] {
        Array("\(method)\n\(pathAndQuery)\n\(timeMillis)".utf8)
    }

    /// The header's value.
    public var description: String {
        "Facet member=\(member.hex), time=\(timeMillis), signature=\(signature.hex)"
    }

    /// Parses a header value written by `description`; nil for anything else. The node has its own parser; this
    /// one lets tests and tools check a header.
    public init?(header: String) {
        guard header.hasPrefix("Facet ") else { return nil }
        var fields = [String: String]()
        for part in header.dropFirst("Facet ".count).split(separator: ",") {
            let pair = part.trimmingSpaces.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, fields[String(pair[0])] == nil else { return nil }
            fields[String(pair[0])] = String(pair[1])
        }
        guard fields.count == 3, let member = fields["member"].flatMap(MemberID.init(hex:)),
            let time = fields["time"].flatMap({ Int64($0) }),
            let signature = fields["signature"].flatMap(Signature.init(hex:))
        else { return nil }
        self.init(member: member, timeMillis: time, signature: signature)
    }

    /// True when the signature verifies for this request under `key`.
    public func verifies(method: String, pathAndQuery: String, chainID: Label, key: PublicKey) -> Bool {
        let payload = RequestSignature.payload(method: method, pathAndQuery: pathAndQuery, timeMillis: timeMillis)
        return key.verify(signature, purpose: .signIn, chainID: chainID, payload: payload)
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
