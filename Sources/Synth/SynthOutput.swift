import MIDI

/// The engine's `MIDIOutput` on FluidSynth's sequencer.
///
/// The sequencer's scale is set to the session's ticks per second (PPQ * bpm / 60), so an
/// engine tick is a sequencer tick: tick T of the session plays at sequencer time
/// `startSequencerTick + (T - sessionStartTick)`, where `startSequencerTick` is the
/// sequencer's clock when this output was made. Ticks already past play at once.
///
/// `schedule` cannot throw (the protocol's choice); a failure to queue is kept in
/// `lastError` and counted in `failures`.
public final class SynthOutput: MIDIOutput {
    public let sequencer: SynthSequencer
    public let sessionStartTick: Int
    public let startSequencerTick: UInt32
    public private(set) var lastError: SynthError?
    public private(set) var failures = 0

    /// - Parameters:
    ///   - ticksPerSecond: the session's clock, e.g. 480 * bpm / 60 for PPQ 480.
    ///   - sessionStartTick: the engine tick that plays "now".
    public init(sequencer: SynthSequencer, ticksPerSecond: Double, sessionStartTick: Int = 0) throws(SynthError) {
        try sequencer.setTicksPerSecond(ticksPerSecond)
        self.sequencer = sequencer
        self.sessionStartTick = sessionStartTick
        self.startSequencerTick = sequencer.now
    }

    /// Ticks per second for `ppq` pulses per quarter note at `bpm` quarters a minute.
    public static func ticksPerSecond(ppq: Int, bpm: Double) -> Double { Double(ppq) * bpm / 60 }

    /// The sequencer time of a session tick (clamped to the sequencer's range). A time already
    /// past plays at the next block: FluidSynth dispatches everything due by then. (This does not
    /// read the sequencer's clock: while an audio driver renders, that read would race with a
    /// tempo change made on the audio thread.)
    public func sequencerTick(forSessionTick tick: Int) -> UInt32 {
        let offset = Int64(tick) - Int64(sessionStartTick)
        return UInt32(clamping: Int64(startSequencerTick) + offset)
    }

    public func schedule(_ message: ChannelMessage, atTick tick: Int) {
        do {
            try sequencer.send(message, atTick: sequencerTick(forSessionTick: tick))
        } catch {
            lastError = error
            failures += 1
        }
    }

    public func sendNow(_ message: ChannelMessage) {
        sequencer.sendNow(message)
    }

    public func dropScheduled() {
        sequencer.removePending()
    }
}
