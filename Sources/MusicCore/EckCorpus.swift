/// The training corpus of Eck & Schmidhuber (2002, section 2.3).
///
/// A 12-bar blues in C at 8 slices per bar with one fixed chord sequence
/// (`ChordForm.eckBlues`), and for each bar two bar-long melody segments of quarter notes
/// on the blues pentatonic scale (C Eb F G Bb C), written to fit that bar's chord.
/// Choosing one segment per bar gives 2^12 = 4096 unique choruses; chorus number `n`
/// takes segment `(n >> bar) & 1` in each bar.
public enum EckCorpus {
    public static let chorusCount = 1 << 12
    public static let form = ChordForm.eckBlues
    public static let encoding = SliceEncoding.eck

    /// segments[bar][choice] = four quarter-note pitches (MIDI), C4 = 60 ... C5 = 72.
    /// Chord tones of each bar's chord that lie on the scale are favoured on the beats;
    /// several segments repeat a pitch, so a struck note must be told from a held one.
    public static let segments: [[[UInt8]]] = [
        [[60, 63, 65, 67], [67, 70, 72, 70]], // C7
        [[65, 63, 60, 63], [72, 70, 65, 65]], // F7
        [[67, 67, 70, 67], [60, 67, 63, 60]], // C7
        [[72, 70, 67, 63], [60, 60, 63, 65]], // C7
        [[65, 65, 63, 60], [72, 72, 70, 65]], // F7
        [[63, 65, 70, 72], [60, 63, 65, 63]], // F7
        [[67, 63, 60, 60], [70, 67, 70, 72]], // C7
        [[72, 67, 63, 60], [60, 63, 67, 70]], // C7
        [[65, 72, 70, 65], [60, 65, 60, 72]], // Dm7
        [[67, 65, 67, 70], [65, 67, 70, 67]], // G7
        [[60, 63, 60, 67], [72, 67, 67, 63]], // C7
        [[67, 70, 72, 67], [65, 63, 65, 67]], // G7
    ]

    /// The slices of chorus `number` (0 ..< 4096) in C: chords struck on each bar's first
    /// slice and held through the bar, melody in quarter notes (struck, then held).
    public static func chorus(_ number: Int) -> [Slice] {
        precondition(number >= 0 && number < chorusCount, "chorus number must be in 0..<4096")
        var slices: [Slice] = []
        slices.reserveCapacity(TimeGrid.slicesPerChorus)
        for bar in 0..<TimeGrid.barsPerChorus {
            let chord = form.chord(atBar: bar).voicing(in: encoding.chordRange)
            let melody = segments[bar][(number >> bar) & 1]
            for s in 0..<TimeGrid.slicesPerBar {
                let pitch = melody[s / 2]
                slices.append(Slice(chord: chord, chordOnset: s == 0, melody: s % 2 == 0 ? .attack(pitch) : .hold(pitch)))
            }
        }
        return slices
    }

    /// `count` distinct chorus numbers chosen at random from `seed` (a seeded shuffle of all
    /// 4096, so any count up to 4096 gives unique choruses).
    public static func chorusNumbers(count: Int, seed: UInt64) -> [Int] {
        precondition(count >= 0 && count <= chorusCount, "count must be in 0...4096")
        var rng = SeededGenerator(seed: seed)
        var all = Array(0..<chorusCount)
        // Fisher-Yates with our own generator, so the order is the same on every platform.
        for i in stride(from: all.count - 1, to: 0, by: -1) {
            let j = Int(rng.next() % UInt64(i + 1))
            all.swapAt(i, j)
        }
        return Array(all.prefix(count))
    }

    /// The set of every training melody bar, as 8 melody events, for the novelty measure.
    public static var trainingBars: Set<[MelodyEvent]> {
        var bars = Set<[MelodyEvent]>()
        for bar in segments.indices {
            for segment in segments[bar] {
                bars.insert((0..<8).map { $0 % 2 == 0 ? .attack(segment[$0 / 2]) : .hold(segment[$0 / 2]) })
            }
        }
        return bars
    }
}
