import Engine
import Logging
import MIDI

/// The engine's output on the sequencer's port: every event goes on the queue at its tick, so
/// the kernel keeps time. A failure to queue is logged and counted, never thrown into the engine.
final class SequencerOutput: MIDIOutput {
    let sequencer: LiveSequencer
    let log: Logger
    private(set) var failures = 0

    init(sequencer: LiveSequencer, log: Logger) {
        self.sequencer = sequencer
        self.log = log
    }

    func schedule(_ message: ChannelMessage, atTick tick: Int) { schedule(.channel(message), atTick: tick) }

    func schedule(_ message: MIDIMessage, atTick tick: Int) {
        do { try sequencer.schedule(message, atTick: max(0, tick)) } catch {
            failures += 1
            log.warning("output: \(error)")
        }
    }

    func sendNow(_ message: ChannelMessage) { sendNow(.channel(message)) }

    func sendNow(_ message: MIDIMessage) {
        do { try sequencer.sendNow(message) } catch {
            failures += 1
            log.warning("output: \(error)")
        }
    }

    func dropScheduled() {
        do { try sequencer.dropScheduled() } catch { log.warning("output: \(error)") }
    }
}

/// Hands every engine event to several outputs (the sequencer's port and FluidSynth).
final class FanOutOutput: MIDIOutput {
    let outputs: [MIDIOutput]
    init(_ outputs: [MIDIOutput]) { self.outputs = outputs }
    func schedule(_ message: ChannelMessage, atTick tick: Int) { for o in outputs { o.schedule(message, atTick: tick) } }
    func sendNow(_ message: ChannelMessage) { for o in outputs { o.sendNow(message) } }
    func dropScheduled() { for o in outputs { o.dropScheduled() } }
}
