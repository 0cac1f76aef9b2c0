import Composer
import ControlPage
import Daemon
import DaemonWeb
import Foundation
import Logging
import MusicCore
import Presets
import TestSupport

/// What the daemon logged (a swift-log handler that keeps every line).
final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func add(_ line: String) { lock.withLock { lines.append(line) } }
    var all: String { lock.withLock { lines.joined(separator: "\n") } }
}

struct LinesHandler: LogHandler {
    let lines: LogLines
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(event: LogEvent) { lines.add("[\(event.level)] \(event.message)") }
}

/// The real daemon on an embedded sequencer (simulated time) behind the real control server on
/// 127.0.0.1, a free port: a keyboard "keys" (client 20) plays into it.
final class PageRig {
    let sequencer: EmbeddedSequencer
    let daemon: LiveDaemon
    let surface: DaemonSurface
    let server: ControlServer
    let log = LogLines()
    let hub = EventHub()
    /// The daemon's logger: the lines kept here, and passed to the page's hub.
    let logger: Logger
    /// The API's client, once `start` has bound the server.
    private(set) var http = RawHTTP(port: 0)

    static let model = try! ImprovModel.builtIn()

    init(presets: [String: String] = [:], _ change: (inout Preset) -> Void = { _ in }) throws {
        var p = Preset()
        p.key = .c
        p.followKey = false
        p.heldNoteTimeout = nil
        p.tempoBPM = 100
        p.inputs = ["keys"]
        change(&p)
        sequencer = EmbeddedSequencer(tempoBPM: p.tempoBPM)
        sequencer.addClient(20, name: "keys")
        let lines = log, hub = hub
        logger = Logger(label: "test") { _ in MultiplexLogHandler([LinesHandler(lines: lines), HubLogHandler(hub: hub)]) }
        daemon = LiveDaemon(preset: p, model: Self.model, sequencer: sequencer, logger: logger, seed: 7,
                            keptModelPath: NSTemporaryDirectory() + "improv-daemonweb-\(UUID().uuidString)/adapted.safetensors")
        surface = DaemonSurface(daemon: daemon, hub: hub, presets: presets)
        server = try ControlServer(surface: surface, address: WebAddress("127.0.0.1:0")!, token: nil)
    }

    func start() async throws {
        http = RawHTTP(port: try await server.start())
        try daemon.start()
        try turn(until: 0.1)
    }

    func stop() async {
        daemon.stop()
        await server.stop()
    }

    var port: Int { http.port }

    /// Turns of the daemon's loop until `seconds` of simulated time.
    func turn(until seconds: Double) throws {
        while sequencer.seconds < seconds { try daemon.turn() }
    }

    /// A two-bar call from the keyboard (in C major unless `keys` says), from `start` seconds
    /// (at 100 BPM); returns its end.
    @discardableResult
    func pushCall(at start: Double, keys: [UInt8] = [60, 62, 64, 67, 69, 67, 64, 62, 60, 64, 67, 72]) -> Double {
        let beat = 0.6
        var t = start
        for (i, k) in keys.enumerated() {
            let length = (i % 3 == 2 ? 1 : 0.5) * beat
            sequencer.push(.noteOn(channel: 0, key: k, velocity: 90), at: t, from: PortAddress(client: 20, port: 0))
            sequencer.push(.noteOff(channel: 0, key: k), at: t + length * 0.9, from: PortAddress(client: 20, port: 0))
            t += length
        }
        return t
    }

    /// improv's note-ons on `channel` that were scheduled (and not dropped).
    func noteOns(channel: UInt8) -> [EmbeddedSequencer.Output] {
        sequencer.scheduled.filter {
            if case .channel(.noteOn(channel, _, let v)) = $0.message { return v > 0 }
            return false
        }
    }
}
