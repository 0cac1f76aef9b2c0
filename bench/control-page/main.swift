// control-page-bench: the daemon's loop with and without 100 WebSocket clients of its control
// page while a flood of input plays (bench/control-page/README.md). The real LiveDaemon on the
// EmbeddedSequencer, its simulated time paced to the wall clock, behind the real ControlServer
// on 127.0.0.1; the clients are raw sockets on threads of their own, reading every event.
// Prints each run's per-turn times (the work of LiveDaemon.turn, measured on its thread) and
// the medians over the runs.
#if canImport(Glibc)
import Glibc
#endif
import Composer
import ControlPage
import Daemon
import DaemonWeb
import Foundation
import Logging
import Presets
import TestSupport

struct Options {
    var clients = 100
    var seconds = 20.0
    var rate = 2000.0
    var runs = 3
    var preset = "presets/blues-band.toml"

    init(_ args: [String]) {
        var i = 0
        func value() -> String {
            i += 1
            guard i < args.count else { fatalError("\(args[i - 1]): expected a value") }
            return args[i]
        }
        while i < args.count {
            switch args[i] {
            case "--clients": clients = Int(value())!
            case "--seconds": seconds = Double(value())!
            case "--rate": rate = Double(value())!
            case "--runs": runs = Int(value())!
            case "--preset": preset = value()
            default: fatalError("unknown option \(args[i]); expected --clients N --seconds S --rate EVENTS_A_SECOND --runs N --preset PATH")
            }
            i += 1
        }
    }
}

func monotonicNs() -> UInt64 {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
}

/// A client of /api/events that reads everything sent to it, on a thread of its own.
final class Reader: @unchecked Sendable {
    // @unchecked: `bytes` is the reader thread's until `stop` has joined it.
    let socket: RawWebSocket
    private let done = DispatchSemaphore(value: 0)
    private var bytes = 0

    init(port: Int) throws {
        socket = try RawWebSocket(port: port)
        guard socket.status == 101 else { fatalError("no WebSocket upgrade: \(socket.status)") }
        let fd = socket.fd
        Thread { [self] in
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = recv(fd, &buffer, buffer.count, 0)
                if n < 0, errno == EAGAIN || errno == EINTR { continue }
                if n <= 0 { break }
                bytes += n
            }
            done.signal()
        }.start()
    }

    /// Hangs up; returns the bytes read.
    func stop() -> Int {
        shutdown(socket.fd, Int32(SHUT_RDWR))
        done.wait()
        return bytes
    }
}

struct Run {
    var turns: [UInt64] = []
    var flood = 0
    var bytesRead = 0
    var dropped = 0

    func percentile(_ p: Double) -> Double {
        let s = turns.sorted()
        return Double(s[min(s.count - 1, Int(Double(s.count) * p))]) / 1000
    }
}

func run(_ o: Options, clients: Int, model: ImprovModel) async throws -> Run {
    var preset = try Preset.load(path: o.preset)
    preset.mode = .backing
    preset.inputs = ["keys"]
    preset.seed = 1
    let sequencer = EmbeddedSequencer(tempoBPM: preset.tempoBPM)
    sequencer.addClient(20, name: "keys")
    let hub = EventHub()
    let logger = Logger(label: "bench") { _ in var h = HubLogHandler(hub: hub); h.logLevel = .notice; return h }
    let daemon = LiveDaemon(preset: preset, model: model, sequencer: sequencer, logger: logger, seed: 1,
                            keptModelPath: NSTemporaryDirectory() + "control-page-bench/adapted.safetensors")
    let surface = DaemonSurface(daemon: daemon, hub: hub)
    let server = try ControlServer(surface: surface, address: WebAddress("127.0.0.1:0")!, token: nil)
    let port = try await server.start()
    var readers: [Reader] = []
    for _ in 0..<clients { readers.append(try Reader(port: port)) }
    while hub.subscriberCount < clients { try await Task.sleep(for: .milliseconds(10)) }

    try daemon.start()
    var r = Run()
    r.turns.reserveCapacity(Int(o.seconds * (o.rate + 200)))
    let keyboard = PortAddress(client: 20, port: 0)
    let start = monotonicNs()
    var pushedUntil = 0.0
    var i = 0
    while true {
        let now = Double(monotonicNs() - start) / 1e9
        if now >= o.seconds { break }
        // The flood: note-ons and note-offs over three octaves, `rate` events a second.
        while pushedUntil < now + 0.05 {
            let key = UInt8(48 + (i / 2) % 36)
            sequencer.push(i % 2 == 0 ? .noteOn(channel: 0, key: key, velocity: 80) : .noteOff(channel: 0, key: key),
                           at: pushedUntil, from: keyboard)
            i += 1
            pushedUntil += 1 / o.rate
        }
        while sequencer.seconds < now {
            let t0 = monotonicNs()
            try daemon.turn()
            r.turns.append(monotonicNs() - t0)
        }
        usleep(1000)
    }
    r.flood = i
    daemon.stop()
    try await Task.sleep(for: .milliseconds(200))
    for reader in readers { r.bytesRead += reader.stop() }
    r.dropped = surface.droppedEvents
    await server.stop()
    return r
}

/// A line out at once (stdout may be a file: block-buffered).
func say(_ line: String) {
    print(line)
    fflush(nil)
}

func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }

let options = Options(Array(CommandLine.arguments.dropFirst()))
let model = try ImprovModel.builtIn()
say("control-page-bench: \(options.preset) in backing, a flood of \(Int(options.rate)) events/s for \(options.seconds) s, \(options.runs) runs each with 0 and \(options.clients) clients")
var results: [Int: [Run]] = [:]
for runIndex in 1...options.runs {
    for clients in [0, options.clients] {
        let r = try await run(options, clients: clients, model: model)
        results[clients, default: []].append(r)
        say(String(format: "run %d, %3d clients: %6d turns, median %6.1f us, p99 %7.1f us, max %8.1f us; %d flood events; clients read %.1f MB; ring drops %d",
                     runIndex, clients, r.turns.count, r.percentile(0.5), r.percentile(0.99), r.percentile(1), r.flood, Double(r.bytesRead) / 1e6, r.dropped))
    }
}
say("medians over \(options.runs) runs:")
for clients in [0, options.clients] {
    let rs = results[clients]!
    say(String(format: "  %3d clients: per-turn median %6.1f us, p99 %7.1f us, max %8.1f us; clients read %.1f MB a run",
                 clients, median(rs.map { $0.percentile(0.5) }), median(rs.map { $0.percentile(0.99) }), median(rs.map { $0.percentile(1) }),
                 median(rs.map { Double($0.bytesRead) / 1e6 })))
}
