/// Notes to slices and back.
public enum Quantizer {
    /// Quantizes the chord part and the melody part of a piece into slices.
    ///
    /// Chord notes sound in every slice they cover; the chord counts as struck where any of
    /// its notes starts. The melody is one voice: where notes overlap, the most recently struck
    /// wins (ties: the highest), so a legato line keeps its notes. Pitches are folded into the
    /// encoding's ranges. The result covers `sliceCount` slices, or up to the last note's end.
    public static func slices(chords: [Note], melody: [Note], grid: TimeGrid, encoding: SliceEncoding,
                              sliceCount: Int? = nil) -> [Slice] {
        let spans = { (notes: [Note]) in notes.map { (note: $0, range: grid.quantize(start: $0.start, end: $0.end)) } }
        let chordSpans = spans(chords)
        let melodySpans = spans(melody)
        let needed = max(chordSpans.map(\.range.upperBound).max() ?? 0, melodySpans.map(\.range.upperBound).max() ?? 0)
        let count = sliceCount ?? needed
        var out = [Slice](repeating: .silent, count: count)

        for (note, range) in chordSpans {
            guard let p = encoding.foldChord(note.pitch) else { continue }
            for s in range where s < count {
                out[s].chord.insert(p)
                if s == range.lowerBound { out[s].chordOnset = true }
            }
        }
        // For each slice, the melody note that sounds there: latest start, then highest pitch.
        var owner = [(start: Int, pitch: UInt8)?](repeating: nil, count: count)
        for (note, range) in melodySpans {
            let p = encoding.foldMelody(note.pitch)
            for s in range where s < count {
                if let o = owner[s], (o.start, o.pitch) >= (range.lowerBound, p) { continue }
                owner[s] = (range.lowerBound, p)
            }
        }
        for s in 0..<count {
            guard let o = owner[s] else { continue }
            out[s].melody = o.start == s ? .attack(o.pitch) : .hold(o.pitch)
        }
        return out.canonicalized()
    }

    /// Turns slices back into notes on the grid: a struck chord sounds until the next struck
    /// chord or silence; a melody note from its attack through its holds.
    public static func notes(from slices: [Slice], grid: TimeGrid, chordChannel: UInt8 = 0, melodyChannel: UInt8 = 1,
                             chordVelocity: UInt8 = 80, melodyVelocity: UInt8 = 96,
                             startSlice: Int = 0) -> (chords: [Note], melody: [Note]) {
        let canonical = slices.canonicalized()
        var chords: [Note] = []
        var melody: [Note] = []
        var chordStart = 0
        var chordNotes = PitchSet()
        var melodyNote: (pitch: UInt8, start: Int)?

        func tick(_ s: Int) -> Int { grid.tick(ofSlice: s + startSlice) }
        func endChord(at s: Int) {
            for p in chordNotes {
                chords.append(Note(pitch: p, velocity: chordVelocity, channel: chordChannel,
                                   start: tick(chordStart), duration: tick(s) - tick(chordStart)))
            }
            chordNotes = PitchSet()
        }
        func endMelody(at s: Int) {
            if let m = melodyNote {
                melody.append(Note(pitch: m.pitch, velocity: melodyVelocity, channel: melodyChannel,
                                   start: tick(m.start), duration: tick(s) - tick(m.start)))
            }
            melodyNote = nil
        }

        for (s, slice) in canonical.enumerated() {
            if slice.chordOnset || slice.chord.isEmpty {
                endChord(at: s)
                if slice.chordOnset { chordNotes = slice.chord; chordStart = s }
            }
            switch slice.melody {
            case .rest: endMelody(at: s)
            case .attack(let p): endMelody(at: s); melodyNote = (p, s)
            case .hold: break // canonical: continues the sounding note
            }
        }
        endChord(at: canonical.count)
        endMelody(at: canonical.count)
        return (chords.sorted { ($0.start, $0.pitch) < ($1.start, $1.pitch) }, melody)
    }
}
