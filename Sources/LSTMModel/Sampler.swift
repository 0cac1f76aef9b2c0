/// How the next slice is chosen from the network's predictions.
public struct SamplingOptions: Sendable, Hashable, Codable {
    public enum ChordMode: Sendable, Hashable, Codable {
        /// A unit is on when its probability is at least the threshold (the paper: 0.5).
        case threshold(Float)
        /// Each unit is drawn on with its probability, independently.
        case bernoulli
    }

    public enum MelodyMode: Sendable, Hashable, Codable {
        /// Draw a class from the (tempered, top-k restricted) distribution (the paper's way).
        case distribution
        /// Take the most probable class (paper 000); ties go to the lowest index.
        case argmax
    }

    public var chord: ChordMode
    public var melody: MelodyMode
    /// Softmax temperature for `.distribution` (paper 004): p_k ∝ exp(logit_k / T). 1 keeps
    /// the network's distribution; above 1 flattens it, below 1 sharpens it. Must be > 0.
    public var temperature: Float
    /// Restrict `.distribution` to the k most probable classes, renormalised (paper 001
    /// uses 7); 0 means all classes. Combines with `temperature`.
    public var topK: Int

    public init(chord: ChordMode = .threshold(0.5), melody: MelodyMode = .distribution,
                temperature: Float = 1, topK: Int = 0) {
        self.chord = chord
        self.melody = melody
        self.temperature = temperature
        self.topK = topK
    }

    /// Eck & Schmidhuber: chord threshold 0.5, melody drawn from the softmax distribution.
    public static let paper = SamplingOptions()
    /// Paper 001's "top 7": chords by threshold, melody drawn from the 7 most likely classes.
    public static let top7 = SamplingOptions(topK: 7)
    /// Paper 000: the most probable class every time.
    public static let greedy = SamplingOptions(melody: .argmax)
}

/// Chooses the next slice from a `NetworkState`'s predictions. No allocation: scratch space
/// lives in the state. Randomness comes from the caller's generator, so a seeded generator
/// gives reproducible output.
public struct Sampler: Sendable, Hashable {
    public var options: SamplingOptions

    public init(_ options: SamplingOptions = .paper) {
        precondition(options.temperature > 0 && options.temperature.isFinite, "temperature must be > 0")
        precondition(options.topK >= 0, "topK must be >= 0")
        if case .threshold(let x) = options.chord { precondition(x.isFinite, "threshold must be finite") }
        self.options = options
    }

    /// Writes the chosen chord units (0 or 1, `chordOutputs` of them) into `chordUnits` and
    /// returns the chosen melody class.
    public func sample(_ state: NetworkState, chordUnits: UnsafeMutableBufferPointer<Float>,
                       using rng: inout some RandomNumberGenerator) -> Int {
        sampleChord(state, into: chordUnits, using: &rng)
        return sampleMelody(state, using: &rng)
    }

    /// Writes the chosen chord units into `units` (at least `chordOutputs` long).
    public func sampleChord(_ state: NetworkState, into units: UnsafeMutableBufferPointer<Float>,
                            using rng: inout some RandomNumberGenerator) {
        let n = state.topology.chordOutputs
        precondition(units.count >= n, "chord buffer too short")
        let p = state.storage + state.chordProbOffset
        switch options.chord {
        case .threshold(let threshold):
            for k in 0..<n { units[k] = p[k] >= threshold ? 1 : 0 }
        case .bernoulli:
            for k in 0..<n { units[k] = unitFloat(&rng) < p[k] ? 1 : 0 }
        }
    }

    /// The chosen melody class in 0..<melodyClasses.
    public func sampleMelody(_ state: NetworkState, using rng: inout some RandomNumberGenerator) -> Int {
        let n = state.topology.melodyClasses
        let probs = state.storage + state.melodyProbOffset
        let logits = state.storage + state.melodyLogitOffset
        if options.melody == .argmax {
            var best = 0
            for k in 1..<n where logits[k] > logits[best] { best = k }
            return best
        }
        let k = options.topK == 0 ? n : min(options.topK, n)
        if k == n && options.temperature == 1 {
            // The paper: draw from the network's own distribution.
            return draw(weights: probs, indices: nil, count: n, total: 1, rng: &rng)
        }
        // Candidates: the k largest logits, best first (ties: lower index first).
        let idx = state.indexScratch
        var filled = 0
        for c in 0..<n {
            let v = logits[c]
            if filled == k && v <= logits[idx[k - 1]] { continue }
            var pos = filled < k ? filled : k - 1
            while pos > 0 && logits[idx[pos - 1]] < v {
                idx[pos] = idx[pos - 1]
                pos -= 1
            }
            idx[pos] = c
            if filled < k { filled += 1 }
        }
        // Tempered weights exp((logit - max) / T) over the candidates.
        let w = state.storage + state.samplerScratchOffset
        let top = logits[idx[0]]
        let invT = 1 / options.temperature
        var total: Float = 0
        for i in 0..<k {
            let e = fastExp((logits[idx[i]] - top) * invT)
            w[i] = e
            total += e
        }
        return draw(weights: w, indices: idx, count: k, total: total, rng: &rng)
    }

    /// Inverse-CDF draw among `count` weights summing to `total`.
    @inline(__always)
    private func draw(weights w: UnsafeMutablePointer<Float>, indices: UnsafeMutablePointer<Int>?,
                      count: Int, total: Float, rng: inout some RandomNumberGenerator) -> Int {
        let u = unitFloat(&rng) * total
        var acc: Float = 0
        var last = 0
        for i in 0..<count where w[i] > 0 {
            acc += w[i]
            last = i
            if u < acc { return indices.map { $0[i] } ?? i }
        }
        // Rounding left u at or above the sum: the last class with weight.
        return indices.map { $0[last] } ?? last
    }
}

/// Uniform in [0, 1) from the top 24 bits of one draw.
@inline(__always)
public func unitFloat(_ rng: inout some RandomNumberGenerator) -> Float {
    Float(rng.next() >> 40) * 0x1p-24
}
