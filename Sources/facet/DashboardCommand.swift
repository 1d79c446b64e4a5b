import ArgumentParser
import FacetAPI
import FacetClient
import FacetCore
import FacetFiles
import FacetLedger
import FacetNode
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `facet dashboard …`: the web dashboard a node serves under `/dash`.
struct DashboardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "The node's web dashboard (/dash): sign in from a browser with a member key.",
        subcommands: [DashboardSignInLink.self])
}

/// `facet dashboard signin-link --node URL --key KEYFILE [--next PATH]`: proves control of a member key to the
/// dashboard from a browser. It fetches a challenge from the node, signs `GET /dash/signin?challenge=<challenge>`
/// with the key file as the sign-in form would, and prints a link that signs the browser in (once, within five
/// minutes) and opens `--next`. The target signed is built here, never taken from the node, so a node cannot make
/// the key sign any other request.
struct DashboardSignInLink: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "signin-link",
        abstract: "Print a one-time link that signs a browser in to the dashboard as the key file's member.")
    /// The node's answer to `GET /dash/signin/challenge`.
    typealias Challenge = FacetAPI.NodeAPI.DashboardChallenge

    @Option(help: "The node's API address.") var node = "http://127.0.0.1:7700"
    @Option(help: "The CA certificate (PEM) an https node's certificate must chain to.") var cacert: String?
    @Option(help: "The member's key file.") var key: String
    @Option(help: "The dashboard page to open once signed in, such as /dash/firms/<id>.") var next: String?

    func validate() throws {
        if let next, !FacetAPI.NodeAPI.isLocalDashboardPath(next) {
            throw ValidationError("--next is a dashboard path such as /dash/applicants or /dash/firms/<id>")
        }
    }

    func run() async throws {
        let signer = try KeyFile.member(key)
        let client = try CLIInput.parse { try NodeClient(address: node, caFile: cacert) }
        let challenge: Challenge
        do {
            challenge = try await Self.fetchChallenge(client)
        } catch {
            try CLIFailure.exit(error)
        }
        let link = try Self.link(
            node: client.baseURL, challenge: challenge, signer: signer, time: NodeClient.systemMillis(), next: next)
        print(link)
        let expiry = Timestamp(uncheckedMillis: challenge.expiresAt).rfc3339
        FileHandle.standardError.write(Data("the link signs in once, until \(expiry)\n".utf8))
    }

    /// The sign-in link for `challenge`, signed by `signer` at `time`. Throws when the challenge is not one a
    /// dashboard issues (`facet-dashboard:` and URL-safe characters only), so nothing else is ever signed.
    static func link(
        node: URL, challenge: Challenge, signer: MemberKey, time: Int64, next: String?
    ) throws -> String {
        let text = challenge.challenge
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~:%".utf8)
        guard text.hasPrefix("facet-dashboard:"), text.utf8.count <= 512, text.utf8.allSatisfy(allowed.contains)
        else { throw ValidationError("the node's answer is not a dashboard challenge: \(text.prefix(80))") }
        let chainID = try CLIInput.label("chain id")(challenge.chainID)
        let signed = SignedRead.sign(
            method: "GET", target: FacetAPI.NodeAPI.dashboardSignInTarget(challenge: text), time: time,
            member: signer.member, key: signer.key, chainID: chainID)
        let query = FacetAPI.NodeAPI.dashboardSignInLinkQuery(signed: signed, challenge: text, next: next)
        var base = node.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        return "\(base)/dash/signin/complete?\(query)"
    }

    /// `GET /dash/signin/challenge`, decoded (over the client's transport, so an https node with `--cacert` too).
    static func fetchChallenge(_ client: NodeClient) async throws(ClientError) -> Challenge {
        do {
            return try await client.getJSON(Challenge.self, path: "/dash/signin/challenge")
        } catch {
            guard error.code == .badResponse || error.httpStatus == 404 else { throw error }
            throw ClientError(
                .badResponse,
                "GET \(client.baseURL.absoluteString)/dash/signin/challenge: not a challenge (does the node serve /dash?)",
                httpStatus: error.httpStatus)
        }
    }
}
