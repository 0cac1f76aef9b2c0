@testable import Composer
import MusicCore
import XCTest

final class BaselineAndEvaluationTests: XCTestCase {
    let enc = SliceEncoding.eck

    func testCorpusScoresPerfectlyAgainstItsOwnForm() {
        let piece = EckCorpus.chorus(77) + EckCorpus.chorus(1000)
        let f = Evaluation.musicalFigures(piece, form: .eckBlues, encoding: enc, trainingBars: EckCorpus.trainingBars, fromBar: 0)
        XCTAssertEqual(f.bars, 24)
        XCTAssertEqual(f.chordFormAccuracy, 1)
        XCTAssertEqual(f.inScale, 1)
        XCTAssertEqual(f.novelty, 0, "every bar is a training segment")
    }

    func testWrongChordsOffScaleNotesAndNewBarsAreCounted() {
        var piece = EckCorpus.chorus(0)
        piece[8 * 4 + 3].chord = ChordSymbol(root: 0, .dominant7).voicing(in: enc.chordRange) // bar 5 should be F7
        piece[8 * 6] = Slice(chord: piece[8 * 6].chord, chordOnset: true, melody: .attack(64)) // E4: off the blues scale
        let f = Evaluation.musicalFigures(piece, form: .eckBlues, encoding: enc, trainingBars: EckCorpus.trainingBars, fromBar: 0)
        XCTAssertEqual(f.chordFormAccuracy, 11.0 / 12.0, accuracy: 1e-12)
        XCTAssertEqual(f.inScale, 47.0 / 48.0, accuracy: 1e-12)
        XCTAssertEqual(f.novelty, 1.0 / 12.0, accuracy: 1e-12)
        let fromBar2 = Evaluation.musicalFigures(piece, form: .eckBlues, encoding: enc, trainingBars: EckCorpus.trainingBars, fromBar: 8)
        XCTAssertEqual(fromBar2.bars, 4)
        XCTAssertEqual(fromBar2.chordFormAccuracy, 1)
    }

    func testMarkovChainLearnsWhatFollowsWhat() {
        let pieces = (0..<16).map { EckCorpus.chorus($0 * 200) }
        var markov = MarkovBaseline(order: 2, encoding: enc, pieces: pieces)
        var order0 = MarkovBaseline(order: 0, encoding: enc, pieces: pieces)
        let held = [EckCorpus.chorus(4001)]
        let ce2 = markov.crossEntropy(pieces: held), ce0 = order0.crossEntropy(pieces: held)
        XCTAssertLessThan(ce2.chord + ce2.melody, ce0.chord + ce0.melody, "context helps")
        // A held quarter note always follows its attack in the corpus: the chain knows it.
        markov.reset()
        markov.observe(EckCorpus.chorus(0)[0])
        XCTAssertLessThan(markov.crossEntropy(of: EckCorpus.chorus(0)[1]).melody, 0.1, "uniform would be ln 27 = 3.3")
        var rng = SeededGenerator(seed: 3)
        let played = markov.freeRun(prime: Array(EckCorpus.chorus(0).prefix(8)), count: 96, using: &rng)
        XCTAssertEqual(played.count, 104)
        // Smoothing leaves every choice possible, but what it learned is the scale.
        let pitches = played.compactMap(\.melody.pitch)
        let onScale = pitches.filter { Scale.contains(Scale.bluesPentatonic, pitch: $0, key: .c) }.count
        XCTAssertGreaterThan(Double(onScale) / Double(pitches.count), 0.9)
    }

    func testRandomWalkStaysOnTheScaleAndIsAProperDistribution() {
        var walk = RandomWalkBaseline(encoding: enc, pieces: (0..<8).map(EckCorpus.chorus))
        XCTAssertEqual(walk.ladder, [60, 63, 65, 67, 70, 72])
        XCTAssertEqual(walk.steps.reduce(0, +), 1, accuracy: 1e-9)
        walk.observe(Slice(melody: .attack(65)))
        XCTAssertEqual(walk.melodyDistribution().reduce(0, +), 1, accuracy: 1e-9)
        XCTAssertGreaterThan(walk.holdProbability, 0.4, "quarter notes: struck, then held")
        var rng = SeededGenerator(seed: 9)
        let played = walk.freeRun(prime: [Slice(melody: .attack(60))], count: 500, using: &rng)
        let pitches = played.compactMap(\.melody.pitch)
        XCTAssertGreaterThan(Set(pitches).count, 3, "it walks")
        XCTAssertTrue(pitches.allSatisfy { Scale.contains(Scale.bluesPentatonic, pitch: $0, key: .c) })
    }

    func testTableHasARowPerModel() {
        let r = EvaluationResult(name: "LSTM", chordFormAccuracy: 1, inScale: 0.995, novelty: 0.5,
                                 chordCrossEntropy: 0.1, melodyCrossEntropy: 0.3, generatedBars: 1199)
        let text = Evaluation.table([r, EvaluationResult(name: "Markov order 2", chordFormAccuracy: 0.01, inScale: 1, novelty: 1,
                                                          chordCrossEntropy: 1, melodyCrossEntropy: 0.5, generatedBars: 1199)])
        let row = text.split(separator: "\n").first { $0.hasPrefix("LSTM") }.map(String.init) ?? ""
        XCTAssertEqual(row.dropFirst(18).split(separator: " ").map(String.init),
                       ["100.0%", "99.5%", "50.0%", "0.400", "(0.100", "+", "0.300)"], text)
        XCTAssertTrue(text.contains("Markov order 2"))
    }
}
