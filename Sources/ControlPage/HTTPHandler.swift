import Foundation
import NIOCore
import NIOHTTP1
import NIOWebSocket

/// One HTTP connection: the page, `GET /api/state`, `POST /api/control`. (`GET /api/events`
/// is taken over by the WebSocket upgrader before it gets here; a plain GET of it is refused.)
/// Runs on the server's event loop; the surface is only read through its snapshot, and a
/// control request is handed to it in a task.
final class HTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let surface: any ControlSurface
    let guardian: RequestGuard
    let maxBody: Int

    private var head: HTTPRequestHead?
    private var body: ByteBuffer?
    /// A response was already sent for this request (too large, refused): drop the rest of it.
    private var discarding = false
    private var discarded = 0
    /// The request asked for the connection to stay open (HTTP/1.1 without Connection: close).
    private var keepAlive = true
    /// After a 413 the rest of the body is read and dropped (closing with it unread would reset
    /// the connection before the client reads the answer), up to this much.
    static let maxDiscard = 8 << 20

    init(surface: any ControlSurface, guardian: RequestGuard, maxBody: Int) {
        self.surface = surface
        self.guardian = guardian
        self.maxBody = maxBody
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h):
            head = h
            keepAlive = h.isKeepAlive
            body = nil
            discarding = false
            if let length = h.headers["content-length"].first.flatMap({ Int($0) }), length > maxBody {
                tooLarge(context)
            }
        case .body(var chunk):
            guard !discarding else {
                discarded += chunk.readableBytes
                if discarded > Self.maxDiscard { context.close(promise: nil) }
                return
            }
            if (body?.readableBytes ?? 0) + chunk.readableBytes > maxBody { tooLarge(context); return }
            if body == nil { body = chunk } else { body!.writeBuffer(&chunk) }
        case .end:
            if discarding { context.close(promise: nil); return }
            guard let h = head else { return }
            head = nil
            route(context, h, body.map { Array($0.readableBytesView) } ?? [])
        }
    }

    private func tooLarge(_ context: ChannelHandlerContext) {
        discarding = true
        discarded = 0
        keepAlive = false  // closed once the rest of the body is in (see `.end`)
        respond(context, .payloadTooLarge, error: ControlError(status: 413, key: nil, reason: "the body is over \(maxBody) bytes"))
    }

    private func route(_ context: ChannelHandlerContext, _ h: HTTPRequestHead, _ bytes: [UInt8]) {
        let path = String(h.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
        let api = path.hasPrefix("/api/")
        if let refusal = guardian.check(h, api: api) {
            var extra = HTTPHeaders()
            if refusal.status == .unauthorized { extra.add(name: "WWW-Authenticate", value: "Bearer") }
            respond(context, refusal.status, error: ControlError(status: Int(refusal.status.code), key: nil, reason: refusal.reason), headers: extra)
            return
        }
        switch (h.method, path) {
        case (.GET, "/"), (.GET, "/index.html"):
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: "text/html; charset=utf-8")
            headers.add(name: "Content-Security-Policy", value: "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'none'; base-uri 'none'")
            headers.add(name: "X-Frame-Options", value: "DENY")
            respond(context, .ok, body: Array(ControlPageHTML.text.utf8), headers: headers)
        case (.GET, "/api/state"):
            respond(context, .ok, json: StateJSON.encode(surface.state()))
        case (.POST, "/api/control"):
            control(context, h, bytes)
        case (.GET, "/api/events"):
            respond(context, .badRequest, error: ControlError(key: nil, reason: "expected a WebSocket upgrade (Upgrade: websocket)"))
        case (_, "/"), (_, "/index.html"), (_, "/api/state"), (_, "/api/control"), (_, "/api/events"):
            var headers = HTTPHeaders()
            headers.add(name: "Allow", value: path == "/api/control" ? "POST" : "GET")
            respond(context, .methodNotAllowed, error: ControlError(status: 405, key: nil, reason: "\(h.method) is not allowed on \(path)"), headers: headers)
        default:
            respond(context, .notFound, error: ControlError(status: 404, key: nil, reason: "no such page: \(path.prefix(100))"))
        }
    }

    private func control(_ context: ChannelHandlerContext, _ h: HTTPRequestHead, _ bytes: [UInt8]) {
        // A cross-site form cannot send JSON; a cross-site fetch that does needs a preflight,
        // which the Origin check refuses.
        let type = h.headers["content-type"].first?.lowercased() ?? ""
        guard type.hasPrefix("application/json") else {
            respond(context, .unsupportedMediaType, error: ControlError(status: 415, key: nil, reason: "expected Content-Type: application/json"))
            return
        }
        let request: ControlRequest
        do {
            request = try ControlRequest.parse(json: bytes, presets: surface.state().presets)
        } catch {
            respond(context, .badRequest, error: error)
            return
        }
        let surface = self.surface
        let promise = context.eventLoop.makePromise(of: Void.self)
        promise.completeWithTask { try await surface.apply(request) }
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        promise.futureResult.assumeIsolated().whenComplete { result in
            let context = bound.value
            switch result {
            case .success:
                self.respond(context, .ok, json: #"{"ok":true,"state":\#(StateJSON.encode(surface.state()))}"#)
            case .failure(let e as ControlRejection):
                self.respond(context, .badRequest, error: ControlError(key: e.key, reason: e.reason))
            case .failure(let e):
                self.respond(context, .internalServerError, error: ControlError(status: 500, key: nil, reason: "\(e)"))
            }
        }
    }

    private func respond(_ context: ChannelHandlerContext, _ status: HTTPResponseStatus, error: ControlError, headers: HTTPHeaders = [:], close: Bool = false) {
        let key = error.key.map { #","key":\#(JSONText.string($0))"# } ?? ""
        respond(context, status, json: #"{"error":\#(JSONText.string(error.description))\#(key)}"#, headers: headers, close: close)
    }

    private func respond(_ context: ChannelHandlerContext, _ status: HTTPResponseStatus, json: String, headers: HTTPHeaders = [:], close: Bool = false) {
        var headers = headers
        headers.add(name: "Content-Type", value: "application/json")
        respond(context, status, body: Array(json.utf8), headers: headers, close: close)
    }

    private func respond(_ context: ChannelHandlerContext, _ status: HTTPResponseStatus, body: [UInt8], headers: HTTPHeaders, close: Bool = false) {
        guard context.channel.isActive else { return }
        let close = close || !keepAlive
        var headers = headers
        headers.add(name: "Content-Length", value: String(body.count))
        headers.add(name: "Cache-Control", value: "no-store")
        headers.add(name: "X-Content-Type-Options", value: "nosniff")
        headers.add(name: "Referrer-Policy", value: "no-referrer")
        if close { headers.add(name: "Connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        let done = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: done)
        if close && !discarding {
            let channel = context.channel
            done.futureResult.whenComplete { _ in channel.close(promise: nil) }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        // A refused WebSocket upgrade: the request comes on to `route`, which says why.
        if error is NIOWebSocketUpgradeError { return }
        // NIO's HTTPServerProtocolErrorHandler has already answered a malformed request with 400.
        context.close(promise: nil)
    }
}

/// The state as JSON (snake_case keys, sorted so that it reads the same each time).
enum StateJSON {
    static func encode(_ state: ControlState) -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        guard let data = try? encoder.encode(state) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
