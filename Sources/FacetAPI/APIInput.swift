import FacetCore
import FacetNode
import FacetWire
import Foundation
import HTTPTypes
import Hummingbird

/// Parsing of what a request carries (path parameters, query windows, bodies), refusing anything malformed with a
/// 400 and a code before it reaches the node.
package enum APIInput {
    /// A path id: exactly 64 lowercase hex digits, as the API writes them.
    package static func id(_ context: some RequestContext, _ name: String = "id") throws(APIError) -> Hash256 {
        let text = context.parameters.get(name) ?? ""
        guard text.utf8.count == 64,
            text.utf8.allSatisfy({
                ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9"))
                    || ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "f"))
            }),
            let hash = Hash256(hex: text)
        else { throw APIError.badRequest(.badID, "an id is 64 lowercase hex digits") }
        return hash
    }

    /// A block height: a decimal integer from 1 up.
    static func height(_ context: some RequestContext) throws(APIError) -> UInt64 {
        let text = context.parameters.get("height") ?? ""
        guard (1...20).contains(text.utf8.count),
            text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            let height = UInt64(text), height >= 1
        else { throw APIError.badRequest(.badHeight, "a block height is an integer from 1 up") }
        return height
    }

    /// The `from` (inclusive) and `to` (exclusive) query parameters, in milliseconds; either may be absent.
    static func window(_ request: Request) throws(APIError) -> (from: Timestamp?, to: Timestamp?) {
        let query = request.uri.queryParameters
        let from = try time(query.get("from"), "from")
        let to = try time(query.get("to"), "to")
        if let from, let to, from >= to {
            throw APIError.badRequest(.badQuery, "the window is empty: from must be before to")
        }
        return (from, to)
    }

    static func time(_ text: String?, _ name: String) throws(APIError) -> Timestamp? {
        guard let text else { return nil }
        guard (1...15).contains(text.utf8.count),
            text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            let millis = Int64(text), let time = try? Timestamp(millis: millis)
        else {
            throw APIError.badRequest(.badQuery, "\(name) is a time in milliseconds since 1970, up to the year 9999")
        }
        return time
    }

    /// The whole body, refused with 413 as soon as it passes `limit` bytes: a declared `Content-Length` over it is
    /// refused unread, and a streamed body is read only up to it, so no request makes the node buffer more.
    package static func body(_ request: Request, limit: Int) async throws -> ByteBuffer {
        let tooLarge = APIError(.tooLarge, "the body is over the limit of \(limit) bytes", status: .contentTooLarge)
        if let declared = request.headers[.contentLength], let length = Int(declared), length > limit {
            throw tooLarge
        }
        var collected = ByteBuffer()
        for try await var chunk in request.body {
            guard collected.readableBytes + chunk.readableBytes <= limit else { throw tooLarge }
            collected.writeBuffer(&chunk)
        }
        return collected
    }

    /// `{ "transactions": ["<hex>", …] }` → each transaction's bytes; at most `limit` of them, and at least one.
    static func submittedBatch(_ body: ByteBuffer, limit: Int) throws(APIError) -> [[UInt8]] {
        let submitted: APIJSON.SubmitBatchBody
        do {
            submitted = try JSONDecoder().decode(APIJSON.SubmitBatchBody.self, from: Data(body.readableBytesView))
        } catch {
            throw APIError.badRequest(
                .malformedJSON, #"the body is not JSON of the form {"transactions": ["<hex>", …]}"#)
        }
        guard !submitted.transactions.isEmpty else {
            throw APIError.badRequest(.badRequest, "the batch holds no transaction")
        }
        guard submitted.transactions.count <= limit else {
            throw APIError(
                .tooLarge, "the batch holds \(submitted.transactions.count) transactions; at most \(limit) are taken",
                status: .contentTooLarge)
        }
        var items = [[UInt8]]()
        items.reserveCapacity(submitted.transactions.count)
        for (position, hex) in submitted.transactions.enumerated() {
            guard let bytes = Hex.decode(hex) else {
                throw APIError.badRequest(.badHex, "transaction \(position) is not hex (an even number of 0-9, a-f)")
            }
            items.append(bytes)
        }
        return items
    }

    /// `{ "transaction": "<hex>" }` → the transaction's bytes.
    static func submittedTransaction(_ body: ByteBuffer) throws(APIError) -> [UInt8] {
        let submitted: APIJSON.SubmitBody
        do {
            submitted = try JSONDecoder().decode(APIJSON.SubmitBody.self, from: Data(body.readableBytesView))
        } catch {
            throw APIError.badRequest(.malformedJSON, #"the body is not JSON of the form {"transaction": "<hex>"}"#)
        }
        guard let bytes = Hex.decode(submitted.transaction) else {
            throw APIError.badRequest(.badHex, "transaction is not hex (an even number of 0-9, a-f)")
        }
        return bytes
    }
}
