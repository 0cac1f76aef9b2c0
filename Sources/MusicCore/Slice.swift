/// What sounds in one eighth-note slice: the chord part and the melody part.
///
/// This is the extended localist representation of Eck & Schmidhuber (2002, section 2.2):
/// the chord is a set of pitches (several units on at once) plus a flag for a chord struck
/// in this slice, and the melody is one choice per slice: a note struck here, a note held
/// over from the slice before, or a rest. The "struck" flags are the paper's own proposal
/// ("special units to indicate the beginning of a note", after Todd 1989) so that two
/// quarter notes of one pitch differ from a half note.
public struct Slice: Hashable, Sendable {
    public var chord: PitchSet
    /// True when the chord is (re)struck in this slice.
    public var chordOnset: Bool
    public var melody: MelodyEvent

    public init(chord: PitchSet = PitchSet(), chordOnset: Bool = false, melody: MelodyEvent = .rest) {
        self.chord = chord
        self.chordOnset = chordOnset
        self.melody = melody
    }

    public static let silent = Slice()

    /// The slice moved by `semitones` (pitches that would leave MIDI's range are left out).
    public func transposed(by semitones: Int) -> Slice {
        guard semitones != 0 else { return self }
        func move(_ p: UInt8) -> UInt8? {
            let q = Int(p) + semitones
            return (0...127).contains(q) ? UInt8(q) : nil
        }
        var out = Slice(chordOnset: chordOnset)
        for p in chord { if let q = move(p) { out.chord.insert(q) } }
        if out.chord.isEmpty { out.chordOnset = false }
        switch melody {
        case .rest: break
        case .attack(let p): out.melody = move(p).map { .attack($0) } ?? .rest
        case .hold(let p): out.melody = move(p).map { .hold($0) } ?? .rest
        }
        return out
    }
}

/// The melody's one choice per slice.
public enum MelodyEvent: Hashable, Sendable {
    case rest
    /// A note struck in this slice.
    case attack(UInt8)
    /// A note still sounding from the slice before.
    case hold(UInt8)

    public var pitch: UInt8? {
        switch self {
        case .rest: return nil
        case .attack(let p), .hold(let p): return p
        }
    }

    public var isAttack: Bool {
        if case .attack = self { return true }
        return false
    }
}

extension Array where Element == Slice {
    /// Makes held notes and chords consistent with what precedes them: a melody hold of a
    /// pitch that is not sounding becomes an attack, a chord that appears after silence or
    /// changes its notes is marked struck. A sampled sequence may break these rules; the
    /// decoder and the inputs fed back to the model see the repaired form.
    public func canonicalized() -> [Slice] {
        var out = self
        var previous = Slice.silent
        for i in out.indices {
            if case .hold(let p) = out[i].melody, previous.melody.pitch != p {
                out[i].melody = .attack(p)
            }
            if !out[i].chord.isEmpty, out[i].chord != previous.chord {
                out[i].chordOnset = true
            }
            if out[i].chord.isEmpty { out[i].chordOnset = false }
            previous = out[i]
        }
        return out
    }
}
