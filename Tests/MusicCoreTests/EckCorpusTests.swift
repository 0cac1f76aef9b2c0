@testable import MusicCore
import XCTest

final class EckCorpusTests: XCTestCase {
    func testAll4096ChorusesAreUnique() {
        var seen = Set<[Slice]>()
        for n in 0..<EckCorpus.chorusCount { seen.insert(EckCorpus.chorus(n)) }
        XCTAssertEqual(seen.count, 4096)
    }

    func testShapeChordsAndScale() {
        let form = ChordForm.eckBlues
        for n in [0, 5, 1234, 4095] {
            let chorus = EckCorpus.chorus(n)
            XCTAssertEqual(chorus.count, 96)
            for (s, slice) in chorus.enumerated() {
                let bar = s / 8
                XCTAssertEqual(ChordSymbol.identify(slice.chord), form.chord(atBar: bar), "slice \(s)")
                XCTAssertEqual(slice.chordOnset, s % 8 == 0)
                guard let p = slice.melody.pitch else { return XCTFail("no rests in the corpus") }
                XCTAssertTrue(Scale.contains(Scale.bluesPentatonic, pitch: p, key: .c), "slice \(s) pitch \(p)")
                XCTAssertTrue(SliceEncoding.eck.melodyRange.contains(p))
                XCTAssertEqual(slice.melody.isAttack, s % 2 == 0, "quarter notes: struck then held")
            }
        }
    }

    func testSegmentsFitTheirChords() {
        // Each segment's first note (on the downbeat) is a tone of the bar's chord, and the two
        // segments of a bar differ, which is what makes 2^12 choruses unique.
        for (bar, pair) in EckCorpus.segments.enumerated() {
            XCTAssertEqual(pair.count, 2)
            XCTAssertNotEqual(pair[0], pair[1])
            let chord = ChordForm.eckBlues.chord(atBar: bar)
            for segment in pair {
                XCTAssertEqual(segment.count, 4)
                XCTAssertNotEqual(chord.pitchClassMask & (1 << UInt16(segment[0] % 12)), 0, "bar \(bar + 1) starts off its chord")
            }
        }
    }

    func testChoiceIsDeterministicFromTheSeedAndDistinct() {
        let a = EckCorpus.chorusNumbers(count: 100, seed: 42)
        XCTAssertEqual(a, EckCorpus.chorusNumbers(count: 100, seed: 42))
        XCTAssertNotEqual(a, EckCorpus.chorusNumbers(count: 100, seed: 43))
        XCTAssertEqual(Set(a).count, 100)
        XCTAssertEqual(Set(EckCorpus.chorusNumbers(count: 4096, seed: 1)).count, 4096)
        // The generator itself is fixed: these values are SplitMix64's published outputs for seed 0.
        var rng = SeededGenerator(seed: 0)
        XCTAssertEqual(rng.next(), 0xE220_A839_7B1D_CDAF)
        XCTAssertEqual(rng.next(), 0x6E78_9E6A_A1B9_65F4)
    }

    func testTrainingBars() {
        XCTAssertEqual(EckCorpus.trainingBars.count, 24)
    }
}
