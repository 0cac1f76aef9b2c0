/// Where the engine's music goes: an ALSA port, FluidSynth, or a recorder in tests.
/// `schedule` must not block: it hands the event to something that plays it at its tick.
public protocol MIDIOutput: AnyObject {
    /// Plays `message` at `tick` of the session's clock (ticks at the preset's PPQ).
    func schedule(_ message: ChannelMessage, atTick tick: Int)
    /// Plays at once, ahead of anything scheduled (panic, shutdown).
    func sendNow(_ message: ChannelMessage)
    /// Forgets events scheduled but not yet played (panic).
    func dropScheduled()
}
