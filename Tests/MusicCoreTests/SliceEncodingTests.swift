@testable import MusicCore
import XCTest

final class SliceEncodingTests: XCTestCase {
    let enc = SliceEncoding.eck

    func testLayoutSizes() {
        XCTAssertEqual(enc.chordInputSize, 13)
        XCTAssertEqual(enc.melodyInputSize, 15)
        XCTAssertEqual(enc.melodyClassCount, 27)
    }

    func testChordIsSeveralUnitsOn() {
        let c7 = ChordSymbol(root: 0, .dominant7).voicing(in: enc.chordRange)
        let (chord, melody) = enc.encode(Slice(chord: c7, chordOnset: true, melody: .attack(67)))
        XCTAssertEqual(chord.filter { $0 == 1 }.count, 5) // C E G Bb + struck
        XCTAssertEqual(chord[0], 1) // C3
        XCTAssertEqual(chord[4], 1) // E3
        XCTAssertEqual(chord[7], 1) // G3
        XCTAssertEqual(chord[10], 1) // Bb3
        XCTAssertEqual(chord[12], 1) // struck
        XCTAssertEqual(melody[7], 1) // G4
        XCTAssertEqual(melody[14], 1) // struck
        XCTAssertEqual(melody.reduce(0, +), 2)
    }

    func testHeldDiffersFromStruckAndRestHasItsUnit() {
        let struck = enc.encode(Slice(melody: .attack(65))).melody
        let held = enc.encode(Slice(melody: .hold(65))).melody
        let rest = enc.encode(Slice(melody: .rest)).melody
        XCTAssertNotEqual(struck, held)
        XCTAssertEqual(held[5], 1)
        XCTAssertEqual(held[14], 0)
        XCTAssertEqual(rest[13], 1)
        XCTAssertEqual(rest.reduce(0, +), 1)
    }

    func testEncodeDecodeRoundTripOnRandomSlices() {
        var rng = SeededGenerator(seed: 7)
        for _ in 0..<2000 {
            var chord = PitchSet()
            for p in enc.chordRange where Bool.random(using: &rng) { chord.insert(p) }
            let p = UInt8.random(in: enc.melodyRange, using: &rng)
            let melody: MelodyEvent = [.rest, .attack(p), .hold(p)].randomElement(using: &rng)!
            let slice = Slice(chord: chord, chordOnset: !chord.isEmpty && Bool.random(using: &rng), melody: melody)
            let (c, m) = enc.encode(slice)
            XCTAssertEqual(enc.decode(chord: c, melody: m), slice)
        }
    }

    func testMelodyClassesRoundTrip() {
        var seen = Set<MelodyEvent>()
        for k in 0..<enc.melodyClassCount {
            let event = enc.melodyEvent(forClass: k)
            XCTAssertEqual(enc.melodyClass(event), k)
            seen.insert(event)
        }
        XCTAssertEqual(seen.count, 27)
        XCTAssertEqual(enc.melodyEvent(forClass: 26), .rest)
        XCTAssertEqual(enc.melodyEvent(forClass: 0), .attack(60))
        XCTAssertEqual(enc.melodyEvent(forClass: 13), .hold(60))
    }

    func testFoldingByOctaves() {
        XCTAssertEqual(enc.foldMelody(84), 72)   // C6 -> C5
        XCTAssertEqual(enc.foldMelody(73), 61)   // C#5 -> C#4
        XCTAssertEqual(enc.foldMelody(40), 64)   // E2 -> E4
        XCTAssertEqual(enc.foldMelody(66), 66)
        XCTAssertEqual(enc.foldChord(76), 52)    // E5 -> E3
        XCTAssertEqual(enc.foldChord(36), 48)
        let narrow = SliceEncoding(chordLow: 48, chordCount: 5, melodyLow: 60, melodyCount: 13)
        XCTAssertNil(narrow.foldChord(55), "G has no place in C3-E3")
        let folded = enc.folded(Slice(chord: PitchSet([36, 64, 79]), chordOnset: true, melody: .hold(90)))
        XCTAssertEqual(folded.chord, PitchSet([48, 52, 55]))
        XCTAssertEqual(folded.melody, .hold(66))
    }

    func testRangesTravelAsJSON() throws {
        let custom = SliceEncoding(chordLow: 40, chordCount: 24, melodyLow: 55, melodyCount: 25)
        let data = try JSONEncoder().encode(custom)
        XCTAssertEqual(try JSONDecoder().decode(SliceEncoding.self, from: data), custom)
    }

    func testCoveringKeepsEveryPitch() {
        let enc = SliceEncoding.covering(chords: [Note(pitch: 40, start: 0, duration: 1), Note(pitch: 59, start: 0, duration: 1)],
                                         melody: [Note(pitch: 70, start: 0, duration: 1), Note(pitch: 96, start: 0, duration: 1)])
        XCTAssertEqual(enc.chordRange, 40...59)
        XCTAssertEqual(enc.melodyRange, 70...96)
        XCTAssertEqual(enc.foldMelody(96), 96)
    }
}
