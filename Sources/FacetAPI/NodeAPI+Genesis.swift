import FacetLedger
import FacetNode
import Foundation
import Hummingbird
import NIOCore

/// The node's genesis, the trust root of every proof bundle (`contracts/proof-bundle.md`): served so a browser can
/// verify a bundle without another download, and shown by its hash so an auditor can compare it with their own copy
/// obtained out of band (trusting this answer is trusting this node).
extension NodeAPI {
    func addGenesisRoutes(_ router: Router<BasicRequestContext>) {
        router.get("/v1/genesis") { _, _ in try genesisFile() }
    }

    /// The same JSON as the genesis file (`Genesis+JSON`), so `Genesis(json:)` reads it back with the same hash.
    private func genesisFile() throws(APIError) -> Response {
        let data: Data
        do {
            data = try node.genesis.jsonData()
        } catch {
            logger.error("the genesis cannot be written as a file", metadata: ["genesis.error": "\(error)"])
            throw APIError(.internalError, "the genesis cannot be served as a file", status: .internalServerError)
        }
        return Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "max-age=3600"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
