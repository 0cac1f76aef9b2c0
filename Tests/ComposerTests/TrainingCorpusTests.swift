@testable import Composer
import MusicCore
import XCTest

final class TrainingCorpusTests: XCTestCase {
    func testPhrasesAreTunesOfTwoChorusesWithHeldOutTunesOfTheirOwn() {
        let corpus = TrainingCorpus.phrases(choruses: 64, heldOutChoruses: 16, seed: 1)
        XCTAssertEqual(corpus.training.count, 32)
        XCTAssertEqual(corpus.heldOut.count, 8)
        XCTAssertTrue(corpus.training.allSatisfy { $0.count == 2 * TimeGrid.slicesPerChorus })
        XCTAssertTrue(Set(corpus.training).isDisjoint(with: Set(corpus.heldOut)), "held-out pieces are not trained on")
        XCTAssertEqual(corpus.description, "phrases choruses=64 seed=1")
        XCTAssertEqual(corpus.training, TrainingCorpus.phrases(choruses: 64, heldOutChoruses: 16, seed: 1).training, "the same seed, the same corpus")
    }

    func testMixedKeepsOneEckChorusInFour() {
        let corpus = TrainingCorpus.mixed(choruses: 256, heldOutChoruses: 32, seed: 1)
        let eck = Set(TrainingCorpus.eckBlues(choruses: 64, heldOutChoruses: 8, seed: 1).training)
        let eckHeld = Set(TrainingCorpus.eckBlues(choruses: 64, heldOutChoruses: 8, seed: 1).heldOut)
        XCTAssertEqual(corpus.training.count, 128)
        XCTAssertEqual(corpus.training.filter { eck.contains($0) }.count, 32, "64 of 256 choruses are Eck's, two a piece")
        XCTAssertEqual(corpus.heldOut.filter { eckHeld.contains($0) }.count, 4)
        XCTAssertEqual(corpus.heldOut.count, 16)
        XCTAssertTrue(Set(corpus.training).isDisjoint(with: Set(corpus.heldOut)))
        // The Eck pieces are spread through the corpus, not left at its end.
        let firstEck = corpus.training.firstIndex { eck.contains($0) }!
        XCTAssertLessThan(firstEck, 8)
    }
}
