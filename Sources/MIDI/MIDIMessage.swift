/// Everything improv sends and receives through a sequencer: a channel message or one of the
/// system real-time messages the daemon's clock sync needs.
///
/// Two levels rather than one flat enum, so that the engine's API (MIDIOutput, Performer, the
/// band) takes a `ChannelMessage` and cannot be handed a clock tick, while the sequencer and
/// the daemon's transport deal in the whole of it.
public enum MIDIMessage: Hashable, Sendable {
    case channel(ChannelMessage)
    /// Timing clock: 24 a quarter note.
    case clock
    case start
    case stop
    case `continue`

    /// The channel of a channel message; nil for the real-time ones.
    public var channel: UInt8? {
        if case let .channel(m) = self { return m.channel }
        return nil
    }
}
