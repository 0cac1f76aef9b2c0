import Composer
import Daemon
import Engine
import Foundation
import Logging
import MusicCore
import Presets

/// What the daemon logged, with levels (a swift-log handler that keeps every line).
final class LogBook: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [(level: Logger.Level, text: String)] = []
    func add(_ level: Logger.Level, _ text: String) { lock.withLock { entries.append((level, text)) } }
    var lines: [(level: Logger.Level, text: String)] { lock.withLock { entries } }
    func contains(_ text: String, level: Logger.Level? = nil) -> Bool {
        lines.contains { $0.text.contains(text) && (level == nil || $0.level == level) }
    }
    var all: String { lines.map { "[\($0.level)] \($0.text)" }.joined(separator: "\n") }
}

struct BookHandler: LogHandler {
    let book: LogBook
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(event: LogEvent) { book.add(event.level, "\(event.message)") }
}

/// systemd's side of the notify protocol, recorded.
final class NotifyRecorder: ServiceNotifier {
    var messages: [String] = []
    func ready(status: String) { messages.append("READY=1 STATUS=\(status)") }
    func reloading() { messages.append("RELOADING=1") }
    func stopping() { messages.append("STOPPING=1") }
    func pingIfDue() {}
}

/// A daemon on an embedded sequencer, with its log and notifications.
struct Rig {
    let sequencer: EmbeddedSequencer
    let daemon: LiveDaemon
    let log: LogBook
    let notify: NotifyRecorder

    static let builtIn = try! ImprovModel.builtIn()

    init(_ preset: Preset = Rig.preset(), model: ImprovModel = Rig.builtIn, clients: [(Int, String)] = []) {
        sequencer = EmbeddedSequencer(tempoBPM: preset.tempoBPM)
        for (id, name) in clients { sequencer.addClient(id, name: name) }
        log = LogBook()
        notify = NotifyRecorder()
        let book = log
        daemon = LiveDaemon(preset: preset, model: model, sequencer: sequencer, notifier: notify,
                            logger: Logger(label: "test") { _ in BookHandler(book: book) }, seed: 7,
                            keptModelPath: NSTemporaryDirectory() + "improv-daemon-tests-\(UUID().uuidString)/adapted.safetensors")
    }

    /// A preset in C at 120 BPM, the key fixed, no held-note timeout (so a lost note-off
    /// would keep a call open for ever).
    static func preset(_ change: (inout Preset) -> Void = { _ in }) -> Preset {
        var p = Preset()
        p.key = .c
        p.followKey = false
        p.heldNoteTimeout = nil
        change(&p)
        return p
    }

    /// Seconds a beat at `bpm`.
    static func beat(_ bpm: Double = 120) -> Double { 60 / bpm }

    /// A two-bar call in C (eighths and quarters) from `start` seconds at 120 BPM, on channel 0.
    func pushCall(at start: Double, from: PortAddress? = nil, dropLastOff: Bool = false) -> Double {
        let keys: [UInt8] = [60, 62, 64, 67, 69, 67, 64, 62, 60, 64, 67, 72]
        var t = start
        for (i, k) in keys.enumerated() {
            let length = i % 3 == 2 ? 0.5 : 0.25
            sequencer.push(.noteOn(channel: 0, key: k, velocity: 90), at: t, from: from)
            if !(dropLastOff && i == keys.count - 1) { sequencer.push(.noteOff(channel: 0, key: k), at: t + length * 0.9, from: from) }
            t += length
        }
        return t
    }

    /// Runs the real loop until `seconds` of simulated time, then stops it (as SIGTERM does).
    /// A reload at `reloadAt` takes SIGHUP's path: the files are read on another thread and
    /// the loop is handed what was read.
    func run(until seconds: Double, reloadAt: Double? = nil) throws {
        var reloadPending = reloadAt
        let files = daemon.reloadFiles
        try daemon.run(shouldStop: { sequencer.seconds >= seconds }, readReload: {
            guard let r = reloadPending, sequencer.seconds >= r else { return nil }
            reloadPending = nil
            return Self.readOnAnotherThread(files)
        })
    }

    static func readOnAnotherThread(_ files: ReloadFiles) -> Result<ReloadFiles.Read, any Error> {
        final class Box: @unchecked Sendable { var read: Result<ReloadFiles.Read, any Error>? }
        let box = Box(), done = DispatchSemaphore(value: 0)
        Thread {
            box.read = files.read()
            done.signal()
        }.start()
        done.wait()
        return box.read!
    }

    /// Turns of the loop until `seconds`, without stopping (after `daemon.start()`).
    func turn(until seconds: Double) throws {
        while sequencer.seconds < seconds { try daemon.turn() }
    }

    /// Note-ons improv scheduled on `channel` from `tick` on (not dropped).
    func noteOns(channel: UInt8, from tick: Int = 0) -> [EmbeddedSequencer.Output] {
        sequencer.scheduled.filter {
            if case .channel(.noteOn(channel, _, let v)) = $0.message { return v > 0 && $0.tick >= tick }
            return false
        }
    }

    func sentAllNotesOff(channel: UInt8, after sequence: Int = -1) -> Bool {
        sequencer.sent.contains { $0.message == .channel(.allNotesOff(channel: channel)) && $0.sequence > sequence }
    }

    /// The tick `seconds` into the session at a steady `bpm`.
    static func tick(_ seconds: Double, bpm: Double = 120) -> Int { Int(seconds * bpm / 60 * 480) }
}
