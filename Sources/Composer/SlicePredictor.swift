import MusicCore

/// Anything that predicts the next slice from the slices so far: the LSTM and the baselines
/// it is compared with. Evaluation and free-running generation are written once against this.
public protocol SlicePredictor {
    /// A short name for tables ("LSTM", "Markov order 2", ...).
    var name: String { get }
    /// Forgets everything heard (the start of a piece).
    mutating func reset()
    /// Hears the slice at time t; the prediction then concerns slice t+1.
    mutating func observe(_ slice: Slice)
    /// Cross-entropy (nats) of `next` under the current prediction, split as the model's loss
    /// is: the chord units as independent Bernoulli variables, the melody as one choice.
    func crossEntropy(of next: Slice) -> (chord: Double, melody: Double)
    /// Draws the next slice from the current prediction.
    mutating func sampleNext(using rng: inout SeededGenerator) -> Slice
}

extension SlicePredictor {
    /// Feeds `prime`, then plays freely for `count` slices, each sampled slice fed back as the
    /// next input (the paper's composition mode). Returns the prime followed by what was played.
    public mutating func freeRun(prime: [Slice], count: Int, using rng: inout SeededGenerator) -> [Slice] {
        reset()
        var out = prime
        out.reserveCapacity(prime.count + count)
        for s in prime { observe(s) }
        for _ in 0..<count {
            let next = sampleNext(using: &rng)
            out.append(next)
            observe(next)
        }
        return out
    }

    /// Mean cross-entropy per slice of predicting each piece slice by slice (teacher forcing).
    public mutating func crossEntropy(pieces: [[Slice]]) -> (chord: Double, melody: Double) {
        var chord = 0.0, melody = 0.0, n = 0
        for piece in pieces where piece.count > 1 {
            reset()
            for t in 0..<(piece.count - 1) {
                observe(piece[t])
                let ce = crossEntropy(of: piece[t + 1])
                chord += ce.chord
                melody += ce.melody
                n += 1
            }
        }
        return n == 0 ? (0, 0) : (chord / Double(n), melody / Double(n))
    }
}

/// Bernoulli cross-entropy of one unit, with the probability kept away from 0 and 1.
@inline(__always)
func bernoulliCrossEntropy(_ p: Double, on: Bool) -> Double {
    let q = min(max(p, 1e-7), 1 - 1e-7)
    return on ? -log(q) : -log(1 - q)
}

@inline(__always)
func categoricalCrossEntropy(_ p: Double) -> Double { -log(max(p, 1e-12)) }

import Foundation
