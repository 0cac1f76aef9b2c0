import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket
import Presets

/// The control page's HTTP server: the page, its API and its event stream, on one thread of
/// its own (never the engine's). `start()` binds and returns at once; `stop()` closes every
/// connection and the thread.
///
///     let server = try ControlServer(surface: session, preset: preset)   // nil: web.listen = ""
///     let port = try await server?.start()
///     ...
///     await server?.stop()
public final class ControlServer: Sendable {
    public let address: WebAddress
    public let token: String?
    /// Largest `POST /api/control` body; a larger one is refused with 413.
    public let maxBodyBytes: Int
    /// Connections open at once at most; more are closed as they come.
    public let maxConnections: Int
    let surface: any ControlSurface
    private let state = NIOLockedValueBox<Running?>(nil)

    private struct Running {
        var group: MultiThreadedEventLoopGroup
        var channel: Channel
        var port: Int
    }

    public struct StartError: Error, CustomStringConvertible {
        public var description: String
    }

    /// A server for `preset`'s `[web]` table, or nil when `web.listen` is "" (the page is off).
    public convenience init?(surface: any ControlSurface, preset: Preset) throws {
        guard !preset.webListen.isEmpty else { return nil }
        guard let address = WebAddress(preset.webListen) else {
            throw StartError(description: "web.listen: expected an address and port such as \"127.0.0.1:8737\", found \"\(preset.webListen)\"")
        }
        try self.init(surface: surface, address: address, token: preset.webToken)
    }

    public init(surface: any ControlSurface, address: WebAddress, token: String?, maxBodyBytes: Int = 16 * 1024, maxConnections: Int = 256) throws {
        if !address.isLoopback && token == nil {
            throw StartError(description: "web.listen \(address) is not a loopback address: web.token must be set")
        }
        if let token, let problem = WebAddress.tokenProblem(token) { throw StartError(description: "web.token: expected \(problem)") }
        self.surface = surface
        self.address = address
        self.token = token
        self.maxBodyBytes = maxBodyBytes
        self.maxConnections = maxConnections
    }

    /// The port bound, once started.
    public var port: Int? { state.withLockedValue { $0?.port } }

    /// Binds `address` and starts serving; returns the port bound (useful with port 0).
    @discardableResult
    public func start() async throws -> Int {
        if let port { return port }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let surface = self.surface
        let address = self.address
        let token = self.token
        let maxBody = maxBodyBytes
        let maxConnections = self.maxConnections
        let port = NIOLockedValueBox(address.port)
        let open = ManagedAtomicCounter()
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            // A client that half-closes after its request still gets the answer.
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelInitializer { channel in
                guard open.add(1) <= maxConnections else {
                    _ = open.add(-1)
                    return channel.close()
                }
                channel.closeFuture.whenComplete { _ in _ = open.add(-1) }
                let guardian = RequestGuard(address: address, port: channel.localAddress?.port ?? port.withLockedValue { $0 }, token: token)
                let upgrader = NIOWebSocketServerUpgrader(
                    maxFrameSize: 4096,
                    shouldUpgrade: { channel, head in
                        let path = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first
                        let ok = head.method == .GET && path == "/api/events" && guardian.check(head, api: true) == nil
                        return channel.eventLoop.makeSucceededFuture(ok ? HTTPHeaders() : nil)
                    },
                    upgradePipelineHandler: { channel, _ in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(WebSocketEventsHandler(surface: surface))
                        }
                    })
                return channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    try sync.configureHTTPServerPipeline(
                        withServerUpgrade: (upgraders: [upgrader], completionHandler: { context in
                            context.pipeline.removeHandler(name: "control-http", promise: nil)
                        }))
                    try sync.addHandler(HTTPHandler(surface: surface, guardian: guardian, maxBody: maxBody), name: "control-http")
                }
            }
        let channel: Channel
        do {
            channel = try await bootstrap.bind(host: address.host, port: address.port).get()
        } catch {
            try? await group.shutdownGracefully()
            throw StartError(description: "web.listen \(address): cannot listen there (\(error))")
        }
        let bound = channel.localAddress?.port ?? address.port
        port.withLockedValue { $0 = bound }
        state.withLockedValue { $0 = Running(group: group, channel: channel, port: bound) }
        return bound
    }

    /// Stops listening, closes every connection and ends the server's thread.
    public func stop() async {
        guard let running = state.withLockedValue({ s -> Running? in defer { s = nil }; return s }) else { return }
        try? await running.channel.close()
        try? await running.group.shutdownGracefully()
    }
}

/// A counter shared by the accept path (the connection limit).
final class ManagedAtomicCounter: Sendable {
    private let box = NIOLockedValueBox(0)
    func add(_ d: Int) -> Int { box.withLockedValue { $0 += d; return $0 } }
}
