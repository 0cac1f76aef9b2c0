@testable import MusicCore
import XCTest

final class QuantizerTests: XCTestCase {
    let grid = TimeGrid(ticksPerQuarter: 480, tempoBPM: 120)
    let enc = SliceEncoding.eck

    func testGrid() {
        XCTAssertEqual(grid.ticksPerSlice, 240)
        XCTAssertEqual(grid.ticksPerBar, 1920)
        XCTAssertEqual(TimeGrid.slicesPerChorus, 96)
        XCTAssertEqual(grid.secondsPerSlice, 0.25, accuracy: 1e-12)
        XCTAssertEqual(grid.nearestSlice(119), 0)
        XCTAssertEqual(grid.nearestSlice(120), 1)
        XCTAssertEqual(grid.nearestSlice(250), 1)
        XCTAssertEqual(grid.quantize(start: 230, end: 260), 1..<2, "a very short note lasts one slice")
        XCTAssertEqual(grid.quantize(start: 10, end: 700), 0..<3)
        XCTAssertEqual(grid.microsecondsPerQuarter, 500_000)
    }

    func testRepeatedNotesDifferFromHeldNote() {
        let twoQuarters = [Note(pitch: 67, start: 0, duration: 480), Note(pitch: 67, start: 480, duration: 480)]
        let half = [Note(pitch: 67, start: 0, duration: 960)]
        let a = Quantizer.slices(chords: [], melody: twoQuarters, grid: grid, encoding: enc)
        let b = Quantizer.slices(chords: [], melody: half, grid: grid, encoding: enc)
        XCTAssertEqual(a.map(\.melody), [.attack(67), .hold(67), .attack(67), .hold(67)])
        XCTAssertEqual(b.map(\.melody), [.attack(67), .hold(67), .hold(67), .hold(67)])
        XCTAssertEqual(Quantizer.notes(from: a, grid: grid).melody.count, 2)
        XCTAssertEqual(Quantizer.notes(from: b, grid: grid).melody.count, 1)
    }

    func testSlightlyOffGridPlayingLandsOnTheGrid() {
        // A player a little early and a little late: starts snap to the nearest eighth.
        let played = [Note(pitch: 60, start: 470, duration: 200), Note(pitch: 63, start: 735, duration: 220)]
        let slices = Quantizer.slices(chords: [], melody: played, grid: grid, encoding: enc)
        XCTAssertEqual(slices.map(\.melody), [.rest, .rest, .attack(60), .attack(63)])
    }

    func testMelodyIsOneVoiceAndRestsAreKept() {
        let notes = [Note(pitch: 60, start: 0, duration: 960), Note(pitch: 67, start: 480, duration: 240),
                     Note(pitch: 64, start: 1440, duration: 240)]
        let slices = Quantizer.slices(chords: [], melody: notes, grid: grid, encoding: enc, sliceCount: 8)
        XCTAssertEqual(slices.map(\.melody), [.attack(60), .hold(60), .attack(67), .attack(60), .rest, .rest, .attack(64), .rest])
    }

    func testOutOfRangeMelodyIsFolded() {
        let slices = Quantizer.slices(chords: [Note(pitch: 31, start: 0, duration: 480)],
                                      melody: [Note(pitch: 86, start: 0, duration: 480)], grid: grid, encoding: enc)
        XCTAssertEqual(slices[0].melody, .attack(74 - 12))
        XCTAssertEqual(slices[0].chord, PitchSet([55]))
    }

    func testCorpusChorusRoundTripsThroughNotes() {
        for number in [0, 1, 2047, 4095] {
            let slices = EckCorpus.chorus(number)
            let notes = Quantizer.notes(from: slices, grid: grid)
            XCTAssertEqual(notes.chords.count, 12 * 4, "one four-note chord per bar")
            XCTAssertEqual(notes.melody.count, 12 * 4, "four quarter notes per bar")
            let again = Quantizer.slices(chords: notes.chords, melody: notes.melody, grid: grid, encoding: enc)
            XCTAssertEqual(again, slices)
        }
    }

    func testRandomCanonicalSlicesRoundTrip() {
        var rng = SeededGenerator(seed: 11)
        for _ in 0..<200 {
            var slices: [Slice] = []
            for _ in 0..<Int.random(in: 1...40, using: &rng) {
                var chord = PitchSet()
                if Int.random(in: 0..<3, using: &rng) > 0 { for p in enc.chordRange where Int.random(in: 0..<4, using: &rng) == 0 { chord.insert(p) } }
                let p = UInt8.random(in: enc.melodyRange, using: &rng)
                let m: MelodyEvent = [.rest, .attack(p), .hold(p), .hold(slices.last?.melody.pitch ?? p)].randomElement(using: &rng)!
                slices.append(Slice(chord: chord, chordOnset: Bool.random(using: &rng), melody: m))
            }
            let canonical = slices.canonicalized()
            let notes = Quantizer.notes(from: canonical, grid: grid)
            let again = Quantizer.slices(chords: notes.chords, melody: notes.melody, grid: grid, encoding: enc,
                                         sliceCount: canonical.count)
            XCTAssertEqual(again, canonical)
        }
    }
}
