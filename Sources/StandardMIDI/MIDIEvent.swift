/// One event of a track, as stored in a Standard MIDI File.
///
/// Channel numbers are 0...15, data values 0...127.
///
/// Note-on with velocity 0: the MIDI spec defines it as a note-off, so the
/// reader returns `.noteOff(channel:key:velocity: 0)` for it. Code that reads
/// files then only has one kind of note end to handle. The writer writes
/// `.noteOn` with velocity 0 as it is (status 0x9n, velocity 0), so such an
/// event reads back as `.noteOff(velocity: 0)`; build note ends as `.noteOff`
/// for exact round trips.
///
/// Meta events: tempo (0x51), time signature (0x58), key signature (0x59)
/// and track name (0x03) have their own cases; every other meta type is
/// kept verbatim in `.meta`. A `.meta` value with one of those four types is
/// written as is and so reads back as the dedicated case. End-of-Track (0x2F)
/// is not an event here: the reader ends the track on it and the writer adds
/// it, dropping any `.meta(type: 0x2F, ...)` it is given.
public enum MIDIEvent: Equatable, Hashable, Sendable {
    case noteOff(channel: UInt8, key: UInt8, velocity: UInt8)
    case noteOn(channel: UInt8, key: UInt8, velocity: UInt8)
    case polyPressure(channel: UInt8, key: UInt8, pressure: UInt8)
    case controlChange(channel: UInt8, controller: UInt8, value: UInt8)
    case programChange(channel: UInt8, program: UInt8)
    case channelPressure(channel: UInt8, pressure: UInt8)
    /// 14-bit value, 0...16383; 8192 is the centre (no bend).
    case pitchBend(channel: UInt8, value: UInt16)
    /// Microseconds per quarter note; a file stores 24 bits (at most 0xFFFFFF).
    case tempo(microsecondsPerQuarter: UInt32)
    /// Denominator is 2^denominatorPower (2 = quarter notes, 3 = eighths).
    case timeSignature(numerator: UInt8, denominatorPower: UInt8, clocksPerClick: UInt8, thirtySecondsPerQuarter: UInt8)
    /// Negative = flats, positive = sharps.
    case keySignature(sharps: Int8, minor: Bool)
    /// Meta 0x03. Read as UTF-8 when the bytes are valid UTF-8, else as
    /// Latin-1 (older files); always written as UTF-8.
    case trackName(String)
    /// Any other meta event (text, copyright, lyric, marker, ...), verbatim.
    case meta(type: UInt8, data: [UInt8])
}

extension MIDIEvent {
    /// The channel of a channel message; nil for meta events.
    public var channel: UInt8? {
        switch self {
        case .noteOff(let channel, _, _), .noteOn(let channel, _, _),
             .polyPressure(let channel, _, _), .controlChange(let channel, _, _),
             .programChange(let channel, _), .channelPressure(let channel, _),
             .pitchBend(let channel, _):
            return channel
        case .tempo, .timeSignature, .keySignature, .trackName, .meta:
            return nil
        }
    }

    /// True for channel messages (note, controller, program, pressure, bend).
    public var isChannelMessage: Bool { channel != nil }
}

/// An event at an absolute time in ticks from the start of its track.
public struct MIDITrackEvent: Equatable, Hashable, Sendable {
    public var tick: UInt64
    public var event: MIDIEvent

    public init(tick: UInt64, event: MIDIEvent) {
        self.tick = tick
        self.event = event
    }
}
