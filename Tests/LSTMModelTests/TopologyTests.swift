import Foundation
import XCTest
@testable import LSTMModel

final class TopologyTests: XCTestCase {
    func testDefaultAndLayout() throws {
        let t = Topology.default()
        XCTAssertEqual([t.chordInputs, t.melodyInputs, t.chordOutputs, t.melodyClasses], [13, 15, 13, 27])
        XCTAssertEqual([t.chordBlocks, t.chordCellsPerBlock, t.melodyBlocks, t.melodyCellsPerBlock], [4, 2, 4, 2])
        XCTAssertEqual(t.cellKind, .lstm)
        let l = ParameterLayout(t)
        XCTAssertEqual(l.tensors.map(\.name), ParameterLayout.tensorNames())
        XCTAssertEqual(l.tensors.map(\.shape), [[21, 20], [20], [31, 20], [20], [21, 13], [13], [23, 27], [27]])
        var next = 0
        for s in l.tensors { XCTAssertEqual(s.offset, next); next += s.count }
        XCTAssertEqual(l.count, next)
        XCTAssertEqual(l.count, 2014)
        let rnn = ParameterLayout(.default(cellKind: .tanhRNN))
        XCTAssertEqual(rnn.slot(named: "chord.weight")?.shape, [21, 8])
        XCTAssertEqual(rnn.slot(named: "melody.weight")?.shape, [31, 8])
        // Codable round trip.
        let decoded = try JSONDecoder().decode(Topology.self, from: Data(t.jsonString.utf8))
        XCTAssertEqual(decoded, t)
        var bad = t
        bad.melodyClasses = 1
        XCTAssertNotNil(bad.problem)
        bad = t; bad.chordCellsPerBlock = 0
        XCTAssertEqual(bad.problem, "chordCellsPerBlock is 0, must be at least 1")
    }

    func testInitialisation() {
        var t = Topology.default()
        t.chordBlocks = 5
        let net = Network(topology: t, seed: 9)
        func tensor(_ n: String) -> [Float] { net.tensor(named: n)! }
        let hc = t.chordCells, hm = t.melodyCells
        let cb = tensor("chord.bias"), mb = tensor("melody.bias")
        XCTAssertEqual(Array(cb[0..<hc]), [Float](repeating: 0, count: hc))
        let stagger5: [Float] = [-0.5, -1.0, -1.5, -2.0, -2.5]
        XCTAssertEqual(Array(cb[hc..<(hc + 5)]), stagger5, "input gates")
        XCTAssertEqual(Array(cb[(hc + 5)..<(hc + 10)]), stagger5, "forget gates")
        XCTAssertEqual(Array(cb[(hc + 10)..<(hc + 15)]), stagger5, "output gates")
        XCTAssertEqual(Array(mb[hm...]), [-0.5, -1.0, -1.5, -2.0, -0.5, -1.0, -1.5, -2.0, -0.5, -1.0, -1.5, -2.0])
        XCTAssertEqual(tensor("chord_out.bias"), [Float](repeating: 0, count: 13))
        XCTAssertEqual(tensor("melody_out.bias"), [Float](repeating: 0, count: 27))
        for name in ["chord.weight", "melody.weight", "chord_out.weight", "melody_out.weight"] {
            let w = tensor(name)
            XCTAssertTrue(w.allSatisfy { abs($0) <= 0.1 }, name)
            XCTAssertGreaterThan(w.map(abs).max()!, 0.09, name)
        }
        let paper = Network(topology: .default(), seed: 9, initialization: .paper)
        XCTAssertEqual(paper.tensor(named: "melody_out.bias"), [Float](repeating: 0.5, count: 27))
        let modern = Network(topology: .default(), seed: 9, initialization: Initialization(forgetGateBias: 1))
        XCTAssertEqual(Array(modern.tensor(named: "chord.bias")![12..<16]), [1, 1, 1, 1])
        XCTAssertEqual(Array(modern.tensor(named: "chord.bias")![8..<12]), [-0.5, -1, -1.5, -2])
        // tanhRNN: only unit biases.
        XCTAssertEqual(Network(topology: .default(cellKind: .tanhRNN), seed: 1).tensor(named: "chord.bias"),
                       [Float](repeating: 0, count: 8))
    }

    func testSequenceValidation() {
        let t = tinyTopology(.lstm)
        var s = randomSequence(t, length: 3, seed: 1)
        XCTAssertNil(s.problem(for: t))
        s.melodyTargets[1] = 6
        XCTAssertEqual(s.problem(for: t), "melodyTargets[1] is 6, outside 0..<6")
        s = randomSequence(t, length: 3, seed: 1)
        s.chordInputs.removeLast()
        XCTAssertEqual(s.problem(for: t), "chordInputs has 11 values, expected 3 x 4")
    }
}
