/// The chord charts and scales of the phrase corpus (`PhraseCorpus`), all in C.
///
/// Plain arrays of `ChordSymbol`, one or two chords a bar (two: half a bar each), so the corpus
/// does not depend on how the engine's own chord form is shaped.
extension PhraseCorpus {
    /// The mode a tune is in, which decides its scale and its chords.
    public enum Colour: String, CaseIterable, Sendable {
        /// Blues pentatonic over dominant chords, with the blue notes Gb and the Eb-to-E bend.
        case blues
        /// Major, mixolydian over dominant chords.
        case major
        /// Natural minor over minor chords, harmonic minor's B over the V7.
        case minor
        /// Minor with a major sixth (A), over i7 and IV7.
        case dorian

        /// The scale's pitch classes above C.
        public var scale: [Int] {
            switch self {
            case .blues: return [0, 3, 5, 7, 10]
            case .major: return [0, 2, 4, 5, 7, 9, 11]
            case .minor: return [0, 2, 3, 5, 7, 8, 10]
            case .dorian: return [0, 2, 3, 5, 7, 9, 10]
            }
        }

        public var scaleMask: UInt16 { Scale.mask(scale) }

        /// Intervals of the riff moved to the IV chord are kept exactly (semitones) in the blues
        /// and major colours; in minor and dorian the riff moves along the scale, so it stays minor.
        public var movesRiffChromatically: Bool { self == .blues || self == .major }
    }

    /// A 12-bar chart: per bar one chord, or two for the bar's halves.
    public struct Form: Hashable, Sendable {
        public var name: String
        public var colour: Colour
        public var bars: [[ChordSymbol]]

        /// The chord sounding in slice `s` of a chorus (wrapping round the form).
        public func chord(atSlice s: Int) -> ChordSymbol {
            let bar = bars[(s / TimeGrid.slicesPerBar) % bars.count]
            return bar.count > 1 && s % TimeGrid.slicesPerBar >= TimeGrid.slicesPerBar / 2 ? bar[1] : bar[0]
        }

        /// True when bar 5 holds the IV chord, so an AAB chorus can move its riff there.
        public var hasIVInBar5: Bool { bars[4][0].root == 5 }
    }

    static func chord(_ name: String) -> ChordSymbol {
        // Names used in the charts below only: root letter, optional b or #, then the quality.
        let letters: [Character: Int] = ["C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11]
        var rest = Substring(name)
        var root = letters[rest.removeFirst()]!
        if rest.first == "b" { root -= 1; rest.removeFirst() } else if rest.first == "#" { root += 1; rest.removeFirst() }
        return ChordSymbol(root: root, ChordSymbol.Quality(rawValue: String(rest))!)
    }

    static func form(_ name: String, _ colour: Colour, _ chart: String) -> Form {
        let bars = chart.split(separator: "|").map { bar in bar.split(separator: " ").map { chord(String($0)) } }
        precondition(bars.count == TimeGrid.barsPerChorus && bars.allSatisfy { (1...2).contains($0.count) }, "form \(name)")
        return Form(name: name, colour: colour, bars: bars)
    }

    /// The charts. Every chart that starts on C7 is the Eck corpus's own form, so a model that
    /// hears C7 (the engine primes with an Eck chorus) knows the form for certain: the chord
    /// cells never hear the melody, and a chart that left the Eck form after a shared start
    /// would leave them guessing between two chords, which sampled independently make neither.
    /// The other charts start on chords of their own (C, Cm, Cm7 and Cm7 F7 in one bar).
    public static let forms: [Form] = [
        form("blues", .blues, "C7|F7|C7|C7|F7|F7|C7|C7|Dm7|G7|C7|G7"),
        form("mixolydian blues", .major, "C7|F7|C7|C7|F7|F7|C7|C7|Dm7|G7|C7|G7"),
        form("major song", .major, "C|C|F|G7|C|C|F G7|C|F|C|Dm7 G7|C"),
        form("minor blues", .minor, "Cm7|Fm7|Cm7|Cm7|Fm7|Fm7|Cm7|Cm7|Ab7|G7|Cm7|G7"),
        form("minor turnaround", .minor, "Cm|Fm7|Cm|Cm|Fm7|Fm7|Cm|Cm|Dm7b5|G7|Cm Ab7|Dm7b5 G7"),
        form("dorian vamp", .dorian, "Cm7 F7|Cm7 F7|Cm7 F7|Cm7 F7|F7|F7|Cm7 F7|Cm7 F7|Bb|F7|Cm7|Dm7 G7"),
    ]

    public static func forms(of colour: Colour) -> [Form] { forms.filter { $0.colour == colour } }

    /// The pitch classes a melody may use over `chord`: the colour's scale fitted to the chord.
    /// Blues adds the chord's tones to its pentatonic (E over C7, A over F7); the other colours
    /// take each chord tone in place of the scale note a semitone away that plays the same part
    /// in the chord (Bb for B over C7, mixolydian; B for Bb over G7 in minor; C# for C over A7).
    static func chordScale(_ colour: Colour, _ chord: ChordSymbol) -> UInt16 {
        let tones = chord.pitchClassMask
        var mask = colour.scaleMask
        if colour == .blues { return mask | tones }
        // The part an interval above the root plays: root, 2nd, 3rd, 4th, 5th, 6th, 7th.
        let part = [0, 1, 1, 2, 2, 3, 4, 4, 4, 5, 6, 6]
        for pc in 0..<12 where tones & (1 << UInt16(pc)) != 0 && mask & (1 << UInt16(pc)) == 0 {
            let own = part[(pc - chord.root + 12) % 12]
            for neighbour in [(pc + 1) % 12, (pc + 11) % 12]
            where tones & (1 << UInt16(neighbour)) == 0 && part[(neighbour - chord.root + 12) % 12] == own {
                mask &= ~(1 << UInt16(neighbour))
            }
            mask |= 1 << UInt16(pc)
        }
        return mask
    }
}
