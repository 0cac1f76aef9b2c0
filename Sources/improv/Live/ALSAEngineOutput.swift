import ALSASequencer
import Engine

/// The engine's output on an ALSA port: every event goes on improv's queue at its tick, so the
/// kernel keeps time. A failure to queue is logged and counted, never thrown into the engine.
final class ALSAEngineOutput: MIDIOutput {
    let sequencer: Sequencer
    let port: Int
    private(set) var failures = 0

    init(sequencer: Sequencer, port: Int) {
        self.sequencer = sequencer
        self.port = port
    }

    static func alsa(_ m: EngineMIDIMessage) -> ALSASequencer.MIDIMessage {
        switch m {
        case .noteOn(let c, let k, let v): return .noteOn(channel: c, key: k, velocity: v)
        case .noteOff(let c, let k): return .noteOff(channel: c, key: k, velocity: 0)
        case .controlChange(let c, 123, _): return .allNotesOff(channel: c)
        case .controlChange(let c, 120, _): return .allSoundOff(channel: c)
        case .controlChange(let c, let cc, let v): return .controlChange(channel: c, controller: cc, value: v)
        case .programChange(let c, let p): return .programChange(channel: c, program: p)
        }
    }

    func schedule(_ message: EngineMIDIMessage, atTick tick: Int) {
        schedule(Self.alsa(message), atTick: tick)
    }

    func schedule(_ message: ALSASequencer.MIDIMessage, atTick tick: Int) {
        do {
            try sequencer.schedule(message, atTick: UInt32(clamping: max(0, tick)), from: port)
        } catch {
            failures += 1
            Log.warning("output: \(error)")
        }
    }

    func sendNow(_ message: EngineMIDIMessage) {
        do {
            try sequencer.sendDirect(Self.alsa(message), from: port)
        } catch {
            failures += 1
            Log.warning("output: \(error)")
        }
    }

    func dropScheduled() {
        do { try sequencer.dropPendingOutput() } catch { Log.warning("output: \(error)") }
    }
}
