@testable import MusicCore
import XCTest

final class KeyAndChordTests: XCTestCase {
    func testParsingKeys() {
        XCTAssertEqual(Key("C"), Key(tonic: 0))
        XCTAssertEqual(Key("Bb"), Key(tonic: 10))
        XCTAssertEqual(Key("B♭"), Key(tonic: 10))
        XCTAssertEqual(Key("f#"), Key(tonic: 6))
        XCTAssertEqual(Key("Am"), Key(tonic: 9, minor: true))
        XCTAssertEqual(Key("Eb major"), Key(tonic: 3))
        XCTAssertEqual(Key("C minor"), Key(tonic: 0, minor: true))
        XCTAssertNil(Key("H"))
        XCTAssertNil(Key(""))
        XCTAssertNil(Key("C##x"))
    }

    func testTranspositionTakesTheNearerWay() {
        XCTAssertEqual(Key("G")!.offsetFromC, -5)
        XCTAssertEqual(Key("F")!.offsetFromC, 5)
        XCTAssertEqual(Key("F#")!.offsetFromC, 6)
        XCTAssertEqual(Key("B")!.offsetFromC, -1)
    }

    func testKeySignatureRoundTripForAll24Keys() {
        for tonic in 0..<12 {
            for minor in [false, true] {
                let key = Key(tonic: tonic, minor: minor)
                XCTAssertEqual(Key(signatureSharps: key.signatureSharps, minor: minor), key)
                XCTAssertLessThanOrEqual(abs(key.signatureSharps), 6)
            }
        }
        XCTAssertEqual(Key("F")!.signatureSharps, -1)
        XCTAssertEqual(Key("A")!.signatureSharps, 3)
        XCTAssertEqual(Key("Cm")!.signatureSharps, -3)
    }

    func testChordVoicingsFitTheRangeAndAreNamed() {
        let range = SliceEncoding.eck.chordRange
        for symbol in ChordForm.eckBlues.vocabulary {
            let v = symbol.voicing(in: range)
            XCTAssertEqual(v.count, symbol.quality.intervals.count)
            XCTAssertTrue(v.allSatisfy { range.contains($0) })
            XCTAssertEqual(ChordSymbol.identify(v), symbol)
        }
        XCTAssertEqual(ChordSymbol(root: 11, .dominant7).voicing(in: range), PitchSet([51, 54, 57, 59]))
        XCTAssertEqual(ChordSymbol.identify(PitchSet([60, 64, 67])), ChordSymbol(root: 0, .major))
        XCTAssertNil(ChordSymbol.identify(PitchSet()))
        XCTAssertEqual("\(ChordSymbol(root: 10, .minor7))", "Bbm7")
    }

    func testKeyEstimate() {
        let cMajor: [UInt8] = [60, 62, 64, 65, 67, 69, 71, 72, 67, 64, 60]
        XCTAssertEqual(KeyEstimate.estimate(cMajor.map { Note(pitch: $0, start: 0, duration: 480) }), Key.c)
        let aMinor: [UInt8] = [57, 60, 64, 57, 59, 60, 62, 64, 65, 68, 69, 57, 64]
        XCTAssertEqual(KeyEstimate.estimate(aMinor.map { Note(pitch: $0, start: 0, duration: 480) }), Key("Am"))
        XCTAssertNil(KeyEstimate.estimate([]))
    }

    func testPitchNamesAndSets() {
        XCTAssertEqual(PitchName.name(of: 60), "C4")
        XCTAssertEqual(PitchName.name(of: 70), "Bb4")
        XCTAssertEqual(PitchName.name(of: 0), "C-1")
        var set = PitchSet([0, 63, 64, 127])
        XCTAssertEqual(Array(set), [0, 63, 64, 127])
        XCTAssertEqual(set.count, 4)
        set.remove(63)
        XCTAssertFalse(set.contains(63))
        XCTAssertTrue(set.contains(127))
        XCTAssertEqual(set.lowest, 0)
        XCTAssertFalse(set.contains(200))
    }
}
