import XCTest
@testable import LSTMModel

final class NetworkStateTests: XCTestCase {
    func inputs(_ t: Topology, _ i: Int) -> ([Float], [Float]) {
        let seq = randomSequence(t, length: 1, seed: UInt64(i))
        return (seq.chordInputs, seq.melodyInputs)
    }

    func outputs(_ s: NetworkState) -> [Float] {
        Array(s.chordProbabilities) + Array(s.melodyProbabilities) + Array(s.chordHidden) + Array(s.melodyHidden)
    }

    func testResetCopyAndRestore() {
        for kind in CellKind.allCases {
            let t = tinyTopology(kind)
            let net = Network(topology: t, parameters: randomParameters(t, seed: 2))
            let a = net.makeState(), b = net.makeState()
            for i in 0..<5 { let (c, m) = inputs(t, i); net.step(a, chordInput: c, melodyInput: m) }
            XCTAssertNotEqual(a.recurrentState, [Float](repeating: 0, count: a.recurrentCount))
            // copy(from:) then identical futures.
            b.copy(from: a)
            XCTAssertEqual(b.steps, 5)
            var saved = [Float](repeating: 0, count: a.recurrentCount)
            saved.withUnsafeMutableBufferPointer { a.saveRecurrentState(into: $0) }
            var futureA: [[Float]] = []
            for i in 5..<9 {
                let (c, m) = inputs(t, i)
                net.step(a, chordInput: c, melodyInput: m); net.step(b, chordInput: c, melodyInput: m)
                XCTAssertEqual(outputs(a), outputs(b))
                futureA.append(outputs(a))
            }
            // Restoring the saved recurrent state replays the same future.
            saved.withUnsafeBufferPointer { a.loadRecurrentState(from: $0) }
            for i in 5..<9 {
                let (c, m) = inputs(t, i)
                net.step(a, chordInput: c, melodyInput: m)
                XCTAssertEqual(outputs(a), futureA[i - 5], "\(kind) restored step \(i)")
            }
            b.recurrentState = saved
            XCTAssertEqual(b.recurrentState, saved)
            // reset() is the fresh state: same outputs as a new state.
            a.reset()
            XCTAssertEqual(a.steps, 0)
            let fresh = net.makeState()
            let (c, m) = inputs(t, 0)
            net.step(a, chordInput: c, melodyInput: m); net.step(fresh, chordInput: c, melodyInput: m)
            XCTAssertEqual(outputs(a), outputs(fresh))
        }
    }

    func testStepFromStateInputBuffers() {
        let t = tinyTopology(.lstm)
        let net = Network(topology: t, parameters: randomParameters(t, seed: 2))
        let a = net.makeState(), b = net.makeState()
        for i in 0..<4 {
            let (c, m) = inputs(t, i)
            for k in 0..<t.chordInputs { a.chordInput[k] = c[k] }
            for k in 0..<t.melodyInputs { a.melodyInput[k] = m[k] }
            net.step(a)
            net.step(b, chordInput: c, melodyInput: m)
            XCTAssertEqual(outputs(a), outputs(b))
        }
    }

    /// The paper's topology: melody never reaches the chord cells or chord outputs, while
    /// chords do reach the melody.
    func testMelodyNeverReachesChords() {
        for kind in CellKind.allCases {
            let t = tinyTopology(kind)
            let net = Network(topology: t, parameters: randomParameters(t, seed: 6, scale: 1))
            let a = net.makeState(), b = net.makeState(), c2 = net.makeState()
            var melodyDiffers = false
            for i in 0..<10 {
                let (c, m) = inputs(t, i)
                let (cOther, mOther) = inputs(t, 100 + i)
                net.step(a, chordInput: c, melodyInput: m)
                net.step(b, chordInput: c, melodyInput: mOther)      // other melody
                net.step(c2, chordInput: cOther, melodyInput: m)     // other chords
                XCTAssertEqual(Array(a.chordProbabilities), Array(b.chordProbabilities), "\(kind) step \(i)")
                XCTAssertEqual(Array(a.chordHidden), Array(b.chordHidden))
                XCTAssertEqual(Array(a.chordCellState), Array(b.chordCellState))
                if Array(a.melodyProbabilities) != Array(c2.melodyProbabilities) { melodyDiffers = true }
            }
            XCTAssertTrue(melodyDiffers, "\(kind): chords must influence the melody")
        }
    }

    func testProbabilitiesAreDistributions() {
        let t = Topology.default()
        let net = Network(topology: t, seed: 3)
        let s = net.makeState()
        let (c, m) = inputs(t, 1)
        net.step(s, chordInput: c, melodyInput: m)
        XCTAssertEqual(s.melodyProbabilities.reduce(0, +), 1, accuracy: 1e-5)
        XCTAssertTrue(s.chordProbabilities.allSatisfy { $0 > 0 && $0 < 1 })
        XCTAssertEqual(s.melodyProbabilities.count, 27)
        XCTAssertEqual(s.chordProbabilities.count, 13)
    }
}
