/// The MIDI the engine sends and receives, with channels counted from 0.
public enum MIDIMessage: Hashable, Sendable {
    case noteOn(channel: UInt8, key: UInt8, velocity: UInt8)
    case noteOff(channel: UInt8, key: UInt8)
    case controlChange(channel: UInt8, controller: UInt8, value: UInt8)
    case programChange(channel: UInt8, program: UInt8)

    /// Controller 123: every note on the channel off (what panic sends after its note-offs).
    public static func allNotesOff(channel: UInt8) -> MIDIMessage { .controlChange(channel: channel, controller: 123, value: 0) }
    /// Controller 120: silence the channel at once, releases included.
    public static func allSoundOff(channel: UInt8) -> MIDIMessage { .controlChange(channel: channel, controller: 120, value: 0) }
}

/// Where the engine's music goes: an ALSA port, FluidSynth, or a recorder in tests.
/// `schedule` must not block: it hands the event to something that plays it at its tick.
public protocol MIDIOutput: AnyObject {
    /// Plays `message` at `tick` of the session's clock (ticks at the preset's PPQ).
    func schedule(_ message: MIDIMessage, atTick tick: Int)
    /// Plays at once, ahead of anything scheduled (panic, shutdown).
    func sendNow(_ message: MIDIMessage)
    /// Forgets events scheduled but not yet played (panic).
    func dropScheduled()
}
