@testable import Engine
import MusicCore
import XCTest

/// Notes as (pitch, start in eighths, length in eighths, velocity), at PPQ 480.
func phrase(_ notes: [(UInt8, Int, Int, UInt8)], fromBar bar: Int = 0, ppq: Int = 480) -> [PlayedNote] {
    let eighth = ppq / 2, origin = bar * 8 * eighth
    return notes.map { PlayedNote(key: $0.0, velocity: $0.3, start: origin + $0.1 * eighth, end: origin + ($0.1 + $0.2) * eighth - 20) }
}

/// Phrases a musician might play (written for these tests).
enum Calls {
    /// F major, a question ending on the fifth.
    static let fMajor = phrase([(65, 0, 1, 80), (67, 1, 1, 70), (69, 2, 1, 90), (70, 3, 1, 75), (72, 4, 2, 100), (69, 6, 1, 80),
                                (65, 7, 1, 70), (67, 8, 1, 85), (69, 9, 1, 75), (67, 10, 1, 70), (65, 11, 1, 65), (64, 12, 2, 80), (67, 14, 2, 90)])
    /// C minor (Ab, Bb, Eb) with rests, closing on C.
    static let cMinor = phrase([(72, 0, 1, 90), (70, 1, 1, 80), (68, 2, 2, 95), (67, 5, 1, 70), (63, 6, 1, 85), (65, 7, 1, 80),
                                (67, 8, 3, 100), (63, 12, 1, 70), (62, 13, 1, 75), (60, 14, 2, 90)])
    /// G major, low (below middle C, with no left hand).
    static let gLow = phrase([(55, 0, 1, 80), (59, 1, 1, 85), (62, 2, 1, 90), (59, 3, 1, 70), (57, 4, 1, 80), (55, 5, 1, 75),
                              (54, 6, 2, 95), (55, 8, 1, 85), (57, 9, 1, 70), (59, 10, 2, 100), (62, 12, 4, 80)])
    /// A C blues lick: minor pentatonic over the blues.
    static let cBlues = phrase([(60, 0, 2, 90), (63, 2, 1, 80), (65, 3, 1, 85), (67, 4, 2, 100), (70, 6, 1, 80), (67, 7, 1, 75),
                                (65, 8, 1, 85), (63, 9, 1, 80), (60, 10, 4, 95)])
}

final class ListenerTests: XCTestCase {
    let grid = TimeGrid()

    func heard(_ notes: [PlayedNote], fixed: Key? = nil, split: UInt8? = 60) -> Listener {
        var l = Listener(grid: grid, splitPitch: split, fixedKey: fixed)
        var events: [(Int, Int, PlayedNote)] = []
        for n in notes { events.append((n.start, 1, n)); events.append((n.end, 0, n)) }
        for (t, on, n) in events.sorted(by: { ($0.0, $0.1) < ($1.0, $1.1) }) {
            if on == 1 { l.noteOn(pitch: n.key, velocity: n.velocity, tick: t) } else { l.noteOff(pitch: n.key, tick: t) }
        }
        l.settleKey()
        return l
    }

    func testHearsTheKeyAndModeOfEachCall() {
        XCTAssertEqual(heard(Calls.fMajor).key, Key(tonic: 5))
        XCTAssertEqual(heard(Calls.fMajor).colour, .major)
        XCTAssertEqual(heard(Calls.cMinor).key, Key(tonic: 0, minor: true))
        XCTAssertEqual(heard(Calls.cMinor).colour, .minor)
        XCTAssertEqual(heard(Calls.gLow).key, Key(tonic: 7))
        XCTAssertEqual(heard(Calls.cBlues).key.tonic, 0)
        XCTAssertEqual(heard(Calls.cBlues).colour, .blues, "minor pentatonic with neither sixth is the blues, not C minor")
    }

    func testAFixedKeyIsKept() {
        let l = heard(Calls.fMajor, fixed: Key(tonic: 2))
        XCTAssertEqual(l.key, Key(tonic: 2))
        XCTAssertEqual(l.keyChanges, 0)
    }

    func testOnePassingNoteDoesNotFlipAnEstablishedKey() {
        // Two phrases in F, then one chromatic passing note run (F# and B), then F again.
        var notes = Calls.fMajor
        notes += Calls.fMajor.map { PlayedNote(key: $0.key, velocity: $0.velocity, start: $0.start + 4 * 1920, end: $0.end + 4 * 1920) }
        notes += phrase([(66, 0, 1, 80), (71, 1, 1, 80), (66, 2, 1, 80)], fromBar: 8)
        let l = heard(notes)
        XCTAssertEqual(l.key, Key(tonic: 5))
        XCTAssertEqual(l.keyChanges, 1, "the first phrase sets F; the passing notes change nothing")
    }

    func testAPhraseInANewKeyMovesTheKey() {
        let moved = Calls.cMinor.map { PlayedNote(key: $0.key, velocity: $0.velocity, start: $0.start + 8 * 1920, end: $0.end + 8 * 1920) }
        var l = heard(Calls.fMajor + moved)
        l.settleKey(over: 64..<80)
        XCTAssertEqual(l.key, Key(tonic: 0, minor: true), "once the call is over, it is heard in C minor")
        XCTAssertEqual(l.colour, .minor)
    }

    func testRegisterDynamicsAndDensityOfTheCall() {
        let l = heard(Calls.gLow)
        let f = l.figures(startingIn: 0..<16)
        XCTAssertEqual(f.count, 11, "low single notes are melody, not chords")
        XCTAssertEqual(f.lowPitch, 54)
        XCTAssertEqual(f.highPitch, 62)
        XCTAssertEqual(f.meanPitch, 57.64, accuracy: 0.01)
        XCTAssertEqual(f.meanVelocity, 82.73, accuracy: 0.01)
        XCTAssertEqual(f.onsetsPerBar, 5.5, accuracy: 0.01)
    }

    func testLeftHandChordsAreNotMelody() {
        var notes = Calls.fMajor
        for bar in 0..<2 { for p: UInt8 in [53, 57, 60] where p < 60 { notes.append(PlayedNote(key: p, velocity: 60, start: bar * 1920, end: bar * 1920 + 1800)) } }
        let l = heard(notes)
        XCTAssertEqual(l.figures(startingIn: 0..<16).count, Calls.fMajor.count)
        XCTAssertEqual(l.key, Key(tonic: 5))
    }

    func testSwingOfThePlayersEighths() {
        // Off-beat eighths at two thirds of the beat.
        let swung = (0..<8).map { i -> PlayedNote in
            let beat = i / 2 * 480, at = beat + (i % 2 == 1 ? 320 : 0)
            return PlayedNote(key: UInt8(60 + i % 5), velocity: 80, start: at, end: at + 150)
        }
        XCTAssertEqual(heard(swung).figures(startingIn: 0..<8).swing ?? 0, 2.0 / 3.0, accuracy: 0.01)
        XCTAssertNil(heard(Calls.gLow.filter { $0.start % 480 == 0 }).figures(startingIn: 0..<16).swing, "no eighth pairs, no swing heard")
        XCTAssertEqual(heard(Calls.fMajor).figures(startingIn: 0..<16).swing ?? 0, 0.5, accuracy: 0.02)
    }
}
