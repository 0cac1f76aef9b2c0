import XCTest
@testable import LSTMModel

/// Compares with the PyTorch reference (dev/reference.py, run by hand; its output
/// Fixtures/golden.safetensors is committed): same weights and inputs, per-step
/// probabilities, losses and every gradient, for both cell kinds.
final class GoldenTests: XCTestCase {
    struct Golden {
        var topology: Topology
        var network: Network
        var sequence: TrainingSequence
        var loss: [Double]           // total, chord, melody per slice
        var chordProbs: [Double]
        var melodyProbs: [Double]
        var gradient: [Double]       // flat, ParameterLayout order
    }

    func load(_ kind: CellKind) throws -> Golden {
        let st = try SafeTensorsFile(contentsOf: fixturesDirectory.appendingPathComponent("golden.safetensors"))
        let json = try XCTUnwrap(st.metadata["topology.\(kind.rawValue)"])
        let topology = try JSONDecoder().decode(Topology.self, from: Data(json.utf8))
        XCTAssertEqual(topology.cellKind, kind)
        let layout = ParameterLayout(topology)
        var params = [Float](repeating: .nan, count: layout.count)
        var grad = [Double](repeating: .nan, count: layout.count)
        for slot in layout.tensors {
            XCTAssertEqual(st.info("\(kind.rawValue)/param/\(slot.name)")?.shape, slot.shape, slot.name)
            params.replaceSubrange(slot.offset..<(slot.offset + slot.count), with: try st.floats("\(kind.rawValue)/param/\(slot.name)"))
            grad.replaceSubrange(slot.offset..<(slot.offset + slot.count), with: try st.doubles("\(kind.rawValue)/grad/\(slot.name)"))
        }
        let targets = try st.int32s("target/melody")
        let seq = TrainingSequence(length: targets.count, chordInputs: try st.floats("input/chord"),
                                   melodyInputs: try st.floats("input/melody"),
                                   chordTargets: try st.floats("target/chord"), melodyTargets: targets)
        XCTAssertNil(seq.problem(for: topology))
        return Golden(topology: topology, network: Network(topology: topology, parameters: params), sequence: seq,
                      loss: try st.doubles("\(kind.rawValue)/loss"),
                      chordProbs: try st.doubles("\(kind.rawValue)/chord_probs"),
                      melodyProbs: try st.doubles("\(kind.rawValue)/melody_probs"), gradient: grad)
    }

    /// The Double reference agrees with PyTorch's float64 autograd to rounding:
    /// 1e-10 relative (+1e-13 absolute).
    func testReferenceMatchesPyTorch() throws {
        for kind in CellKind.allCases {
            let g = try load(kind)
            let r = Reference.lossAndGradient(topology: g.topology, parameters: g.network.parameters.map(Double.init),
                                              sequence: g.sequence)
            XCTAssertEqual(r.loss.total, g.loss[0], accuracy: 1e-10 * g.loss[0], "\(kind)")
            XCTAssertEqual(r.loss.chord, g.loss[1], accuracy: 1e-10 * g.loss[1], "\(kind)")
            XCTAssertEqual(r.loss.melody, g.loss[2], accuracy: 1e-10 * g.loss[2], "\(kind)")
            XCTAssertLessThanOrEqual(toleranceRatio(r.chordProbs, g.chordProbs, atol: 1e-13, rtol: 1e-10).ratio, 1, "\(kind)")
            XCTAssertLessThanOrEqual(toleranceRatio(r.melodyProbs, g.melodyProbs, atol: 1e-13, rtol: 1e-10).ratio, 1, "\(kind)")
            let (ratio, at) = toleranceRatio(r.gradient, g.gradient, atol: 1e-13, rtol: 1e-10)
            XCTAssertLessThanOrEqual(ratio, 1, "\(kind) gradient \(at)")
        }
    }

    /// The fast Float path agrees with PyTorch within Float accuracy: losses 1e-5 relative,
    /// probabilities 1e-6 absolute, gradients 1e-4 relative + 1e-6 absolute.
    func testFastPathMatchesPyTorch() throws {
        for kind in CellKind.allCases {
            let g = try load(kind)
            let (loss, grad) = g.network.lossAndGradient(sequence: g.sequence)
            XCTAssertEqual(loss.total, g.loss[0], accuracy: 1e-5 * g.loss[0], "\(kind)")
            XCTAssertEqual(loss.chord, g.loss[1], accuracy: 1e-5 * g.loss[1], "\(kind)")
            XCTAssertEqual(loss.melody, g.loss[2], accuracy: 1e-5 * g.loss[2], "\(kind)")
            let probs = g.network.probabilities(sequence: g.sequence)
            XCTAssertLessThanOrEqual(toleranceRatio(probs.chord.map(Double.init), g.chordProbs, atol: 1e-6, rtol: 0).ratio, 1)
            XCTAssertLessThanOrEqual(toleranceRatio(probs.melody.map(Double.init), g.melodyProbs, atol: 1e-6, rtol: 0).ratio, 1)
            let (ratio, at) = toleranceRatio(grad.map(Double.init), g.gradient, atol: 1e-6, rtol: 1e-4)
            XCTAssertLessThanOrEqual(ratio, 1, "\(kind) gradient \(at)")
            // Also through the real-time step.
            let state = g.network.makeState()
            let t = g.topology
            for step in 0..<g.sequence.length {
                g.sequence.chordInputs.withUnsafeBufferPointer { c in
                    g.sequence.melodyInputs.withUnsafeBufferPointer { m in
                        g.network.step(state, chordInput: UnsafeBufferPointer(rebasing: c[(step * t.chordInputs)...]),
                                       melodyInput: UnsafeBufferPointer(rebasing: m[(step * t.melodyInputs)...]))
                    }
                }
                for k in 0..<t.melodyClasses {
                    XCTAssertEqual(Double(state.melodyProbabilities[k]), g.melodyProbs[step * t.melodyClasses + k], accuracy: 1e-6)
                }
                for k in 0..<t.chordOutputs {
                    XCTAssertEqual(Double(state.chordProbabilities[k]), g.chordProbs[step * t.chordOutputs + k], accuracy: 1e-6)
                }
            }
        }
    }
}
