import ArgumentParser
import Composer
import Foundation
import Presets

struct DaemonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "daemon",
        abstract: "Jam live on the ALSA sequencer until Ctrl-C: the player in, improv's answers out.",
        discussion: """
            Opens a sequencer client (the preset's alsa.client_name, "improv" by default) with a \
            writable input port "in" and a readable output port "out", connects the preset's inputs and \
            outputs (client:port or a client name, as aconnect takes them), and plays on a queue at the \
            preset's tempo. Connect a keyboard with `aconnect KEYBOARD improv:0` and a synth with \
            `aconnect improv:1 SYNTH` if the preset does not. Ctrl-C (or SIGTERM) stops with every note off.
            """
    )

    @OptionGroup var session: SessionOptions

    @Option(help: "Seed of the sampling (default: the preset's, else a new one).")
    var seed: UInt64?

    @Option(help: "Stop by itself after this many seconds (for scripts and tests).")
    var seconds: Double?

    @Option(help: "error, warning, notice, info or debug.")
    var logLevel = "info"

    func run() throws {
        guard let level = Log.Level(name: logLevel) else {
            throw ValidationError("--log-level: expected error, warning, notice, info or debug, found \"\(logLevel)\"")
        }
        Log.threshold = level
        let p = try session.loadPreset()
        let m = try session.loadModel(preset: p)
        let stop = StopFlag.catchingSignals()
        let reloads = ReloadRequests.catchingSIGHUP()
        let live = try LiveSession(preset: p, model: m, seed: seed)
        live.presetPath = session.preset
        live.modelPath = session.model
        let deadline = seconds.map { Date().addingTimeInterval($0) }
        try live.run(shouldStop: { stop.isSet || deadline.map { Date() >= $0 } == true }, reloadRequested: reloads.take)
    }
}
