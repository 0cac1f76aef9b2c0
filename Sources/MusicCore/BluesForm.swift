/// A chord form, one chord per bar: the 12-bar blues that improv's corpus and backing band use.
public struct ChordForm: Hashable, Sendable {
    public var bars: [ChordSymbol]

    public init(bars: [ChordSymbol]) {
        precondition(!bars.isEmpty)
        self.bars = bars
    }

    /// The bebop-flavoured 12-bar blues in C of the Eck corpus:
    /// | C7 | F7 | C7 | C7 | F7 | F7 | C7 | C7 | Dm7 | G7 | C7 | G7 |
    /// (the paper's Figure 2 is not in our copy; this keeps its one-chord-per-bar, fixed
    /// sequence with a ii-V in bars 9-10 and a turnaround to V in bar 12).
    public static let eckBlues = ChordForm(bars: [
        .init(root: 0, .dominant7), .init(root: 5, .dominant7), .init(root: 0, .dominant7), .init(root: 0, .dominant7),
        .init(root: 5, .dominant7), .init(root: 5, .dominant7), .init(root: 0, .dominant7), .init(root: 0, .dominant7),
        .init(root: 2, .minor7), .init(root: 7, .dominant7), .init(root: 0, .dominant7), .init(root: 7, .dominant7),
    ])

    public var barCount: Int { bars.count }
    public var sliceCount: Int { bars.count * TimeGrid.slicesPerBar }

    /// The chord of a bar, counting bars from 0 and wrapping round the form.
    public func chord(atBar bar: Int) -> ChordSymbol { bars[((bar % bars.count) + bars.count) % bars.count] }

    public func transposed(by semitones: Int) -> ChordForm { ChordForm(bars: bars.map { $0.transposed(by: semitones) }) }

    /// Which bar of the form a played bar is, from the chord heard there (nil when it fits none).
    public func barsMatching(_ chord: ChordSymbol) -> [Int] {
        bars.indices.filter { bars[$0] == chord }
    }
}
