/// The MIDI messages improv sends and receives. Channels are 0-15; data bytes 0-127.
public enum MIDIMessage: Hashable, Sendable {
    case noteOn(channel: UInt8, key: UInt8, velocity: UInt8)
    case noteOff(channel: UInt8, key: UInt8, velocity: UInt8)
    case controlChange(channel: UInt8, controller: UInt8, value: UInt8)
    case programChange(channel: UInt8, program: UInt8)
    /// Pitch bend, -8192...8191, 0 = centre (ALSA's signed convention).
    case pitchBend(channel: UInt8, value: Int16)
    /// CC 123 (value 0). Decoding any CC 123 gives this case.
    case allNotesOff(channel: UInt8)
    /// CC 120 (value 0). Decoding any CC 120 gives this case.
    case allSoundOff(channel: UInt8)
    case clock
    case start
    case stop
    case `continue`

    public static let allNotesOffController: UInt8 = 123
    public static let allSoundOffController: UInt8 = 120

    /// The channel of a channel message; nil for the real-time ones.
    public var channel: UInt8? {
        switch self {
        case let .noteOn(c, _, _), let .noteOff(c, _, _), let .controlChange(c, _, _),
             let .programChange(c, _), let .pitchBend(c, _), let .allNotesOff(c), let .allSoundOff(c):
            return c
        case .clock, .start, .stop, .continue:
            return nil
        }
    }
}
