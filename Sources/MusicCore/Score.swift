import StandardMIDI

/// A piece as two parts, chords and melody, with its tempo and key: what improv reads from
/// and writes to Standard MIDI Files.
public struct Score: Hashable, Sendable {
    public var ticksPerQuarter: Int
    public var tempoBPM: Double
    public var key: Key?
    /// The time signature (4/4 when the file gives none).
    public var meter = Meter.fourFour
    public var chords: [Note]
    public var melody: [Note]

    public init(ticksPerQuarter: Int = TimeGrid.defaultTicksPerQuarter, tempoBPM: Double = 120, key: Key? = nil, chords: [Note], melody: [Note]) {
        self.ticksPerQuarter = ticksPerQuarter
        self.tempoBPM = tempoBPM
        self.key = key
        self.chords = chords
        self.melody = melody
    }

    public var grid: TimeGrid { TimeGrid(ticksPerQuarter: ticksPerQuarter, tempoBPM: tempoBPM, meter: meter) }

    /// A score from slices (chords on channel 0, melody on channel 1 unless told otherwise).
    public init(slices: [Slice], grid: TimeGrid = TimeGrid(), key: Key? = nil,
                chordChannel: UInt8 = 0, melodyChannel: UInt8 = 1) {
        let notes = Quantizer.notes(from: slices, grid: grid, chordChannel: chordChannel, melodyChannel: melodyChannel)
        self.init(ticksPerQuarter: grid.ticksPerQuarter, tempoBPM: grid.tempoBPM, key: key,
                  chords: notes.chords, melody: notes.melody)
        meter = grid.meter
    }

    public func slices(encoding: SliceEncoding, sliceCount: Int? = nil) -> [Slice] {
        Quantizer.slices(chords: chords, melody: melody, grid: grid, encoding: encoding, sliceCount: sliceCount)
    }

    /// Every note moved by `semitones` (the key too); notes pushed outside MIDI are dropped.
    public func transposed(by semitones: Int) -> Score {
        func move(_ notes: [Note]) -> [Note] {
            notes.compactMap { n in
                let p = Int(n.pitch) + semitones
                guard (0...127).contains(p) else { return nil }
                var m = n
                m.pitch = UInt8(p)
                return m
            }
        }
        var out = self
        out.chords = move(chords)
        out.melody = move(melody)
        out.key = key.map { Key(tonic: $0.tonic + semitones, minor: $0.minor) }
        return out
    }

    /// Length in ticks, to the end of the last note.
    public var endTick: Int { max(chords.map(\.end).max() ?? 0, melody.map(\.end).max() ?? 0) }
}
