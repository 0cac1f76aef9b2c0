import MusicCore

/// The paper's comparison: a random walk on the blues pentatonic scale. Trained on the same
/// corpus: the step sizes (in scale degrees) between struck notes, how often a note is held
/// rather than struck, and how often each chord unit is on. It has no idea of the form.
public struct RandomWalkBaseline: SlicePredictor {
    public let encoding: SliceEncoding
    public let key: Key
    /// The scale's pitches inside the melody range, low to high.
    let ladder: [UInt8]
    /// Probability of each step -span...span in scale degrees.
    var steps: [Double]
    let span: Int
    /// Probability that a sounding note is held in the next slice rather than a new one struck.
    var holdProbability: Double
    var chordMarginals: [Double]
    var last: Slice = .silent

    public var name: String { "Random walk" }

    public init(encoding: SliceEncoding, key: Key = .c, scale: UInt16 = Scale.bluesPentatonic, pieces: [[Slice]]) {
        self.encoding = encoding
        self.key = key
        ladder = encoding.melodyRange.filter { Scale.contains(scale, pitch: $0, key: key) }
        span = ladder.count - 1
        var stepCounts = [Double](repeating: 0.1, count: 2 * span + 1)
        var holds = 1.0, strikes = 1.0
        var chordOn = [Double](repeating: 0, count: encoding.chordInputSize)
        var slices = 0.0
        for piece in pieces {
            var previous: UInt8?
            var sounding = false
            for slice in piece.map(encoding.folded) {
                slices += 1
                for u in MarkovBaseline.chordUnits(slice, encoding) { chordOn[u] += 1 }
                if sounding { if case .hold = slice.melody { holds += 1 } else { strikes += 1 } }
                sounding = slice.melody.pitch != nil
                guard case .attack(let p) = slice.melody, let i = ladder.firstIndex(of: p) else { continue }
                if let prev = previous, let j = ladder.firstIndex(of: prev) { stepCounts[i - j + span] += 1 }
                previous = p
            }
        }
        let total = stepCounts.reduce(0, +)
        steps = stepCounts.map { $0 / total }
        holdProbability = holds / (holds + strikes)
        chordMarginals = chordOn.map { min(max($0 / max(slices, 1), 0.01), 0.99) }
    }

    public mutating func reset() { last = .silent }
    public mutating func observe(_ slice: Slice) { last = encoding.folded(slice) }

    /// Melody distribution over the encoding's classes for the next slice.
    func melodyDistribution() -> [Double] {
        var dist = [Double](repeating: 0, count: encoding.melodyClassCount)
        let current = last.melody.pitch.flatMap { ladder.firstIndex(of: $0) }
        let strike = current == nil ? 1.0 : 1 - holdProbability
        if current != nil, let p = last.melody.pitch { dist[encoding.melodyClass(.hold(p))] += holdProbability }
        let from = current ?? ladder.count / 2
        var mass = 0.0
        for (k, w) in steps.enumerated() where (0..<ladder.count).contains(from + k - span) { mass += w }
        for (k, w) in steps.enumerated() {
            let i = from + k - span
            guard (0..<ladder.count).contains(i) else { continue }
            dist[encoding.melodyClass(.attack(ladder[i]))] += strike * w / mass
        }
        return dist
    }

    public func crossEntropy(of next: Slice) -> (chord: Double, melody: Double) {
        let next = encoding.folded(next)
        let on = Set(MarkovBaseline.chordUnits(next, encoding))
        var chord = 0.0
        for u in 0..<encoding.chordInputSize { chord += bernoulliCrossEntropy(chordMarginals[u], on: on.contains(u)) }
        return (chord, categoricalCrossEntropy(melodyDistribution()[encoding.melodyClass(next.melody)]))
    }

    public mutating func sampleNext(using rng: inout SeededGenerator) -> Slice {
        var slice = Slice()
        for u in 0..<encoding.chordCount where chordMarginals[u] >= 0.5 { slice.chord.insert(encoding.chordLow + UInt8(u)) }
        slice.chordOnset = !slice.chord.isEmpty && chordMarginals[encoding.chordCount] >= 0.5
        let dist = melodyDistribution()
        var x = Double.random(in: 0..<1, using: &rng)
        var klass = dist.lastIndex(where: { $0 > 0 }) ?? encoding.melodyClassCount - 1
        for (k, p) in dist.enumerated() {
            x -= p
            if x < 0 { klass = k; break }
        }
        slice.melody = encoding.melodyEvent(forClass: klass)
        return slice
    }
}
