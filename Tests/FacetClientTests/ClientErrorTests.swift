import FacetCore
import Foundation
import Testing

@testable import FacetClient

/// Refusals decode from the API's `{code, message}` with their HTTP status; anything else is the client's own code.
@Suite struct ClientErrorTests {
    @Test func refusalKeepsTheNodesCodeMessageAndStatus() {
        let body = Data(#"{"code":"pledge.already_pledged","message":"the piece already secures a loan"}"#.utf8)
        let error = NodeClient.refusal(status: 400, body: body, request: "POST /v1/transactions")
        #expect(error.code.rawValue == "pledge.already_pledged")
        #expect(error.message == "the piece already secures a loan")
        #expect(error.httpStatus == 400)
        #expect(error.isRefusal)
        #expect(!error.nodeUnavailable)
        #expect(error.description == "pledge.already_pledged: the piece already secures a loan (HTTP 400)")
    }

    @Test(arguments: [(401, false), (403, false), (404, false), (413, false), (429, false), (503, true)])
    func statusClasses(status: Int, unavailable: Bool) {
        let body = Data(#"{"code":"some.code","message":"m"}"#.utf8)
        let error = NodeClient.refusal(status: status, body: body, request: "GET /v1/status")
        #expect(error.httpStatus == status)
        #expect(error.nodeUnavailable == unavailable)
        #expect(error.isRefusal)
    }

    @Test func aBodyThatIsNotAnErrorIsABadResponse() {
        let error = NodeClient.refusal(status: 502, body: Data("<html>Bad gateway</html>".utf8), request: "GET /x")
        #expect(error.code == .badResponse)
        #expect(error.httpStatus == 502)
        #expect(error.message.contains("HTTP 502"))
        #expect(!error.isRefusal)
        let missing = NodeClient.refusal(status: 400, body: Data(#"{"code":"x.y"}"#.utf8), request: "GET /x")
        #expect(missing.code == .badResponse)
    }

    @Test func unreachableNodeIsTheClientsOwnCode() async throws {
        // A port nothing listens on: the connection is refused at once.
        let client = NodeClient(baseURL: URL(string: "http://127.0.0.1:1")!, requestTimeout: .seconds(5))
        await #expect {
            try await client.status()
        } throws: { error in
            guard let error = error as? ClientError else { return false }
            return error.code == .unreachable && error.httpStatus == nil && error.nodeUnavailable
        }
    }

    @Test func waitingGivesUpWithTimeout() async throws {
        let client = NodeClient(baseURL: URL(string: "http://127.0.0.1:1")!, requestTimeout: .seconds(1))
        let id = TransactionID(Hash256.zero)
        await #expect {
            let signer = MemberKey(firstKey: try SigningKey(seed: Array(repeating: 1, count: 32)))
            return try await client.waitForCommit(
                id, signer: signer, timeout: .milliseconds(300), pollInterval: .milliseconds(50))
        } throws: { error in
            (error as? ClientError)?.code == .timeout
        }
    }

    @Test func nodeAddressesAreHTTPURLs() throws {
        #expect(try NodeClient(address: "http://127.0.0.1:7700").baseURL.port == 7700)
        #expect(try NodeClient(address: "https://node.example.org/").baseURL.host == "node.example.org")
        for bad in ["127.0.0.1:7700", "ftp://x", "http://", "not a url"] {
            #expect(throws: ClientError.self) { try NodeClient(address: bad) }
        }
    }
}
