import FacetWire
import Foundation
import HTTPTypes
import Hummingbird

/// The wire bodies (`FacetWire`) as Hummingbird responses: the node's side of the API's JSON.
extension APIJSON {
    /// Sorted keys and unescaped slashes: the same value always gives the same bytes, which keeps responses
    /// diffable and cacheable.
    package static func encode<T: Encodable>(_ value: T) -> ByteBuffer {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else {
            preconditionFailure("API bodies hold only strings, integers, booleans, arrays and objects")
        }
        return ByteBuffer(bytes: data)
    }

    package static func response<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: encode(value)))
    }

    package static func text(_ text: String, status: HTTPResponse.Status = .ok, contentType: String) -> Response {
        Response(
            status: status, headers: [.contentType: contentType],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text))
        )
    }
}

extension APIError {
    /// The error as the API answers it.
    package var response: Response {
        APIJSON.response(APIJSON.ErrorBody(code: code, message: message), status: status)
    }
}

/// JSON cannot hold NaN or infinities.
func finite(_ value: Double?) -> Double? {
    guard let value, value.isFinite else { return nil }
    return value
}
