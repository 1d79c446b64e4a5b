import FacetClient
import FacetCore
import FacetFiles
import FacetLedger
import Foundation
import Testing

@testable import facet

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A crawler on a running devnet, as an outsider would try it: anonymously, and as a firm newly admitted with no
/// records of its own, it reads every public route, every block, every transaction's status and proof, every piece,
/// every dashboard page, and follows every link the pages show. The oracle, read as the auditor (who sees all):
/// every business transaction of the history is someone else's. No response byte may name one of them, carry an
/// amount (`minorUnits`), or name a piece's owner.
struct PrivacyCrawl {
    let port: Int
    let dir: URL
    let client: NodeClient
    let auditor: MemberKey

    struct Secrets {
        var transactions: [String] = []
        var pieces: [String] = []
        var owners: Set<String> = []
    }

    /// Runs both crawls; returns how many responses each read.
    func run() async throws -> (anonymous: Int, firm: Int) {
        let secrets = try await secrets()
        #expect(secrets.transactions.count > 100, "the history has business records to hide")
        let outsider = try await admitOutsider()
        let anonymous = try await crawl(as: nil, secrets)
        let firm = try await crawl(as: outsider, secrets)
        return (anonymous, firm)
    }

    /// Every business transaction id and every piece (with its owner), read as the auditor.
    func secrets() async throws -> Secrets {
        var secrets = Secrets()
        let head = try await client.status().height
        let business: Set<String> = [
            "stock_audit", "issue_invoice", "confirm_invoice", "pay_invoice", "raise_dispute", "resolve_dispute",
            "settle_platform_sales", "grant_consent", "revoke_consent", "make_offer", "accept_offer", "pledge", "repay",
            "declare_default", "release", "guarantee", "confirm_repayment",
        ]
        for height in UInt64(1)...head {
            let block = try await client.block(height: height, signer: auditor)
            for entry in block.transactions {
                if business.contains(entry.kind ?? "") { secrets.transactions.append(entry.id) }
                if entry.kind == "register_piece", entry.status == .committed { secrets.pieces.append(entry.id) }
            }
        }
        for piece in secrets.pieces.prefix(40) {
            let card = try await client.piece(try #require(PieceID(hex: piece)), signer: auditor)
            if let owner = card.owner { secrets.owners.insert(owner) }
        }
        return secrets
    }

    /// A firm admitted now by the devnet's two admins: a member with no record of its own.
    func admitOutsider() async throws -> MemberKey {
        let key = try SigningKey(seed: Array(SHA256Hash.digest(Array("privacy-crawler".utf8)).bytes))
        let member = MemberKey(firstKey: key)
        let chainID = try Label(try await client.status().chainID)
        let first = try KeyFile.member(dir.appendingPathComponent("members/alliance.key").path)
        let second = try KeyFile.member(dir.appendingPathComponent("members/diamond-exchange.key").path)
        let nonce = UInt64(NodeClient.systemMillis())
        let register = Transaction.signed(
            chainID: chainID, signer: first.member, nonce: nonce,
            body: .registerMember(.init(name: "Crawler Trading Co. (test)", roles: .firm, publicKey: key.publicKey)),
            key: first.key)
        _ = try await client.submit(register)
        _ = try await client.waitForCommit(register.id, signer: first, timeout: .seconds(60))
        let approve = Transaction.signed(
            chainID: chainID, signer: second.member, nonce: nonce,
            body: .approveMember(.init(member: member.member)), key: second.key)
        _ = try await client.submit(approve)
        let status = try await client.waitForCommit(approve.id, signer: second, timeout: .seconds(60))
        try #require(status.status == .committed, "the crawler is admitted: \(status)")
        return member
    }

    /// Reads every route and page as `reader`, checking each response against the secrets.
    func crawl(as reader: MemberKey?, _ secrets: Secrets) async throws -> Int {
        let label = reader == nil ? "anonymous" : "an unrelated firm"
        var reads = 0
        func check(_ target: String, _ body: String) {
            reads += 1
            #expect(!body.contains("minorUnits"), "\(label): \(target) shows an amount")
            if target.hasPrefix("/dash") { #expect(!body.contains(" CNY"), "\(label): \(target) shows an amount") }
            // A refusal may echo the id it was asked for; any other id is a leak.
            for id in secrets.transactions where body.contains(id) && !target.contains(id) {
                Issue.record("\(label): \(target) names transaction \(id)")
                break
            }
            for owner in secrets.owners where body.contains("\"owner\":\"\(owner)\"") {
                Issue.record("\(label): \(target) names a piece's owner")
                break
            }
        }
        let head = try await client.status().height
        let session = try await signIn(reader)
        for target in ["/healthz", "/v1/status", "/v1/genesis", "/v1/blocks/latest", "/metrics"] {
            check(target, try await get(target, reader, session: nil).body)
        }
        for height in stride(from: UInt64(1), through: head, by: 1) {
            let (status, body) = try await get("/v1/blocks/\(height)", reader, session: nil)
            #expect(status == 200)
            check("/v1/blocks/\(height)", body)
        }
        for id in secrets.transactions.prefix(200) {
            for target in ["/v1/transactions/\(id)", "/v1/transactions/\(id)/proof"] {
                let (status, body) = try await get(target, reader, session: nil)
                #expect(status == 404, "\(label): \(target) is \(status)")
                check(target, body)
            }
        }
        for piece in secrets.pieces.prefix(40) {
            let (status, body) = try await get("/v1/pieces/\(piece)", reader, session: nil)
            #expect(status == 200 && body.contains("\"view\":\"provenance\""), "\(label): piece \(piece)")
            check("/v1/pieces/\(piece)", body)
        }
        var pages = ["/dash", "/dash/applicants", "/dash/network", "/dash/model", "/dash/signin"]
        pages += secrets.pieces.prefix(10).map { "/dash/pieces/\($0)" }
        pages += secrets.transactions.prefix(10).map { "/dash/proof/\($0)" }
        if let owner = secrets.owners.first { pages.append("/dash/firms/\(owner)") }
        var seen = Set<String>()
        while let page = pages.popLast(), seen.count < 400 {
            guard seen.insert(page).inserted else { continue }
            let (_, body) = try await get(page, reader, session: session)
            check(page, body)
            pages += Self.links(in: body).filter { !seen.contains($0) }
        }
        if let reader {
            for target in ["/v1/members", "/v1/evidence"] {
                check(target, try await get(target, reader, session: nil).body)
            }
            if let owner = secrets.owners.first {
                for what in ["invoices", "payments", "pledges", "loans"] {
                    let target = "/v1/members/\(owner)/\(what)"
                    let (status, body) = try await get(target, reader, session: nil)
                    #expect(status == 403, "\(label): \(target) is \(status)")
                    check(target, body)
                }
                let (status, body) = try await get("/v1/credit/\(owner)/report", reader, session: nil)
                #expect(status == 403 || status == 404, "\(label): a stranger's credit report is \(status)")
                check("credit report", body)
            }
        }
        return reads
    }

    /// Same-origin links of a page, without their fragments; the sign-out form and static assets aside.
    static func links(in html: String) -> [String] {
        var found = [String]()
        var rest = Substring(html)
        while let range = rest.range(of: "href=\"") {
            rest = rest[range.upperBound...]
            guard let end = rest.firstIndex(of: "\"") else { break }
            let link = String(rest[..<end].prefix { $0 != "#" })
            if link.hasPrefix("/dash") || link.hasPrefix("/v1/") {
                found.append(link.replacingOccurrences(of: "&amp;", with: "&"))
            }
            rest = rest[end...]
        }
        return found
    }

    /// A dashboard session for `reader`, through the sign-in link the CLI prints.
    func signIn(_ reader: MemberKey?) async throws -> String? {
        guard let reader else { return nil }
        let base = try #require(URL(string: "http://127.0.0.1:\(port)"))
        let challenge = try await DashboardSignInLink.fetchChallenge(client)
        let link = try DashboardSignInLink.link(
            node: base, challenge: challenge, signer: reader, time: NodeClient.systemMillis(), next: nil)
        let delegate = NoRedirect()
        let session = URLSession(configuration: .ephemeral, delegate: delegate, delegateQueue: nil)
        let (_, response) = try await session.data(for: URLRequest(url: try #require(URL(string: link))))
        let cookie = (response as? HTTPURLResponse)?.value(forHTTPHeaderField: "Set-Cookie") ?? ""
        let value = String(cookie.prefix { $0 != ";" })
        try #require(value.hasPrefix("facet_session="), "signed in: \(cookie)")
        return value
    }

    /// One GET: signed by `reader` for the API (a fresh nonce each), with the session cookie for pages.
    func get(_ target: String, _ reader: MemberKey?, session: String?) async throws -> (status: Int, body: String) {
        var request = URLRequest(url: try #require(URL(string: "http://127.0.0.1:\(port)\(target)")))
        if let reader, !target.hasPrefix("/dash") {
            let (chainID, node) = try await client.identity()
            request.setValue(
                client.authorization(pathAndQuery: target, chainID: chainID, node: node, signer: reader),
                forHTTPHeaderField: "Authorization")
        }
        if let session { request.setValue(session, forHTTPHeaderField: "Cookie") }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }
}

/// Keeps a sign-in's `Set-Cookie` visible: the redirect it answers with is not followed.
final class NoRedirect: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }
}
