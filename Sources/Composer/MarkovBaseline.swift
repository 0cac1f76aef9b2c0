import MusicCore

/// A Markov chain of order k over whole slices (chord and melody together), with backoff to
/// shorter contexts when a context was never seen. A baseline for the LSTM: it knows what
/// follows what, but cannot count bars, so it cannot keep the 12-bar form.
public struct MarkovBaseline: SlicePredictor {
    public let order: Int
    public let encoding: SliceEncoding
    /// Add-alpha smoothing of every count.
    public var alpha = 0.1

    struct Counts {
        var total = 0.0
        var chordOn: [Double]
        var melody: [Double]
    }

    /// tables[k] maps a context of the last k slices to counts of what came next.
    var tables: [[[Slice]: Counts]]
    var history: [Slice] = []

    public var name: String { "Markov order \(order)" }

    public init(order: Int, encoding: SliceEncoding, pieces: [[Slice]]) {
        precondition(order >= 0)
        self.order = order
        self.encoding = encoding
        tables = Array(repeating: [:], count: order + 1)
        let empty = Counts(chordOn: Array(repeating: 0, count: encoding.chordInputSize),
                           melody: Array(repeating: 0, count: encoding.melodyClassCount))
        for piece in pieces {
            let piece = piece.map(encoding.folded)
            for t in piece.indices {
                let units = Self.chordUnits(piece[t], encoding)
                let klass = encoding.melodyClass(piece[t].melody)
                for k in 0...min(order, t) {
                    let context = Array(piece[(t - k)..<t])
                    var c = tables[k][context] ?? empty
                    c.total += 1
                    for u in units { c.chordOn[u] += 1 }
                    c.melody[klass] += 1
                    tables[k][context] = c
                }
            }
        }
    }

    static func chordUnits(_ slice: Slice, _ encoding: SliceEncoding) -> [Int] {
        var units = slice.chord.compactMap { encoding.chordRange.contains($0) ? Int($0 - encoding.chordLow) : nil }
        if slice.chordOnset && !slice.chord.isEmpty { units.append(encoding.chordCount) }
        return units
    }

    /// The counts of the longest seen context.
    var current: Counts {
        for k in stride(from: min(order, history.count), through: 0, by: -1) {
            if let c = tables[k][Array(history.suffix(k))] { return c }
        }
        return Counts(chordOn: Array(repeating: 0, count: encoding.chordInputSize),
                      melody: Array(repeating: 0, count: encoding.melodyClassCount))
    }

    public mutating func reset() { history.removeAll() }

    public mutating func observe(_ slice: Slice) {
        history.append(encoding.folded(slice))
        if history.count > order { history.removeFirst(history.count - order) }
    }

    func chordProbability(_ c: Counts, unit: Int) -> Double { (c.chordOn[unit] + alpha) / (c.total + 2 * alpha) }

    func melodyProbability(_ c: Counts, klass: Int) -> Double {
        (c.melody[klass] + alpha) / (c.total + alpha * Double(encoding.melodyClassCount))
    }

    public func crossEntropy(of next: Slice) -> (chord: Double, melody: Double) {
        let c = current
        let next = encoding.folded(next)
        let on = Set(Self.chordUnits(next, encoding))
        var chord = 0.0
        for u in 0..<encoding.chordInputSize { chord += bernoulliCrossEntropy(chordProbability(c, unit: u), on: on.contains(u)) }
        return (chord, categoricalCrossEntropy(melodyProbability(c, klass: encoding.melodyClass(next.melody))))
    }

    /// Chords by threshold 0.5 and the melody drawn from its distribution, as the LSTM samples.
    public mutating func sampleNext(using rng: inout SeededGenerator) -> Slice {
        let c = current
        var slice = Slice()
        for u in 0..<encoding.chordCount where chordProbability(c, unit: u) >= 0.5 { slice.chord.insert(encoding.chordLow + UInt8(u)) }
        slice.chordOnset = !slice.chord.isEmpty && chordProbability(c, unit: encoding.chordCount) >= 0.5
        var x = Double.random(in: 0..<1, using: &rng)
        var klass = encoding.melodyClassCount - 1
        for k in 0..<encoding.melodyClassCount {
            x -= melodyProbability(c, klass: k)
            if x < 0 { klass = k; break }
        }
        slice.melody = encoding.melodyEvent(forClass: klass)
        return slice
    }
}
