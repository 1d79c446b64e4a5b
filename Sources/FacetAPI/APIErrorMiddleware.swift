import FacetNode
import Hummingbird
import Logging

/// The API's catch-all: every error a route (or the not-found fallback) throws becomes a JSON refusal in its HTTP
/// class. Node and API errors keep their codes; Hummingbird's own errors are mapped by status; anything else is a
/// fault in the node, answered as `api.internal` without echoing it, and logged. It also counts every response by
/// status.
struct APIErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger
    let metrics: NodeMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = refusal(for: error, route: context.endpointPath).response
        }
        metrics.httpResponse(status: response.status.code)
        return response
    }

    private func refusal(for error: any Error, route: String?) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as NodeError:
            if error.kind == .unavailable {
                logger.warning(
                    "node unavailable", metadata: ["node.error": "\(error)", "http.route": "\(route ?? "-")"])
            }
            return APIError(error)
        case let error as any HTTPResponseError:
            return Self.mapped(status: error.status)
        default:
            logger.error(
                "unexpected error answering a request",
                metadata: ["api.error": "\(error)", "http.route": "\(route ?? "-")"])
            return APIError(
                .internalError, "the node failed to answer; the fault is logged", status: .internalServerError)
        }
    }

    /// Hummingbird's own refusals (unknown route, body too large, a malformed request) in the API's codes.
    static func mapped(status: HTTPResponse.Status) -> APIError {
        switch status.code {
        case 404, 405: return APIError.notFound("no such route")
        case 413: return APIError(.tooLarge, "the body is over the limit", status: .contentTooLarge)
        case 400..<500: return APIError(.badRequest, "the request is malformed", status: status)
        case 503: return APIError(.unavailable, "the node cannot answer now; try again later", status: status)
        default:
            return APIError(
                .internalError, "the node failed to answer; the fault is logged", status: .internalServerError)
        }
    }
}
