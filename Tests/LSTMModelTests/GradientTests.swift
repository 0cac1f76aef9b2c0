import XCTest
@testable import LSTMModel

/// The Double reference against finite differences, and the fast Float path against the
/// reference, for both cell kinds.
final class GradientTests: XCTestCase {
    /// Central differences on every parameter of the Double reference. With h = 1e-5 the
    /// truncation error is ~h^2 * f''' ≈ 1e-10 and rounding ~1e-16/h ≈ 1e-11, so agreement
    /// to 1e-7 relative (+1e-9 absolute) is a tight check.
    func testReferenceGradientMatchesFiniteDifferences() {
        for kind in CellKind.allCases {
            let t = tinyTopology(kind)
            let seq = randomSequence(t, length: 7, seed: 11)
            let params = randomParameters(t, seed: 3).map(Double.init)
            let analytic = Reference.lossAndGradient(topology: t, parameters: params, sequence: seq).gradient
            var numeric = [Double](repeating: 0, count: params.count)
            let h = 1e-5
            for i in params.indices {
                var p = params
                p[i] += h
                let up = Reference.loss(topology: t, parameters: p, sequence: seq)
                p[i] = params[i] - h
                let down = Reference.loss(topology: t, parameters: p, sequence: seq)
                numeric[i] = (up - down) / (2 * h)
            }
            let (ratio, at) = toleranceRatio(analytic, numeric, atol: 1e-9, rtol: 1e-7)
            XCTAssertLessThanOrEqual(ratio, 1, "\(kind): parameter \(at) analytic \(analytic[max(at, 0)]) numeric \(numeric[max(at, 0)])")
            // Every tensor receives gradient (a dropped path would leave zeros).
            for slot in ParameterLayout(t).tensors {
                let g = analytic[slot.offset..<(slot.offset + slot.count)]
                XCTAssertGreaterThan(g.map(abs).max()!, 1e-6, "\(kind): \(slot.name) has no gradient")
            }
        }
    }

    /// The fast Float forward/backward against the Double reference on the same (Float)
    /// parameters. Float accumulation over 20 steps plus the pure-Swift exp/tanh give
    /// relative errors around 1e-6; the tolerance is 1e-4 relative + 1e-6 absolute for
    /// gradients and 1e-5 relative for losses and probabilities.
    func testFastPathMatchesReference() {
        for kind in CellKind.allCases {
            let t = tinyTopology(kind)
            let seq = randomSequence(t, length: 20, seed: 5)
            let net = Network(topology: t, parameters: randomParameters(t, seed: 9))
            let ref = Reference.lossAndGradient(topology: t, parameters: net.parameters.map(Double.init), sequence: seq)
            let (loss, grad) = net.lossAndGradient(sequence: seq)
            XCTAssertEqual(loss.chord, ref.loss.chord, accuracy: 1e-5 * ref.loss.chord, "\(kind) chord loss")
            XCTAssertEqual(loss.melody, ref.loss.melody, accuracy: 1e-5 * ref.loss.melody, "\(kind) melody loss")
            let (ratio, at) = toleranceRatio(grad.map(Double.init), ref.gradient, atol: 1e-6, rtol: 1e-4)
            XCTAssertLessThanOrEqual(ratio, 1, "\(kind): gradient \(at): fast \(grad[max(at, 0)]) reference \(ref.gradient[max(at, 0)])")
            let probs = net.probabilities(sequence: seq)
            XCTAssertLessThanOrEqual(toleranceRatio(probs.chord.map(Double.init), ref.chordProbs, atol: 1e-6, rtol: 1e-5).ratio, 1)
            XCTAssertLessThanOrEqual(toleranceRatio(probs.melody.map(Double.init), ref.melodyProbs, atol: 1e-6, rtol: 1e-5).ratio, 1)
        }
    }

    /// The real-time `step` gives the same probabilities as the training forward pass.
    func testStepMatchesTeacherForcedForward() {
        for kind in CellKind.allCases {
            let t = tinyTopology(kind)
            let seq = randomSequence(t, length: 12, seed: 8)
            let net = Network(topology: t, parameters: randomParameters(t, seed: 4))
            let forward = net.probabilities(sequence: seq)
            let state = net.makeState()
            for step in 0..<seq.length {
                let xc = Array(seq.chordInputs[(step * t.chordInputs)..<((step + 1) * t.chordInputs)])
                let xm = Array(seq.melodyInputs[(step * t.melodyInputs)..<((step + 1) * t.melodyInputs)])
                net.step(state, chordInput: xc, melodyInput: xm)
                XCTAssertEqual(Array(state.chordProbabilities),
                               Array(forward.chord[(step * t.chordOutputs)..<((step + 1) * t.chordOutputs)]), "\(kind) step \(step)")
                XCTAssertEqual(Array(state.melodyProbabilities),
                               Array(forward.melody[(step * t.melodyClasses)..<((step + 1) * t.melodyClasses)]), "\(kind) step \(step)")
            }
            XCTAssertEqual(state.steps, seq.length)
        }
    }
}
