import LSTMModel
import MusicCore

/// Slices to the network's training sequences: the input at slice t, the target at slice t+1.
public enum TrainingData {
    /// One training sequence from a piece (at least two slices). Pitches are folded into the
    /// encoding's ranges and the slices canonicalized first.
    public static func sequence(_ piece: [Slice], encoding: SliceEncoding) -> TrainingSequence {
        precondition(piece.count >= 2, "a training piece needs at least two slices")
        let slices = piece.map(encoding.folded).canonicalized()
        let steps = slices.count - 1
        let ic = encoding.chordInputSize, im = encoding.melodyInputSize
        var chordInputs = [Float](repeating: 0, count: steps * ic)
        var melodyInputs = [Float](repeating: 0, count: steps * im)
        var chordTargets = [Float](repeating: 0, count: steps * ic)
        var melodyTargets = [Int32](repeating: 0, count: steps)
        chordInputs.withUnsafeMutableBufferPointer { ci in
            melodyInputs.withUnsafeMutableBufferPointer { mi in
                chordTargets.withUnsafeMutableBufferPointer { ct in
                    for t in 0..<steps {
                        encoding.encodeChord(slices[t], into: UnsafeMutableBufferPointer(rebasing: ci[(t * ic)..<((t + 1) * ic)]))
                        encoding.encodeMelody(slices[t], into: UnsafeMutableBufferPointer(rebasing: mi[(t * im)..<((t + 1) * im)]))
                        encoding.encodeChord(slices[t + 1], into: UnsafeMutableBufferPointer(rebasing: ct[(t * ic)..<((t + 1) * ic)]))
                        melodyTargets[t] = Int32(encoding.melodyClass(slices[t + 1].melody))
                    }
                }
            }
        }
        return TrainingSequence(length: steps, chordInputs: chordInputs, melodyInputs: melodyInputs,
                                chordTargets: chordTargets, melodyTargets: melodyTargets)
    }

    /// The network's topology for an encoding, with the given cell sizes.
    public static func topology(for encoding: SliceEncoding, like base: Topology) -> Topology {
        var t = base
        t.chordInputs = encoding.chordInputSize
        t.chordOutputs = encoding.chordInputSize
        t.melodyInputs = encoding.melodyInputSize
        t.melodyClasses = encoding.melodyClassCount
        return t
    }
}
