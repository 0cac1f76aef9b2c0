@testable import Engine
import MusicCore
import XCTest

final class PartsTests: XCTestCase {
    let grid = TimeGrid(ticksPerQuarter: 480, tempoBPM: 120)

    func testPlayerNotesLandOnTheNearestSlice() {
        var t = PlayerTracker(grid: grid, splitPitch: 60)
        t.noteOn(key: 64, velocity: 100, tick: 470)      // a hair early for slice 2
        t.noteOff(key: 64, tick: 700)
        t.noteOn(key: 48, velocity: 80, tick: 0)
        t.noteOn(key: 52, velocity: 80, tick: 5)
        XCTAssertEqual(t.slice(1).melody, .rest)
        XCTAssertEqual(t.slice(2).melody, .attack(64))
        XCTAssertEqual(t.slice(3).melody, .rest, "ends at 700, nearest slice boundary 720")
        XCTAssertEqual(t.slice(0).chord, PitchSet([48, 52]))
        XCTAssertTrue(t.slice(0).chordOnset)
        XCTAssertFalse(t.slice(1).chordOnset)
        XCTAssertTrue(t.isHolding)
    }

    func testOddInputChangesNothingItShouldNot() {
        var t = PlayerTracker(grid: grid)
        t.noteOff(key: 70, tick: 10)                       // note-off without note-on
        XCTAssertEqual(t.slice(0), .silent)
        t.noteOn(key: 70, velocity: 0, tick: 20)           // velocity 0 is a note-off
        XCTAssertEqual(t.slice(0), .silent)
        t.noteOn(key: 70, velocity: 90, tick: 0)
        t.noteOn(key: 70, velocity: 90, tick: 240)         // struck again while held
        XCTAssertEqual(t.slice(1).melody, .attack(70))
        t.releaseAll(atTick: 480)
        XCTAssertFalse(t.isHolding)
        XCTAssertEqual(t.slice(2).melody, .rest)
    }

    func testSessionDecidesTheAnswer() {
        var s = Session(mode: .callAndResponse)
        s.sliceFinished(0, playerActive: true, silentSlices: 0)
        XCTAssertEqual(s.phase, .calling(fromSlice: 0))
        for slice in 1...17 { s.sliceFinished(slice, playerActive: slice < 13, silentSlices: max(0, slice - 12)) }
        XCTAssertEqual(s.phase, .calling(fromSlice: 0), "not yet: a bar line two slices ahead would come too soon")
        s.sliceFinished(18, playerActive: false, silentSlices: 6)
        // Silent since slice 13: by the bar line at slice 24 a bar of silence has passed.
        XCTAssertEqual(s.phase, .answering(start: 24, end: 24 + 16))
        XCTAssertEqual(s.parts(at: 23, silentSlices: 0), .none)
        XCTAssertEqual(s.parts(at: 24, silentSlices: 0), .both)
        XCTAssertEqual(s.parts(at: 40, silentSlices: 0), .none)
        var fixed = Session(mode: .callAndResponse, callBars: 4, responseBars: 2)
        fixed.sliceFinished(0, playerActive: true, silentSlices: 0)
        XCTAssertEqual(fixed.parts(at: 31, silentSlices: 0), .none)
        XCTAssertEqual(fixed.parts(at: 32, silentSlices: 0), .both)
        XCTAssertEqual(fixed.parts(at: 48, silentSlices: 0), .none, "a 6-bar cycle: 4 called, 2 answered")
    }

    func testLedgerAndWindow() {
        var ledger = NoteLedger()
        ledger.started(channel: 2, key: 60, endingAt: 100)
        ledger.started(channel: 3, key: 61, endingAt: Int.max)
        XCTAssertEqual(ledger.soundingCount, 2)
        ledger.expire(through: 100)
        XCTAssertEqual(ledger.soundingCount, 1)
        var drained: [UInt8] = []
        ledger.drain { c, _ in drained.append(c) }
        XCTAssertEqual(drained, [3])
        XCTAssertEqual(ledger.usedChannels, 0b1100)

        var w = RollingWindow(bars: 1)
        for i in 0..<20 { w.append(Slice(melody: .attack(UInt8(60 + i % 12)))) }
        XCTAssertEqual(w.count, 8)
        XCTAssertEqual(w.firstSlice, 12)
        XCTAssertEqual(w[19].melody, .attack(67))
        w.restart(at: 40)
        XCTAssertEqual(w.count, 0)
    }

    func testSwingMovesTheOffbeats() {
        let p = Performer(grid: grid, swing: 2.0 / 3.0, transpose: 0, chordChannel: 0, melodyChannel: 1)
        XCTAssertEqual(p.tick(ofSlice: 0), 0)
        XCTAssertEqual(p.tick(ofSlice: 1), 320)
        XCTAssertEqual(p.tick(ofSlice: 2), 480)
        XCTAssertEqual(p.tick(ofSlice: 9), 4 * 480 + 320)
    }
}

final class CallLengthTests: XCTestCase {
    func testAnAnswerIsAsLongAsTheCallNotTheBarsItTouches() {
        // A two-bar call that starts in the middle of bar 1 touches three bars: the answer is two.
        var s = Session(mode: .callAndResponse)
        s.sliceFinished(4, playerActive: true, silentSlices: 0)
        for slice in 5...19 { s.sliceFinished(slice, playerActive: true, silentSlices: 0) }
        var slice = 20
        while case .calling = s.phase {
            s.sliceFinished(slice, playerActive: false, silentSlices: slice - 19)
            slice += 1
        }
        guard case .answering(let start, let end) = s.phase else { return XCTFail("no answer") }
        XCTAssertEqual(end - start, 16)
        XCTAssertEqual(start % 8, 0)
    }

    func testPlayingDuringAnAnswerIsTheNextCall() {
        var s = Session(mode: .callAndResponse)
        for slice in 0...7 { s.sliceFinished(slice, playerActive: true, silentSlices: 0) }
        var slice = 8
        while case .calling = s.phase {
            s.sliceFinished(slice, playerActive: false, silentSlices: slice - 7)
            slice += 1
        }
        guard case .answering(let start, let end) = s.phase else { return XCTFail("no answer") }
        // The player plays two slices in the answer's middle, then stays silent.
        while slice < end - 1 {
            let active = slice == start + 3 || slice == start + 4
            s.sliceFinished(slice, playerActive: active, silentSlices: active ? 0 : max(0, slice - start - 4))
            slice += 1
        }
        XCTAssertEqual(s.phase, .answering(start: start, end: end))
        s.sliceFinished(end - 1, playerActive: false, silentSlices: end - 1 - start - 4)
        XCTAssertEqual(s.phase, .calling(fromSlice: start + 3), "the answer is over: the player's notes were a call")
        // Without playing during the answer, improv waits.
        var quiet = Session(mode: .callAndResponse)
        quiet.sliceFinished(0, playerActive: true, silentSlices: 0)
        for slice in 1...7 { quiet.sliceFinished(slice, playerActive: false, silentSlices: slice) }
        guard case .answering(_, let quietEnd) = quiet.phase else { return XCTFail("no answer") }
        for slice in 8..<quietEnd { quiet.sliceFinished(slice, playerActive: false, silentSlices: slice) }
        XCTAssertEqual(quiet.phase, .waiting)
    }
}
