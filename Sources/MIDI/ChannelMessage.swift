/// A channel voice message: what the engine plays, FluidSynth sounds and the player sends.
/// Channels are counted from 0 (0-15), data bytes are 0-127; the type does not check them
/// (ALSA's encoder keeps the low bits).
public enum ChannelMessage: Hashable, Sendable {
    case noteOn(channel: UInt8, key: UInt8, velocity: UInt8)
    /// `velocity` is the release velocity: what a player's keyboard sends, 0 from improv.
    case noteOff(channel: UInt8, key: UInt8, velocity: UInt8 = 0)
    case controlChange(channel: UInt8, controller: UInt8, value: UInt8)
    case programChange(channel: UInt8, program: UInt8)
    /// Pitch bend in `pitchBendRange`, 0 = centre (ALSA's signed convention).
    case pitchBend(channel: UInt8, value: Int16)

    /// Controller 123, All Notes Off (a channel mode message: its value is always 0).
    public static let allNotesOffController: UInt8 = 123
    /// Controller 120, All Sound Off (also a channel mode message of value 0).
    public static let allSoundOffController: UInt8 = 120
    /// Pitch bend's 14 bits, centred on 0.
    public static let pitchBendRange: ClosedRange<Int16> = -8192...8191

    /// A bend as the 14 bits a MIDI file and FluidSynth carry: 0-16383, centre 8192. A bend
    /// outside `pitchBendRange` is clamped to it.
    public static func unsignedPitchBend(_ value: Int16) -> UInt16 {
        UInt16(Int(min(max(value, pitchBendRange.lowerBound), pitchBendRange.upperBound)) + 8192)
    }

    /// Every note on the channel off (what panic sends after its note-offs).
    public static func allNotesOff(channel: UInt8) -> ChannelMessage {
        .controlChange(channel: channel, controller: allNotesOffController, value: 0)
    }

    /// Silences the channel at once, releases included.
    public static func allSoundOff(channel: UInt8) -> ChannelMessage {
        .controlChange(channel: channel, controller: allSoundOffController, value: 0)
    }

    /// The channel the message is on.
    public var channel: UInt8 {
        switch self {
        case let .noteOn(c, _, _), let .noteOff(c, _, _), let .controlChange(c, _, _),
             let .programChange(c, _), let .pitchBend(c, _):
            return c
        }
    }
}
