@testable import Composer
import Foundation
import LSTMModel
import MusicCore
import StandardMIDI
import XCTest

final class ModelAndTrainingTests: XCTestCase {
    let enc = SliceEncoding.eck

    func testTrainingSequenceTargetsAreTheNextSlice() {
        let chorus = EckCorpus.chorus(5)
        let seq = TrainingData.sequence(chorus, encoding: enc)
        XCTAssertEqual(seq.length, 95)
        XCTAssertNil(seq.problem(for: TrainingData.topology(for: enc, like: .default())))
        for t in [0, 1, 7, 8, 50, 94] {
            let now = enc.encode(chorus[t]), next = enc.encode(chorus[t + 1])
            XCTAssertEqual(Array(seq.chordInputs[(t * 13)..<((t + 1) * 13)]), now.chord)
            XCTAssertEqual(Array(seq.melodyInputs[(t * 15)..<((t + 1) * 15)]), now.melody)
            XCTAssertEqual(Array(seq.chordTargets[(t * 13)..<((t + 1) * 13)]), next.chord)
            XCTAssertEqual(Int(seq.melodyTargets[t]), enc.melodyClass(chorus[t + 1].melody))
        }
    }

    func testPredictorCrossEntropyAgreesWithTheTrainer() {
        let net = Network(topology: TrainingData.topology(for: enc, like: .default()), seed: 4)
        let pieces = [EckCorpus.chorus(1), EckCorpus.chorus(2)]
        var predictor = LSTMPredictor(network: net, encoding: enc) as any SlicePredictor
        let mine = predictor.crossEntropy(pieces: pieces)
        let trainer = Trainer(network: net, seed: 1)
        let theirs = trainer.evaluate(sequences: pieces.map { TrainingData.sequence($0, encoding: enc) })
        XCTAssertEqual(mine.chord, theirs.chord, accuracy: 1e-4)
        XCTAssertEqual(mine.melody, theirs.melody, accuracy: 1e-4)
    }

    func testSameSeedSameMusic() {
        let model = ImprovModel(network: Network(topology: TrainingData.topology(for: enc, like: .default()), seed: 8), encoding: enc)
        func play(_ seed: UInt64) -> [Slice] {
            var p = model.predictor(sampling: SamplingOptions(temperature: 1.3, topK: 7))
            var rng = SeededGenerator(seed: seed)
            return p.freeRun(prime: Array(EckCorpus.chorus(0).prefix(8)), count: 64, using: &rng)
        }
        XCTAssertEqual(play(1), play(1))
        XCTAssertNotEqual(play(1), play(2))
    }

    func testModelFileKeepsEncodingKeyAndTrainingFacts() throws {
        let custom = SliceEncoding(chordLow: 36, chordCount: 24, melodyLow: 60, melodyCount: 25)
        let net = Network(topology: TrainingData.topology(for: custom, like: .default()), seed: 2)
        let model = ImprovModel(network: net, encoding: custom, key: Key("Bb")!, training: ["corpus": "test", "epochs": "3"])
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("improv-model-\(UUID()).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try model.save(path: path)
        let back = try ImprovModel.load(path: path)
        XCTAssertEqual(back.network, net)
        XCTAssertEqual(back.encoding, custom)
        XCTAssertEqual(back.key, Key("Bb"))
        XCTAssertEqual(back.training["corpus"], "test")
        XCTAssertEqual(back.training["epochs"], "3")
    }

    func testAnLSTMFileWithoutImprovMetadataIsRefusedByName() throws {
        let net = Network(topology: TrainingData.topology(for: enc, like: .default()), seed: 2)
        let bytes = try net.modelFileBytes(metadata: [:])
        XCTAssertThrowsError(try ImprovModel.load(bytes: bytes, file: "bare.safetensors")) { error in
            XCTAssertTrue("\(error)".contains("bare.safetensors"), "\(error)")
            XCTAssertTrue("\(error)".contains("slice encoding"), "\(error)")
        }
        XCTAssertThrowsError(try ImprovModel.load(bytes: Array(bytes.prefix(40)), file: "cut.safetensors")) { error in
            XCTAssertTrue("\(error)".contains("cut.safetensors"), "\(error)")
        }
    }

    /// The model that ships inside improv plays the form in every free chorus and stays in the
    /// scale (LearningTarget's figures).
    func testBuiltInModelPlaysTheBluesForm() throws {
        let model = try ImprovModel.builtIn()
        XCTAssertEqual(model.encoding, .eck)
        XCTAssertEqual(model.key, .c)
        XCTAssertNotNil(model.training["corpus"])
        let f = TrainingRun.freeRunFigures(model, choruses: 100, heldOut: EckCorpus.chorus(4095), seed: 12345)
        XCTAssertEqual(f.chordFormAccuracy, 1, "every one of 1199 free-running bars has the form's chord")
        XCTAssertGreaterThan(f.novelty, 0.1, "it improvises, not only replays segments")
        // It has heard major, minor and blue notes (the phrase corpus), not only the pentatonic:
        // over the blues form its notes are the blues scale's, C mixolydian's or the bar's chord's
        // (no Db, no Ab or B where the chord has none).
        XCTAssertGreaterThanOrEqual(Self.onBluesScaleOrChord(model, seed: 12345), 0.9)
    }

    /// Share of free-running struck notes (100 choruses after an Eck bar) on the C blues scale
    /// and C mixolydian (C D Eb E F Gb G A Bb) or a tone of the Eck form's chord in that bar.
    static func onBluesScaleOrChord(_ model: ImprovModel, seed: UInt64) -> Double {
        var p = model.predictor()
        var rng = SeededGenerator(seed: seed)
        let played = p.freeRun(prime: Array(EckCorpus.chorus(0).prefix(8)), count: 100 * 96, using: &rng)
        var on = 0, all = 0
        for (s, slice) in played.enumerated().dropFirst(8) {
            guard case .attack(let pitch) = slice.melody else { continue }
            let mask = Scale.mask([0, 2, 3, 4, 5, 6, 7, 9, 10]) | ChordForm.eckBlues.chord(atBar: s / 8).pitchClassMask
            all += 1
            if mask & (1 << UInt16(pitch % 12)) != 0 { on += 1 }
        }
        return Double(on) / Double(max(1, all))
    }

    func testShortTrainingRunLearnsAndKeepsTheBest() {
        var options = TrainingRun.Options(topology: TrainingData.topology(for: enc, like: .default()))
        options.maxEpochs = 3
        options.batchSize = 4
        options.threads = 1
        let run = TrainingRun(corpus: .eckBlues(choruses: 16, heldOutChoruses: 4, seed: 3), encoding: enc, options: options)
        var seen: [Int] = []
        let outcome = run.run(onEpoch: { record, _ in seen.append(record.epoch) })
        XCTAssertEqual(seen, [1, 2, 3])
        XCTAssertEqual(outcome.records.count, 3)
        XCTAssertLessThan(outcome.records[2].training.total, outcome.records[0].training.total, "the loss falls")
        let bestLoss = outcome.records.map(\.heldOut.total).min()!
        XCTAssertEqual(outcome.records[outcome.bestEpoch - 1].heldOut.total, bestLoss)
        XCTAssertEqual(outcome.best.training["corpus"], "eck-blues choruses=16 seed=3")
        XCTAssertFalse(outcome.interrupted)
    }

    func testStopRequestEndsTrainingAfterTheBatch() {
        var options = TrainingRun.Options(topology: TrainingData.topology(for: enc, like: .default()))
        options.maxEpochs = 50
        options.batchSize = 2
        options.threads = 1
        let run = TrainingRun(corpus: .eckBlues(choruses: 8, heldOutChoruses: 2, seed: 3), encoding: enc, options: options)
        var batches = 0
        let outcome = run.run(shouldStop: { batches >= 3 }, onBatch: { _ in batches += 1 })
        XCTAssertTrue(outcome.interrupted)
        XCTAssertEqual(outcome.records.count, 2, "stopped inside the second epoch")
        XCTAssertEqual(batches, 3)
    }

    func testFolderCorpusHoldsOutAndTransposes() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("improv-corpus-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for n in 0..<10 {
            let score = Score(slices: EckCorpus.chorus(n), key: .c).transposed(by: n % 3) // some in C, C#, D
            try score.midiFile().write(path: dir.appendingPathComponent("p\(n).mid").path)
        }
        let corpus = try TrainingCorpus.directory(dir.path, split: .auto, encoding: enc, allKeys: false)
        XCTAssertEqual(corpus.training.count, 9)
        XCTAssertEqual(corpus.heldOut.count, 1)
        XCTAssertEqual(corpus.training[1], EckCorpus.chorus(1), "moved back into C by its key signature")
        let all = try TrainingCorpus.directory(dir.path, split: .auto, encoding: enc, allKeys: true)
        XCTAssertEqual(all.training.count, 9 * 12)
        XCTAssertThrowsError(try TrainingCorpus.directory("/nonexistent", split: .auto, encoding: enc, allKeys: false)) {
            XCTAssertTrue("\($0)".contains("/nonexistent"))
        }
    }
}
