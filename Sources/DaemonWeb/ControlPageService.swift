import ControlPage
import Logging
import Presets
import ServiceLifecycle

/// The control page of `improv daemon` (web.listen) as a service beside the live loop: the
/// server runs on its own NIO thread, never the engine's. If it cannot start (the port is
/// taken, the address is not this host's), the error names the address and the music plays
/// on: the daemon never dies for its web page. Stopped on graceful shutdown.
public struct ControlPageService: Service {
    let surface: DaemonSurface
    let listen: String
    let token: String?
    let log: Logger

    public init(surface: DaemonSurface, listen: String, token: String?, log: Logger) {
        self.surface = surface
        self.listen = listen
        self.token = token
        self.log = log
    }

    public func run() async throws {
        let server = await start()
        // Until the group shuts down (a cancellation ends it too).
        try? await gracefulShutdown()
        await server?.stop()
    }

    private func start() async -> ControlServer? {
        // The preset reader has checked web.listen; this only guards against a preset made otherwise.
        guard let address = WebAddress(listen) else {
            log.error("control page not started, the music plays on: web.listen: expected an address and port such as \"127.0.0.1:8737\", found \"\(listen)\"")
            return nil
        }
        do {
            let server = try ControlServer(surface: surface, address: address, token: token)
            var bound = address
            bound.port = try await server.start()
            log.notice("control page on http://\(bound)/\(token == nil ? "" : " (bearer token: web.token)")")
            return server
        } catch {
            log.error("control page at \(address) not started, the music plays on: \(error)")
            return nil
        }
    }
}
