import Foundation
import LSTMModel
import MusicCore
import StandardMIDI
import XCTest
@testable import Composer

/// Training and evaluation on folders of real tunes (corpora/folk, from the Nottingham Music Database).
final class FolderCorpusTests: XCTestCase {
    static let folk = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("corpora/folk")
    let enc = SliceEncoding.eck

    /// A temporary folder holding the first `count` files of each named folk folder.
    func folder(_ parts: [(String, Int)]) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("folk-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        for (sub, count) in parts {
            let src = Self.folk.appendingPathComponent(sub)
            for name in try FileManager.default.contentsOfDirectory(atPath: src.path).filter({ $0.hasSuffix(".mid") }).sorted().prefix(count) {
                try FileManager.default.copyItem(at: src.appendingPathComponent(name), to: dir.appendingPathComponent(name))
            }
        }
        return dir.path
    }

    func testScoreReadsTheFilesMeterAndTempoAndWritesThemBack() throws {
        let path = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: Self.folk.appendingPathComponent("6-8").path).sorted().first)
        let score = Score(midi: try MIDIFile.read(path: Self.folk.appendingPathComponent("6-8/" + path).path))
        XCTAssertEqual(score.meter, .sixEight)
        XCTAssertEqual(score.tempoBPM, 180, accuracy: 0.01)
        XCTAssertEqual(score.grid.ticksPerBar, score.ticksPerQuarter * 3)
        let back = Score(midi: score.midiFile())
        XCTAssertEqual(back.meter, .sixEight)
        XCTAssertEqual(back.tempoBPM, 180, accuracy: 0.01)
        XCTAssertEqual(Score(midi: Score(chords: [], melody: []).midiFile()).meter, .fourFour)
    }

    func testAFolderOfMixedMetersIsRefusedNamingThemAndOneMeterCanBeChosen() throws {
        let dir = try folder([("3-4", 3), ("6-8", 2)])
        XCTAssertThrowsError(try TrainingCorpus.directory(dir, split: .auto, encoding: enc, allKeys: false)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("several meters"), text)
            XCTAssertTrue(text.contains("3/4: 3 files") && text.contains("6/8: 2 files"), text)
            XCTAssertTrue(text.contains("--meter 3/4"), text)
        }
        let waltzes = try TrainingCorpus.directory(dir, split: .auto, encoding: enc, allKeys: false, meter: .threeFour)
        XCTAssertEqual(waltzes.meter, .threeFour)
        XCTAssertEqual(waltzes.training.count + waltzes.heldOut.count, 3)
        XCTAssertEqual(waltzes.harmony?.meter, .threeFour)
        XCTAssertThrowsError(try TrainingCorpus.directory(dir, split: .auto, encoding: enc, allKeys: false, meter: .fourFour))
    }

    func testASplitThatSwapsThePartsWarns() throws {
        let dir = try folder([("4-4", 4)])
        // The folk files have the melody on channel 1 and the chords on channel 2 (0 and 1 here).
        let swapped = try TrainingCorpus.directory(dir, split: .channel(chords: 0, melody: 1), encoding: enc, allKeys: false)
        XCTAssertEqual(swapped.warnings.count, 1, "\(swapped.warnings)")
        XCTAssertTrue(swapped.warnings[0].contains("in 4 of 4 files") && swapped.warnings[0].contains("swapped"), swapped.warnings[0])
        let right = try TrainingCorpus.directory(dir, split: .channel(chords: 1, melody: 0), encoding: enc, allKeys: false)
        XCTAssertEqual(right.warnings, [])
        XCTAssertEqual(try TrainingCorpus.directory(dir, split: .auto, encoding: enc, allKeys: false).warnings, [])
    }

    func testCorpusHarmonyCountsChordsChangesAndCharts() {
        // Two bars of 3/4: C on every beat, then G7 on beat 1 and C on beat 3.
        let c = ChordSymbol(root: 0, .major).voicing(in: enc.chordRange)
        let g7 = ChordSymbol(root: 7, .dominant7).voicing(in: enc.chordRange)
        let piece = [c, c, c, c, c, c, g7, g7, g7, g7, c, c].map { Slice(chord: $0, chordOnset: true, melody: .rest) }
        let h = CorpusHarmony(pieces: [piece], meter: .threeFour)
        XCTAssertEqual(h.vocabulary.map(\.symbol.description), ["C", "G7"])
        XCTAssertEqual(h.vocabulary.map(\.count), [2, 1])
        XCTAssertEqual(h.changesPerBar, 1.0, "two changes in two bars")
        XCTAssertEqual(h.charts, ["3/4 C | G7 C |"])
        XCTAssertEqual(h.forms.first?.meter, .threeFour)
    }

    func testAModelKeepsItsHarmonyAndOldFilesMeanTheEckBlues() throws {
        let harmony = CorpusHarmony(meter: .sixEight, vocabulary: [ChordCount(ChordSymbol(parsing: "C")!, 10), ChordCount(ChordSymbol(parsing: "G7")!, 4)],
                                    changesPerBar: 0.75, charts: ["6/8 C | G7 | C G7 | C |"])
        let net = Network(topology: TrainingData.topology(for: enc, like: .default()), seed: 1)
        let model = ImprovModel(network: net, encoding: enc, harmony: harmony)
        let back = try ImprovModel.load(bytes: try model.bytes(), file: "test")
        XCTAssertEqual(back.harmony, harmony)
        XCTAssertEqual(back.meter, .sixEight)
        XCTAssertEqual(back.forms.map(\.chart), ["6/8 C | G7 | C G7 | C |"])
        let old = try ImprovModel.load(bytes: try ImprovModel(network: net, encoding: enc).bytes(), file: "old")
        XCTAssertNil(old.harmony)
        XCTAssertEqual(old.meter, .fourFour)
        XCTAssertEqual(old.forms, [.eckBlues])
        XCTAssertEqual(Set(old.vocabulary.map(\.symbol)), Set(ChordForm.eckBlues.vocabulary))
        // A broken key is named.
        var metadata = model.metadata
        metadata["meter"] = "7/3"
        XCTAssertThrowsError(try ImprovModel.harmony(metadata, file: "bad.safetensors")) { error in
            XCTAssertTrue("\(error)".contains("\"meter\"") && "\(error)".contains("7/3"), "\(error)")
        }
    }

    func testTheDecoderPlaysOnlyVocabularyChordsAndChangesOnlyOnBeats() {
        let vocabulary = ["C", "F", "G7", "Am"].map { ChordCount(ChordSymbol(parsing: $0)!, 5) }
        let decoder = ChordDecoder(vocabulary: vocabulary, meter: .sixEight, changesPerBar: 1, encoding: enc)
        let voicings = Set(vocabulary.map { $0.symbol.voicing(in: enc.chordRange) })
        var rng = SeededGenerator(seed: 7)
        var probabilities = [Float](repeating: 0, count: enc.chordInputSize)
        var last = PitchSet()
        var changes = 0
        for t in 0..<(6 * 200) {
            // Outputs that are no chord at all: random units.
            for u in probabilities.indices { probabilities[u] = Float.random(in: 0...1, using: &rng) }
            let out = probabilities.withUnsafeBufferPointer { decoder.decode($0, sliceInBar: t % 6, using: &rng) }
            // Silence only before the first chord (a pickup), then vocabulary chords only.
            XCTAssertTrue(voicings.contains(out.chord) || (out.chord.isEmpty && last.isEmpty), "slice \(t): \(out.chord) is not a vocabulary chord")
            if out.chord != last && !last.isEmpty {
                changes += 1
                XCTAssertEqual(t % 3, 0, "a change off the beat at slice \(t)")
            }
            last = out.chord
        }
        XCTAssertEqual(Double(changes) / 200, 1, accuracy: 0.25, "the rate follows the corpus's changes a bar")
    }

    func testTheDecoderFollowsClearOutputs() {
        let vocabulary = ["C", "F", "G7"].map { ChordCount(ChordSymbol(parsing: $0)!, 5) }
        let decoder = ChordDecoder(vocabulary: vocabulary, meter: .fourFour, changesPerBar: 1, encoding: enc)
        var rng = SeededGenerator(seed: 1)
        for symbol in ["C", "G7", "F", "C"] {
            let voicing = ChordSymbol(parsing: symbol)!.voicing(in: enc.chordRange)
            var p = [Float](repeating: 0.01, count: enc.chordInputSize)
            for note in voicing { p[Int(note - enc.chordLow)] = 0.99 }
            let out = p.withUnsafeBufferPointer { decoder.decode($0, sliceInBar: 0, using: &rng) }
            XCTAssertEqual(out.chord, voicing, symbol)
            XCTAssertTrue(out.onset)
        }
    }

    func testTrainingStopsByItselfAndTheModelBeatsMarkovOnHeldOutTunes() throws {
        try XCTSkipIf(ProcessInfo.processInfo.environment["IMPROV_CHECK"] == "1", "slow: make test runs it, make check does not")
        let dir = try folder([("3-4", 20)])
        let corpus = try TrainingCorpus.directory(dir, split: .auto, encoding: enc, allKeys: false)
        var options = TrainingRun.Options(topology: TrainingData.topology(for: enc, like: .default()))
        options.schedule = .constant(0.02)
        options.patience = 4
        options.plateau = 2
        options.maxEpochs = 400
        options.threads = 1
        let outcome = TrainingRun(corpus: corpus, encoding: enc, options: options).run()
        XCTAssertEqual(outcome.stopReason, .noImprovement(epochs: 4), outcome.summary)
        XCTAssertLessThan(outcome.records.count, 400)
        XCTAssertEqual(outcome.records.count, outcome.bestEpoch + 4)
        XCTAssertEqual(outcome.bestLoss, outcome.records.map(\.heldOut.total).min()!)
        XCTAssertFalse(outcome.rateCutAfter.isEmpty, "the rate was cut on a plateau")
        XCTAssertTrue(outcome.summary.contains("kept epoch \(outcome.bestEpoch)"), outcome.summary)
        XCTAssertEqual(outcome.best.meter, .threeFour)
        XCTAssertEqual(outcome.best.form.meter, .threeFour, "the model's form is its corpus's most common chart")
        XCTAssertEqual(outcome.best.form.chart, outcome.best.harmony?.charts.first)
        var lstm = outcome.best.predictor()
        var markov = MarkovBaseline(order: 2, encoding: enc, pieces: corpus.training)
        let a = lstm.crossEntropy(pieces: corpus.heldOut), b = markov.crossEntropy(pieces: corpus.heldOut)
        XCTAssertLessThan(a.chord + a.melody, b.chord + b.melody, "held-out cross-entropy against Markov order 2")
    }

    func testADivergingStepIsUndoneAndTheBestWeightsKept() throws {
        try XCTSkipIf(ProcessInfo.processInfo.environment["IMPROV_CHECK"] == "1", "slow: make test runs it, make check does not")
        let dir = try folder([("3-4", 6)])
        let corpus = try TrainingCorpus.directory(dir, split: .auto, encoding: enc, allKeys: false)
        var options = TrainingRun.Options(topology: TrainingData.topology(for: enc, like: .default()))
        options.schedule = .constant(40)   // far too fast: the loss blows up
        options.clip = nil
        options.optimizer = .sgd(momentum: 0.9)
        options.maxEpochs = 30
        options.patience = 30
        options.threads = 1
        options.divergenceFactor = 1.05
        let outcome = TrainingRun(corpus: corpus, encoding: enc, options: options).run()
        XCTAssertFalse(outcome.restoredAfter.isEmpty, outcome.summary)
        XCTAssertTrue(outcome.summary.contains("restored"), outcome.summary)
        XCTAssertTrue(outcome.bestLoss.isFinite)
        XCTAssertTrue(outcome.best.network.parameters.allSatisfy(\.isFinite))
        let held = outcome.records.first { $0.epoch == outcome.bestEpoch }!.heldOut.total
        XCTAssertEqual(held, outcome.bestLoss)
    }

    func testFolderEvaluationScoresTheHeldOutPieces() throws {
        let dir = try folder([("3-4", 10)])
        let corpus = try TrainingCorpus.directory(dir, split: .auto, encoding: enc, allKeys: false)
        let harmony = try XCTUnwrap(corpus.harmony)
        let bars = Evaluation.melodyBars(corpus.training, meter: corpus.meter, encoding: enc)
        let own = Evaluation.corpusRow(corpus, harmony: harmony, encoding: enc, trainingBars: bars)
        XCTAssertGreaterThan(own.figures.changesPerBar, 0.3)
        XCTAssertGreaterThan(own.figures.inKey, 0.9, "real tunes are in their key")
        var markov = MarkovBaseline(order: 1, encoding: enc, pieces: corpus.training)
        let row = Evaluation.folder(&markov, corpus: corpus, harmony: harmony, encoding: enc, trainingBars: bars, runs: 1, seed: 1)
        XCTAssertEqual(row.name, "Markov order 1")
        XCTAssertNotNil(row.crossEntropy)
        XCTAssertGreaterThan(row.figures.bars, 0)
    }

    /// Free running with the decoder, slice after slice (sampleNext, observe). That it
    /// allocates nothing is counted by `make test-alloc` (Tests/alloc, "chord decoder").
    func testDecodingManySlices() {
        let harmony = CorpusHarmony(meter: .threeFour, vocabulary: ["C", "F", "G7", "Am", "Dm"].map { ChordCount(ChordSymbol(parsing: $0)!, 3) },
                                    changesPerBar: 1, charts: [])
        let model = ImprovModel(network: Network(topology: TrainingData.topology(for: enc, like: .default()), seed: 2),
                                encoding: enc, harmony: harmony)
        let p = model.predictor(decodeChords: true)
        let slices = Int(ProcessInfo.processInfo.environment["IMPROV_DECODE_SLICES"] ?? "") ?? 20_000
        var rng = SeededGenerator(seed: 3)
        p.reset()
        var chords = 0
        for _ in 0..<slices {
            let next = p.sampleNext(using: &rng)
            if !next.chord.isEmpty { chords += 1 }
            p.observe(next)
        }
        XCTAssertGreaterThan(chords, 0)
    }
}
