import NIOCore
import NIOWebSocket

/// One client of `GET /api/events`: sends it the state, then every event from the hub as a
/// JSON text message. A pump on the server's event loop runs every `interval`; while the
/// client has not taken the last batch (its socket is full) nothing more is read for it, so
/// its cursor falls behind and the hub drops its oldest events, never anyone else's.
final class WebSocketEventsHandler: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    let surface: any ControlSurface
    let interval: TimeAmount
    let batch: Int
    private var cursor = 0
    private var writing = false
    private var subscribed = false
    private var scheduled: Scheduled<Void>?
    private var events: [ControlEvent] = []

    init(surface: any ControlSurface, interval: TimeAmount = .milliseconds(25), batch: Int = 512) {
        self.surface = surface
        self.interval = interval
        self.batch = batch
    }

    func handlerAdded(context: ChannelHandlerContext) {
        surface.events.subscribed(1)
        subscribed = true
        cursor = surface.events.cursor(backlog: 1024)
        send(context, #"{"type":"hello","state":\#(StateJSON.encode(surface.state()))}"#, flush: true)
        schedule(context)
    }

    func handlerRemoved(context: ChannelHandlerContext) { unsubscribe() }
    func channelInactive(context: ChannelHandlerContext) {
        unsubscribe()
        context.fireChannelInactive()
    }

    private func unsubscribe() {
        scheduled?.cancel()
        scheduled = nil
        if subscribed { surface.events.subscribed(-1); subscribed = false }
    }

    private func schedule(_ context: ChannelHandlerContext) {
        guard subscribed else { return }
        scheduled = context.eventLoop.assumeIsolated().scheduleTask(in: interval) { [self] in
            pump(context)
            schedule(context)
        }
    }

    private func pump(_ context: ChannelHandlerContext) {
        guard context.channel.isActive, !writing, context.channel.isWritable else { return }
        events.removeAll(keepingCapacity: true)
        let dropped = surface.events.read(from: &cursor, limit: batch, into: &events)
        if dropped > 0 { send(context, #"{"type":"dropped","count":\#(dropped)}"#, flush: false) }
        guard !events.isEmpty || dropped > 0 else { return }
        var state: String?
        var last: EventLoopFuture<Void>?
        for e in events {
            let text = e.json { if state == nil { state = StateJSON.encode(surface.state()) }; return state! }
            let frame = WebSocketFrame(fin: true, opcode: .text, data: context.channel.allocator.buffer(string: text))
            last = context.write(wrapOutboundOut(frame))
        }
        context.flush()
        // Nothing more is read for this client until the socket has taken this batch.
        writing = true
        if let last {
            last.assumeIsolated().whenComplete { [self] _ in writing = false }
        } else {
            writing = false
        }
    }

    private func send(_ context: ChannelHandlerContext, _ text: String, flush: Bool) {
        let frame = WebSocketFrame(fin: true, opcode: .text, data: context.channel.allocator.buffer(string: text))
        if flush { context.writeAndFlush(wrapOutboundOut(frame), promise: nil) } else { context.write(wrapOutboundOut(frame), promise: nil) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .connectionClose:
            // Echo the close and hang up.
            var data = frame.unmaskedData
            let code = data.readSlice(length: min(2, data.readableBytes)) ?? context.channel.allocator.buffer(capacity: 0)
            let close = WebSocketFrame(fin: true, opcode: .connectionClose, data: code)
            context.writeAndFlush(wrapOutboundOut(close)).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        case .ping:
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData)), promise: nil)
        default:
            break // the page only listens; what a client sends is ignored
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }
}
