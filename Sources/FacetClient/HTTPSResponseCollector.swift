import Foundation
import NIOCore
import NIOHTTP1

struct HTTPSResponse: Sendable {
    var status: Int
    var body: Data
}

enum HTTPSFailure: Error {
    case timedOut, closedEarly, tooLarge
}

/// Collects one response on the channel's event loop and completes the promise with it (or the first error).
final class HTTPSResponseCollector: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    private let promise: EventLoopPromise<HTTPSResponse>
    private var status: Int?
    private var body = ByteBuffer()

    init(promise: EventLoopPromise<HTTPSResponse>) {
        self.promise = promise
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            status = Int(head.status.code)
        case .body(var part):
            guard body.readableBytes + part.readableBytes <= HTTPSTransport.maxResponseBytes else {
                promise.fail(HTTPSFailure.tooLarge)
                context.close(promise: nil)
                return
            }
            body.writeBuffer(&part)
        case .end:
            if let status {
                promise.succeed(HTTPSResponse(status: status, body: Data(body.readableBytesView)))
            } else {
                promise.fail(HTTPSFailure.closedEarly)
            }
            context.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.fail(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.fail(HTTPSFailure.closedEarly)
        context.fireChannelInactive()
    }
}
