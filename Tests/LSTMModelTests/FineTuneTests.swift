@testable import LSTMModel
import XCTest

final class FineTuneTests: XCTestCase {
    let topology = tinyTopology(.lstm)

    func base() -> Network { Network(topology: topology, parameters: randomParameters(topology, seed: 3)) }

    func sequences(_ n: Int, length: Int = 9) -> [TrainingSequence] {
        (0..<n).map { randomSequence(topology, length: length + $0, seed: 50 + UInt64($0)) }
    }

    /// One plain gradient step (SGD without momentum, no clip) from a point away from the base is
    /// θ − lr·(∇loss + λ(θ − θ_base)), with ∇loss the per-slice gradient the trainer uses.
    func testOneStepFollowsLossPlusPullGradient() {
        let base = base()
        let start = zip(base.parameters, randomParameters(topology, seed: 9, scale: 0.2)).map { $0 + $1 }
        let seq = sequences(1)[0]
        let lr: Float = 0.1, lambda: Float = 0.7
        var p = start
        FineTuner(base: base).fineTune(&p, on: [seq], options: FineTuneOptions(
            steps: 1, learningRate: lr, pull: lambda, clip: nil, optimizer: .sgd(momentum: 0)))
        let lossGradient = Network(topology: topology, parameters: start).lossAndGradient(sequence: seq).gradient
        var worst: Float = 0
        for i in p.indices {
            let expected = start[i] - lr * (lossGradient[i] + lambda * (start[i] - base.parameters[i]))
            worst = max(worst, abs(p[i] - expected))
        }
        XCTAssertLessThan(worst, 1e-5)
        XCTAssertNotEqual(p, start)
    }

    func testLossFallsAndThePullKeepsTheWeightsNearTheBase() {
        let base = base(), data = sequences(2)
        let free = base.fineTuned(on: data, options: FineTuneOptions(steps: 200, learningRate: 0.01, pull: 0)).report
        let pulled = base.fineTuned(on: data, options: FineTuneOptions(steps: 200, learningRate: 0.01, pull: 1)).report
        XCTAssertEqual(free.steps, 200)
        XCTAssertLessThan(free.lossAfter.total, 0.8 * free.lossBefore.total)
        XCTAssertLessThan(pulled.lossAfter.total, pulled.lossBefore.total)
        XCTAssertEqual(free.lossBefore, pulled.lossBefore)
        XCTAssertLessThan(pulled.distanceFromBase, 0.7 * free.distanceFromBase)
        XCTAssertGreaterThan(pulled.lossAfter.total, free.lossAfter.total)
    }

    func testSameSeedSameWeightsAndTheScratchCarriesNothingOver() {
        let base = base(), data = sequences(5)
        let options = FineTuneOptions(steps: 40, learningRate: 0.01, batchSize: 2, seed: 7)
        let tuner = FineTuner(base: base)
        let first = tuner.fineTuned(on: data, options: options).parameters
        _ = tuner.fineTuned(on: sequences(1, length: 30), options: options)  // grows the workspace, moves Adam's moments
        let again = tuner.fineTuned(on: data, options: options).parameters
        let fresh = FineTuner(base: base).fineTuned(on: data, options: options).parameters
        XCTAssertEqual(first, again)
        XCTAssertEqual(first, fresh)
        var other = options
        other.seed = 8  // 5 sequences in batches of 2: the seed picks the batches
        XCTAssertNotEqual(FineTuner(base: base).fineTuned(on: data, options: other).parameters, first)
    }

    func testClippingBoundsEachStep() {
        let base = base(), seq = sequences(1)[0]
        var p = base.parameters
        let report = FineTuner(base: base).fineTune(&p, on: [seq], options: FineTuneOptions(
            steps: 1, learningRate: 1, pull: 0, clip: 0.01, optimizer: .sgd(momentum: 0)))
        let moved = zip(p, base.parameters).reduce(0.0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) }.squareRoot()
        XCTAssertEqual(report.clippedSteps, 1)
        XCTAssertEqual(moved, 0.01, accuracy: 1e-4)
    }

    func testFrozenTensorsStayPut() {
        let base = base()
        let (p, _) = base.fineTuned(on: sequences(2), options: FineTuneOptions(
            steps: 20, learningRate: 0.01, frozenTensors: FineTuneOptions.chordTensors))
        let tuned = Network(topology: topology, parameters: p)
        for slot in base.layout.tensors {
            if FineTuneOptions.chordTensors.contains(slot.name) {
                XCTAssertEqual(tuned.tensor(named: slot.name), base.tensor(named: slot.name), slot.name)
            } else {
                XCTAssertNotEqual(tuned.tensor(named: slot.name), base.tensor(named: slot.name), slot.name)
            }
        }
    }

    func testStopsWhenAsked() {
        let base = base()
        var p = base.parameters
        var asked = 0
        let report = FineTuner(base: base).fineTune(&p, on: sequences(1), options: FineTuneOptions(steps: 100)) {
            asked += 1
            return asked > 5
        }
        XCTAssertEqual(report.steps, 5)
        XCTAssertTrue(report.stopped)
        XCTAssertNotEqual(p, base.parameters)
    }

    func testOptionProblems() {
        XCTAssertNil(FineTuneOptions().problem)
        XCTAssertNotNil(FineTuneOptions(pull: -1).problem)
        XCTAssertNotNil(FineTuneOptions(learningRate: 0).problem)
        XCTAssertNotNil(FineTuneOptions(clip: 0).problem)
        XCTAssertNotNil(FineTuneOptions(batchSize: 0).problem)
    }
}
