import FacetCore
import Foundation
import Testing

@testable import FacetClient

/// The access log as `contracts/openapi.yaml` shapes it decodes, nulls included; a receipt missing a required field
/// or with an unknown basis does not; and the signed path puts `before` before `limit`.
@Suite struct AccessLogDecodingTests {
    let id = String(repeating: "ab", count: 32)

    @Test func aPageDecodesWithItsNulls() throws {
        let json = """
            {"firm":"\(id)","next":null,"receipts":[{"reader":"\(id)","readerName":null,"what":"proof",
            "basis":"auditor","consentGrantedAt":null,"at":1767225600000,"height":7,"count":2}]}
            """
        let log = try JSONDecoder().decode(NodeAPI.AccessLog.self, from: Data(json.utf8))
        #expect(log.next == nil && log.receipts.count == 1)
        let receipt = try #require(log.receipts.first)
        #expect(receipt.basis == .auditor && receipt.readerName == nil && receipt.consentGrantedAt == nil)
        #expect(receipt.at == 1_767_225_600_000 && receipt.height == 7 && receipt.count == 2)
        for broken in [
            #"{"firm":"x","receipts":[{"reader":"x","what":"proof","basis":"auditor","at":1,"height":1}]}"#,
            #"{"firm":"x","receipts":[{"reader":"x","what":"proof","basis":"friend","at":1,"height":1,"count":1}]}"#,
            #"{"firm":"x"}"#,
        ] {
            #expect(throws: DecodingError.self) {
                try JSONDecoder().decode(NodeAPI.AccessLog.self, from: Data(broken.utf8))
            }
        }
    }

    @Test func theSignedPathPutsBeforeBeforeLimit() throws {
        let firm = try #require(MemberID(hex: id))
        #expect(NodeClient.accessLogPath(firm, before: nil, limit: nil) == "/v1/members/\(id)/access-log")
        #expect(NodeClient.accessLogPath(firm, before: nil, limit: 20) == "/v1/members/\(id)/access-log?limit=20")
        #expect(
            NodeClient.accessLogPath(firm, before: Timestamp(uncheckedMillis: 5), limit: 20)
                == "/v1/members/\(id)/access-log?before=5&limit=20")
    }
}
