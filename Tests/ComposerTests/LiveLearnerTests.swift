@testable import Composer
import Foundation
import LSTMModel
import MusicCore
import XCTest

final class LiveLearnerTests: XCTestCase {
    // MARK: The player's lick

    /// A 2-bar lick over the Eck form's first two bars (C7, F7) on the C minor pentatonic, in
    /// eighth notes with rests and an offbeat start of a held note: the Eck corpus has only
    /// quarter notes.
    static func lick(_ enc: SliceEncoding) -> [Slice] {
        let bars: [[MelodyEvent]] = [
            [.attack(72), .attack(70), .attack(67), .attack(70), .rest, .attack(67), .attack(63), .attack(65)],
            [.attack(63), .attack(60), .rest, .attack(63), .attack(65), .hold(65), .attack(67), .rest],
        ]
        var out: [Slice] = []
        for (bar, events) in bars.enumerated() {
            let chord = EckCorpus.form.chord(atBar: bar).voicing(in: enc.chordRange)
            for (i, e) in events.enumerated() { out.append(Slice(chord: chord, chordOnset: i == 0, melody: e)) }
        }
        return out
    }

    /// The built-in model's held-out choruses (it was trained on eck-blues choruses=256 seed=1).
    static let heldOut = TrainingCorpus.eckBlues(choruses: 256, seed: 1).heldOut

    static func crossEntropy(_ model: ImprovModel, _ pieces: [[Slice]]) -> Double {
        var p = model.predictor()
        let ce = p.crossEntropy(pieces: pieces)
        return ce.chord + ce.melody
    }

    /// Three successive struck notes as their two intervals.
    struct Shape: Hashable { var first: Int, second: Int }

    static func shapes(_ slices: some Sequence<Slice>) -> [Shape] {
        let p = slices.compactMap { s -> Int? in if case .attack(let x) = s.melody { return Int(x) } else { return nil } }
        return p.count < 3 ? [] : (0..<(p.count - 2)).map { Shape(first: p[$0 + 1] - p[$0], second: p[$0 + 2] - p[$0 + 1]) }
    }

    /// Free-runs a bar after the lick's first bar, for `seeds` seeds; returns the mean number of
    /// 3-note shapes in what was played (with the prime's last two notes as its start) that are
    /// shapes of the lick.
    static func lickShapesPlayed(_ model: ImprovModel, lick: [Slice], seeds: Int) -> Double {
        let lickShapes = Set(shapes(lick))
        var found = 0
        for seed in 0..<seeds {
            var p = model.predictor()
            var rng = SeededGenerator(seed: 100 + UInt64(seed))
            let played = p.freeRun(prime: Array(lick.prefix(8)), count: 8, using: &rng)
            let primeTail = played[..<8].filter { $0.melody.isAttack }.suffix(2)
            found += shapes(Array(primeTail) + played[8...]).filter(lickShapes.contains).count
        }
        return Double(found) / Double(seeds)
    }

    func learner(_ base: ImprovModel, _ options: LiveLearner.Options = .init(mode: .synchronous)) -> LiveLearner {
        LiveLearner(base: base, options: options)
    }

    // MARK: What it changes

    /// The figures of bench/RESULTS-learning.md: cross-entropy (nats per slice, chord + melody,
    /// teacher-forced) of the lick and of the Eck held-out choruses, after 0, 1, 5 and 10
    /// submissions of the lick, with the default pull and with none.
    func testTheLickIsLearnedWhileThePullKeepsTheStyle() throws {
        // What these learn is checked without a sanitizer; under one they take minutes and the
        // same code (fine-tune, pull, publishing) runs in the shorter learning tests.
        try XCTSkipIf(ProcessInfo.processInfo.environment["IMPROV_SANITIZER"] == "1", "learning quality: checked in test-swift")
        try XCTSkipIf(ProcessInfo.processInfo.environment["IMPROV_CHECK"] == "1", "slow: make test runs it, make check does not")
        let base = try ImprovModel.builtIn()
        let lick = Self.lick(base.encoding)
        var rows: [Int: [Double]] = [0: []]
        var models: [Float: ImprovModel] = [:]
        for pull in [LiveLearner.Options().pull, 0] {
            let l = learner(base, .init(pull: pull, mode: .synchronous))
            rows[0] = [Self.crossEntropy(base, [lick]), Self.crossEntropy(base, Self.heldOut)]
            for n in 1...10 {
                XCTAssertTrue(l.submit(phrase: lick))
                if [1, 5, 10].contains(n) {
                    let m = l.adaptedModel()
                    rows[n, default: []] += [Self.crossEntropy(m, [lick]), Self.crossEntropy(m, Self.heldOut)]
                }
            }
            XCTAssertEqual(l.generation, 10)
            models[pull] = l.adaptedModel()
        }
        let pull = LiveLearner.Options().pull
        print("live-learn figures (cross-entropy per slice; lick = the player's 2-bar lick, held-out = 16 Eck pieces):")
        print(String(format: "submissions  lick (pull %.2f)  held-out (pull %.2f)  lick (pull 0)  held-out (pull 0)", pull, pull))
        for n in [1, 5, 10] {
            let r = rows[n]!
            print(String(format: "%11d  %15.3f  %19.3f  %13.3f  %17.3f", n, r[0], r[1], r[2], r[3]))
        }
        print("       base" + String(format: "  %15.3f  %19.3f", rows[0]![0], rows[0]![1]))

        let (lickBefore, heldBefore) = (rows[0]![0], rows[0]![1])
        let after = rows[10]!
        XCTAssertLessThan(after[0], 0.45 * lickBefore, "the lick should be learned")
        XCTAssertLessThan(after[1] - heldBefore, 1.5, "the pull should bound what the Eck style loses")
        XCTAssertGreaterThan(after[3] - heldBefore, 3 * (after[1] - heldBefore), "without the pull the style should suffer more")

        // The style in the musical sense: the form and the scale survive free-running.
        let adapted = models[pull]!
        let figures = TrainingRun.freeRunFigures(adapted, choruses: 4, heldOut: Self.heldOut[0], seed: 3)
        XCTAssertEqual(figures.chordFormAccuracy, 1)
        XCTAssertGreaterThanOrEqual(ModelAndTrainingTests.onBluesScaleOrChord(adapted, seed: 3), 0.9)
        // By default only the melody adapts: the chord part (the form) is the base's.
        for name in FineTuneOptions.chordTensors {
            XCTAssertEqual(adapted.network.tensor(named: name), base.network.tensor(named: name), name)
        }
        XCTAssertNotEqual(adapted.network.tensor(named: "melody.weight"), base.network.tensor(named: "melody.weight"))
    }

    func testAfterAdaptationFreeRunningPlaysMoreOfTheLick() throws {
        // What these learn is checked without a sanitizer; under one they take minutes and the
        // same code (fine-tune, pull, publishing) runs in the shorter learning tests.
        try XCTSkipIf(ProcessInfo.processInfo.environment["IMPROV_SANITIZER"] == "1", "learning quality: checked in test-swift")
        try XCTSkipIf(ProcessInfo.processInfo.environment["IMPROV_CHECK"] == "1", "slow: make test runs it, make check does not")
        let base = try ImprovModel.builtIn()
        let lick = Self.lick(base.encoding)
        let l = learner(base)
        for _ in 0..<10 { l.submit(phrase: lick) }
        let before = Self.lickShapesPlayed(base, lick: lick, seeds: 20)
        let after = Self.lickShapesPlayed(l.adaptedModel(), lick: lick, seeds: 20)
        print(String(format: "lick shapes in a free-run bar after the lick's first bar (mean of 20 seeds): base %.2f, adapted %.2f", before, after))
        XCTAssertGreaterThan(after, 2 * before)
        XCTAssertGreaterThan(after - before, 0.5)
    }

    // MARK: Background mode

    func waitUntil(_ timeout: Double, _ condition: () -> Bool) -> Bool {
        let end = Date().addingTimeInterval(timeout)
        while Date() < end {
            if condition() { return true }
            usleep(1000)
        }
        return condition()
    }

    func testBackgroundUpdateArrivesAndEqualsTheSynchronousOne() throws {
        try XCTSkipIf(ProcessInfo.processInfo.environment["IMPROV_CHECK"] == "1", "slow: make test runs it, make check does not")
        let base = try ImprovModel.builtIn()
        let lick = Self.lick(base.encoding)
        let l = learner(base, .init(mode: .background))
        defer { l.close() }
        var buffer = [Float](repeating: .nan, count: base.network.layout.count)
        XCTAssertFalse(buffer.withUnsafeMutableBufferPointer { l.takeUpdate(into: $0) }, "nothing published yet")
        XCTAssertTrue(l.submit(phrase: lick))
        XCTAssertTrue(waitUntil(60) { buffer.withUnsafeMutableBufferPointer { l.takeUpdate(into: $0) } })
        XCTAssertEqual(buffer, l.adaptedModel().network.parameters)
        XCTAssertNotEqual(buffer, base.network.parameters)
        XCTAssertFalse(buffer.withUnsafeMutableBufferPointer { l.takeUpdate(into: $0) }, "one update is handed out once")
        XCTAssertEqual(l.generation, 1)

        let sync = learner(base)
        sync.submit(phrase: lick)
        XCTAssertEqual(sync.adaptedModel().network.parameters, buffer, "the worker computes what submit would")
    }

    func testSubmissionsDuringTrainingShareOneFineTune() throws {
        try XCTSkipIf(ProcessInfo.processInfo.environment["IMPROV_CHECK"] == "1", "slow: make test runs it, make check does not")
        let base = try ImprovModel.builtIn()
        let lick = Self.lick(base.encoding)
        let l = learner(base, .init(steps: 2000, mode: .background))
        defer { l.close() }
        l.submit(phrase: lick)
        XCTAssertTrue(waitUntil(60) { l.fineTunesStarted == 1 })
        let call2 = Array(EckCorpus.chorus(7).prefix(16)), call3 = Array(EckCorpus.chorus(9).prefix(16))
        l.submit(phrase: call2)
        l.submit(phrase: call3)
        try XCTSkipIf(l.generation > 0, "the first fine-tune ended before the next submissions (machine too fast for 2000 steps)")
        XCTAssertTrue(waitUntil(120) { !l.isBusy })
        XCTAssertEqual(l.fineTunesStarted, 2, "the third submission superseded the queued second")
        XCTAssertEqual(l.generation, 2)
        XCTAssertEqual(l.phrasesLearned, 3)
    }

    func testCloseWhileTrainingReturnsPromptlyAndPublishesNothing() throws {
        let base = try ImprovModel.builtIn()
        let l = learner(base, .init(steps: 10_000_000, mode: .background))
        l.submit(phrase: Self.lick(base.encoding))
        XCTAssertTrue(waitUntil(60) { l.fineTunesStarted == 1 })
        let start = Date()
        l.close()
        XCTAssertLessThan(Date().timeIntervalSince(start), 2)
        XCTAssertFalse(l.isBusy)
        XCTAssertEqual(l.generation, 0)
        XCTAssertFalse(l.submit(phrase: Self.lick(base.encoding)), "a closed learner takes no phrases")
        l.close()  // idempotent
    }

    func testResetReturnsToTheBaseEvenDuringTraining() throws {
        let base = try ImprovModel.builtIn()
        let lick = Self.lick(base.encoding)
        var buffer = [Float](repeating: 0, count: base.network.layout.count)

        let sync = learner(base)
        sync.submit(phrase: lick)
        sync.reset()
        XCTAssertEqual(sync.generation, 2)
        XCTAssertTrue(buffer.withUnsafeMutableBufferPointer { sync.takeUpdate(into: $0) })
        XCTAssertEqual(buffer, base.network.parameters)
        XCTAssertEqual(sync.adaptedModel().network.parameters, base.network.parameters)
        XCTAssertEqual(sync.phrasesLearned, 0)
        XCTAssertNil(sync.lastReport)

        let background = learner(base, .init(steps: 10_000_000, mode: .background))
        defer { background.close() }
        background.submit(phrase: lick)
        XCTAssertTrue(waitUntil(60) { background.fineTunesStarted == 1 })
        background.reset()
        XCTAssertTrue(waitUntil(10) { !background.isBusy }, "the running fine-tune stops at a reset")
        XCTAssertEqual(background.generation, 1, "only the reset's base weights are published")
        buffer = [Float](repeating: 0, count: base.network.layout.count)
        XCTAssertTrue(buffer.withUnsafeMutableBufferPointer { background.takeUpdate(into: $0) })
        XCTAssertEqual(buffer, base.network.parameters)
    }

    // MARK: takeUpdate on the real-time thread

    func testTakeUpdateDoesNotWaitForABusyLock() throws {
        let base = try ImprovModel.builtIn()
        let l = learner(base)
        l.submit(phrase: Self.lick(base.encoding))
        let holding = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
        let core = l.core
        Thread.detachNewThread {
            core.state.withLock { _ in
                holding.signal()
                release.wait()
            }
        }
        holding.wait()
        var buffer = [Float](repeating: 0, count: base.network.layout.count)
        let start = Date()
        let took = buffer.withUnsafeMutableBufferPointer { l.takeUpdate(into: $0) }
        XCTAssertLessThan(Date().timeIntervalSince(start), 0.5)
        XCTAssertFalse(took, "the lock was busy: no update this slice")
        release.signal()
        XCTAssertTrue(waitUntil(10) { buffer.withUnsafeMutableBufferPointer { l.takeUpdate(into: $0) } }, "and the next slice gets it")
        XCTAssertEqual(buffer, l.adaptedModel().network.parameters)
    }

    /// Many calls at slice boundaries hand out each published update exactly once (a reset
    /// publishes one every 100 calls, so the copying path is counted too). takeUpdate copies
    /// into the caller's buffer under a try-lock and nothing else; that it allocates nothing is
    /// counted by `make test-alloc` (Tests/alloc, "learned weights taken").
    func testTakeUpdateManyCalls() throws {
        let base = try ImprovModel.builtIn()
        let l = learner(base)
        let calls = Int(ProcessInfo.processInfo.environment["IMPROV_TAKE_UPDATE_CALLS"] ?? "") ?? 100_000
        let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: base.network.layout.count)
        defer { buffer.deallocate() }
        buffer.initialize(repeating: 1)
        var taken = 0
        for i in 0..<calls {
            if i % 100 == 0 { l.reset() }  // publishes the base weights
            if l.takeUpdate(into: buffer) { taken += 1 }
        }
        XCTAssertEqual(taken, (calls + 99) / 100)
        XCTAssertEqual(Array(buffer), base.network.parameters)
    }

    // MARK: Phrases

    func testPhrasesWithNothingToLearnAreRefused() throws {
        let base = try ImprovModel.builtIn()
        let l = learner(base)
        XCTAssertFalse(l.submit(phrase: []))
        XCTAssertFalse(l.submit(phrase: Array(Self.lick(base.encoding).prefix(1))))
        XCTAssertFalse(l.submit(phrase: [Slice](repeating: Slice(), count: 16)), "no struck note")
        XCTAssertEqual(l.generation, 0)
        XCTAssertTrue(l.submit(phrase: Self.lick(base.encoding)))
        XCTAssertEqual(l.generation, 1)
        XCTAssertEqual(l.phrasesLearned, 1)
        XCTAssertNotNil(l.lastReport)
    }

    func testTheRingKeepsTheLastPhrasesOnly() throws {
        let base = try ImprovModel.builtIn()
        let l = learner(base, .init(steps: 1, recentPhrases: 3, mode: .synchronous))
        for n in 0..<5 { l.submit(phrase: Array(EckCorpus.chorus(n).prefix(16))) }
        XCTAssertEqual(l.lastReport?.lossBefore.slices, 3 * 15, "three phrases of 16 slices: 45 teacher-forced steps")
        XCTAssertEqual(l.phrasesLearned, 5)
    }

    // MARK: "keep"

    func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("improv-live-\(UUID())-\(name)").path
    }

    func testKeptModelRoundTrip() throws {
        try XCTSkipIf(ProcessInfo.processInfo.environment["IMPROV_CHECK"] == "1", "slow: make test runs it, make check does not")
        let base = try ImprovModel.builtIn()
        let l = learner(base)
        l.submit(phrase: Self.lick(base.encoding))
        l.submit(phrase: Self.lick(base.encoding))
        let path = temporaryPath("kept.safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        XCTAssertNil(LiveLearner.loadKept(path: path, base: base).model)
        XCTAssertNil(LiveLearner.loadKept(path: path, base: base).reason, "no file is not a problem")
        try l.save(to: path)
        let kept = LiveLearner.loadKept(path: path, base: base)
        let model = try XCTUnwrap(kept.model, kept.reason ?? "")
        XCTAssertEqual(model.network, l.adaptedModel().network)
        XCTAssertEqual(model.training[LiveLearner.adaptedFromKey], LiveLearner.fingerprint(base))
        XCTAssertEqual(model.training[LiveLearner.adaptedPhrasesKey], "2")
        XCTAssertEqual(model.training["corpus"], base.training["corpus"])
        XCTAssertNotEqual(LiveLearner.fingerprint(model), LiveLearner.fingerprint(base))

        // The next session continues from it, still pulled toward the base; reset goes to the base.
        let next = LiveLearner(base: base, options: .init(mode: .synchronous), start: model)
        XCTAssertEqual(next.adaptedModel().network, model.network)
        XCTAssertEqual(next.phrasesLearned, 2)
        next.submit(phrase: Self.lick(base.encoding))
        XCTAssertEqual(next.adaptedModel().training[LiveLearner.adaptedPhrasesKey], "3")
        next.reset()
        XCTAssertEqual(next.adaptedModel().network, base.network)
    }

    func testKeptModelOfAnotherSizeIsRefused() throws {
        let base = try ImprovModel.builtIn()
        var topology = base.network.topology
        // Bigger than the built-in model, whatever size that is.
        topology.melodyBlocks = base.network.topology.melodyBlocks * 2
        topology.melodyCellsPerBlock = 4
        let other = ImprovModel(network: Network(topology: topology, seed: 1), encoding: base.encoding)
        let path = temporaryPath("big.safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try other.save(path: path)
        let kept = LiveLearner.loadKept(path: path, base: base)
        XCTAssertNil(kept.model)
        let reason = try XCTUnwrap(kept.reason)
        XCTAssertTrue(reason.contains(path), reason)
        XCTAssertTrue(reason.contains("topology"), reason)
        XCTAssertTrue(reason.contains("\(topology.melodyBlocks)x4 melody"), reason)

        try Data("not a model".utf8).write(to: URL(fileURLWithPath: path))
        let garbage = try XCTUnwrap(LiveLearner.loadKept(path: path, base: base).reason)
        XCTAssertTrue(garbage.contains(path), garbage)
    }
}
