import SeededRandom
import XCTest
@testable import LSTMModel

final class SamplerTests: XCTestCase {
    let topology = Topology(chordInputs: 3, melodyInputs: 2, chordOutputs: 4, melodyClasses: 8,
                            chordBlocks: 1, chordCellsPerBlock: 1, melodyBlocks: 1, melodyCellsPerBlock: 1)

    /// A state whose last step produced these predictions.
    func state(chord: [Float], logits: [Float]) -> NetworkState {
        let s = NetworkState(topology: topology)
        for (k, p) in chord.enumerated() { s.storage[s.chordProbOffset + k] = p }
        for (k, a) in logits.enumerated() { s.storage[s.melodyLogitOffset + k] = a }
        Kernels.softmax(s.storage + s.melodyLogitOffset, s.storage + s.melodyProbOffset, count: logits.count)
        return s
    }

    let logits: [Float] = [0.3, 2.0, -1.0, 1.2, 0.0, 2.0, -3.0, 0.9]

    func frequencies(_ sampler: Sampler, _ s: NetworkState, draws: Int, seed: UInt64) -> [Double] {
        var rng = SeededGenerator(seed: seed)
        var counts = [Double](repeating: 0, count: topology.melodyClasses)
        for _ in 0..<draws { counts[sampler.sampleMelody(s, using: &rng)] += 1 }
        return counts.map { $0 / Double(draws) }
    }

    func expected(temperature: Double, topK: Int) -> [Double] {
        let order = logits.indices.sorted { logits[$0] > logits[$1] || (logits[$0] == logits[$1] && $0 < $1) }
        let keep = Set(order.prefix(topK == 0 ? logits.count : topK))
        let w = logits.indices.map { keep.contains($0) ? exp(Double(logits[$0]) / temperature) : 0 }
        let s = w.reduce(0, +)
        return w.map { $0 / s }
    }

    /// Each frequency within 5 standard errors of its probability (and zero stays zero).
    func assertMatches(_ f: [Double], _ p: [Double], draws: Int, _ label: String) {
        for k in p.indices {
            if p[k] == 0 { XCTAssertEqual(f[k], 0, "\(label) class \(k) must never be drawn"); continue }
            let se = (p[k] * (1 - p[k]) / Double(draws)).squareRoot()
            XCTAssertEqual(f[k], p[k], accuracy: 5 * se + 1e-9, "\(label) class \(k)")
        }
    }

    func testChordThresholdAndBernoulli() {
        let s = state(chord: [0.2, 0.5, 0.7, 0.99], logits: logits)
        var rng = SeededGenerator(seed: 1)
        var units = [Float](repeating: -1, count: 4)
        units.withUnsafeMutableBufferPointer { Sampler(.paper).sampleChord(s, into: $0, using: &rng) }
        XCTAssertEqual(units, [0, 1, 1, 1])
        units.withUnsafeMutableBufferPointer { Sampler(SamplingOptions(chord: .threshold(0.8))).sampleChord(s, into: $0, using: &rng) }
        XCTAssertEqual(units, [0, 0, 0, 1])
        let n = 40_000
        var on = [Double](repeating: 0, count: 4)
        let bern = Sampler(SamplingOptions(chord: .bernoulli))
        for _ in 0..<n {
            units.withUnsafeMutableBufferPointer { bern.sampleChord(s, into: $0, using: &rng) }
            for k in 0..<4 { XCTAssertTrue(units[k] == 0 || units[k] == 1); on[k] += Double(units[k]) }
        }
        assertMatches(on.map { $0 / Double(n) }, [0.2, 0.5, 0.7, 0.99], draws: n, "bernoulli")
    }

    func testArgmax() {
        var rng = SeededGenerator(seed: 1)
        let s = state(chord: [0, 0, 0, 0], logits: logits)
        // Classes 1 and 5 tie at 2.0: the lower index wins.
        XCTAssertEqual(Sampler(.greedy).sampleMelody(s, using: &rng), 1)
        let s2 = state(chord: [0, 0, 0, 0], logits: [0, 0, 0, 0, 0, 0, 5, 0])
        XCTAssertEqual(Sampler(.greedy).sampleMelody(s2, using: &rng), 6)
    }

    func testDistributionTemperatureAndTopK() {
        let s = state(chord: [0, 0, 0, 0], logits: logits)
        let n = 60_000
        for (temperature, topK) in [(1.0, 0), (0.5, 0), (2.5, 0), (1.0, 7), (1.0, 3), (0.7, 3), (1.0, 1), (1.0, 100)] {
            let sampler = Sampler(SamplingOptions(temperature: Float(temperature), topK: topK))
            let f = frequencies(sampler, s, draws: n, seed: UInt64(topK * 10) + UInt64(temperature * 100))
            assertMatches(f, expected(temperature: temperature, topK: topK), draws: n, "T=\(temperature) k=\(topK)")
        }
        // top-3 keeps the tie (1, 5) and class 3.
        let f = frequencies(Sampler(SamplingOptions(topK: 3)), s, draws: 2000, seed: 3)
        XCTAssertEqual(Set(f.indices.filter { f[$0] > 0 }), [1, 3, 5])
        XCTAssertEqual(Sampler(.top7).options.topK, 7)
    }

    func testSeededDrawsRepeat() {
        let s = state(chord: [0.5, 0.5, 0.5, 0.5], logits: logits)
        func run(_ seed: UInt64) -> [Int] {
            var rng = SeededGenerator(seed: seed)
            var units = [Float](repeating: 0, count: 4)
            let sampler = Sampler(SamplingOptions(chord: .bernoulli, temperature: 1.3, topK: 5))
            return (0..<200).map { _ in
                units.withUnsafeMutableBufferPointer { sampler.sample(s, chordUnits: $0, using: &rng) } * 16
                    + units.enumerated().reduce(0) { $0 | (Int($1.element) << $1.offset) }
            }
        }
        XCTAssertEqual(run(9), run(9))
        XCTAssertNotEqual(run(9), run(10))
    }
}
