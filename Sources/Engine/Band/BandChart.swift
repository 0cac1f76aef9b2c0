import MusicCore

/// The form as the rhythm section reads it, worked out once: for every slice of the form its
/// chord, whether a chord starts there, and how far it is to the next chord. Lookups wrap round
/// the form and never allocate.
struct BandChart: Sendable {
    let meter: Meter
    let sliceCount: Int
    let slicesPerBar: Int
    let slicesPerBeat: Int
    let barCount: Int
    /// The distinct chords of the form.
    private let tones: [ChordTones]
    /// Per form slice: index into `tones`.
    private let chordAt: [Int]
    /// Per form slice: a chord starts here.
    private let startsAt: [Bool]
    /// Per form slice: slices from here to the next chord start (1 ... sliceCount).
    private let toNextStart: [Int]

    init(_ form: ChordForm) {
        meter = form.meter
        sliceCount = form.sliceCount
        slicesPerBar = form.slicesPerBar
        slicesPerBeat = form.meter.slicesPerBeat
        barCount = form.barCount
        let vocabulary = form.vocabulary
        tones = vocabulary.map(ChordTones.init)
        chordAt = (0..<form.sliceCount).map { s in vocabulary.firstIndex(of: form.chord(atSlice: s))! }
        let starts = (0..<form.sliceCount).map { form.chordStarts(atSlice: $0) }
        startsAt = starts
        toNextStart = (0..<form.sliceCount).map { s in
            var k = 1
            while k < form.sliceCount && !starts[(s + k) % form.sliceCount] { k += 1 }
            return k
        }
    }

    func wrap(_ f: Int) -> Int { ((f % sliceCount) + sliceCount) % sliceCount }

    func chord(at f: Int) -> ChordTones { tones[chordAt[wrap(f)]] }
    func chordStarts(at f: Int) -> Bool { startsAt[wrap(f)] }
    /// Slices from form slice `f` to the next chord start after it.
    func slicesToNextChord(from f: Int) -> Int { toNextStart[wrap(f)] }
    /// The next chord to start after form slice `f`.
    func nextChord(after f: Int) -> ChordTones { chord(at: f + slicesToNextChord(from: f)) }

    /// Position in the bar (0 ..< slicesPerBar).
    func sliceInBar(_ f: Int) -> Int { wrap(f) % slicesPerBar }
    func bar(of f: Int) -> Int { wrap(f) / slicesPerBar }
    func isLastBar(_ f: Int) -> Bool { bar(of: f) == barCount - 1 }
    /// Whether form slice `f` falls on a beat (a dotted quarter in compound meters).
    func isBeat(_ f: Int) -> Bool { sliceInBar(f) % slicesPerBeat == 0 }
}
