/// A Standard MIDI File (format 0 or 1, ticks-per-quarter-note time division).
public struct MIDIFile: Equatable, Hashable, Sendable {
    /// 0 (one track) or 1 (several tracks played together). The writer
    /// writes this value as it is; format 2 files are rejected on read.
    public var format: UInt16
    /// Pulses per quarter note, 1...0x7FFF (the top bit would mean SMPTE).
    public var ticksPerQuarter: UInt16
    public var tracks: [MIDITrack]

    /// Default cap on the number of events one file may hold when read.
    public static let defaultMaxEvents = 10_000_000

    public init(format: UInt16, ticksPerQuarter: UInt16, tracks: [MIDITrack]) {
        self.format = format
        self.ticksPerQuarter = ticksPerQuarter
        self.tracks = tracks
    }

    /// Picks the format from the tracks: 0 for one track, else 1.
    public init(ticksPerQuarter: UInt16, tracks: [MIDITrack]) {
        self.init(format: tracks.count == 1 ? 0 : 1, ticksPerQuarter: ticksPerQuarter, tracks: tracks)
    }

    /// Parses the bytes of a file. `name` (usually the path) appears in errors.
    public init(bytes: [UInt8], name: String) throws(MIDIFileError) {
        try self.init(bytes: bytes, name: name, maxEvents: MIDIFile.defaultMaxEvents)
    }

    /// Parses the bytes of a file, refusing files with more than `maxEvents` events.
    public init(bytes: [UInt8], name: String, maxEvents: Int) throws(MIDIFileError) {
        var reader = MIDIFileReader(bytes: bytes, name: name, maxEvents: maxEvents)
        self = try reader.read()
    }

    /// The bytes of the file. Never fails: values the format cannot hold are
    /// clamped, masked or dropped (see `MIDIFileWriter`); call `validate` first
    /// to be told about them instead.
    public func serialized() -> [UInt8] {
        MIDIFileWriter.serialize(self)
    }

    /// The first tempo event: the one at the lowest tick over all tracks (the
    /// lower track index wins a tie). 500000 (120 BPM) when there is none.
    public var tempoMicrosecondsPerQuarter: UInt32 {
        var first: (tick: UInt64, tempo: UInt32)? = nil
        for track in tracks {
            for trackEvent in track.events {
                guard case .tempo(let tempo) = trackEvent.event else { continue }
                if let current = first, current.tick <= trackEvent.tick {
                    // keep the earlier one
                } else {
                    first = (trackEvent.tick, tempo)
                }
            }
        }
        return first?.tempo ?? 500_000
    }
}
