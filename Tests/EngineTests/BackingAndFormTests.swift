import Composer
@testable import Engine
import MusicCore
import XCTest

final class BackingAndFormTests: XCTestCase {
    let tps = 240

    func chordStrikes(_ output: EventRecorder) -> [Int: PitchSet] {
        var strikes: [Int: PitchSet] = [:]
        for on in output.noteOns where on.channel == 0 { strikes[on.tick / tps, default: PitchSet()].insert(on.key) }
        return strikes
    }

    func testBackingCompsTheFormUnderThePlayer() throws {
        var s = Engine.Settings()
        s.mode = .backing
        let sim = try SimulatedSession(settings: s)
        // The player plays steadily through 4 bars: improv's melody stays out.
        let line = quarters([60, 63, 65, 67, 70, 67, 65, 63, 60, 63, 65, 67, 70, 67, 65, 63])
        sim.run(line, until: 12 * 8 * tps)
        let strikes = chordStrikes(sim.output)
        for bar in 0..<12 {
            let expected = ChordForm.eckBlues.chord(atBar: bar).voicing(in: SliceEncoding.eck.chordRange)
            XCTAssertEqual(strikes[bar * 8], expected, "bar \(bar + 1): the form's chord on the downbeat")
            XCTAssertEqual(strikes[bar * 8 + 3], expected, "bar \(bar + 1): comping on the and of 2")
        }
        let melodyOns = sim.output.noteOns.filter { $0.channel == 1 }
        XCTAssertFalse(melodyOns.contains { $0.tick < 15 * tps }, "no melody while the player plays")
        XCTAssertTrue(melodyOns.contains { $0.tick >= 20 * tps }, "it answers in the gap after the player stops")
        sim.stop()
        XCTAssertEqual(sim.output.notes().hanging, 0)
    }

    func testFormFollowsAPlayerWhoPlaysTheChords() throws {
        var s = Engine.Settings()
        s.mode = .backing
        let sim = try SimulatedSession(settings: s)
        // The player comps bars 9-12 of the form (Dm7 G7 C7 G7) in session bars 1-4.
        let range = SliceEncoding.eck.chordRange
        var notes: [PlayerNote] = []
        for (bar, formBar) in [8, 9, 10, 11].enumerated() {
            for p in ChordForm.eckBlues.chord(atBar: formBar).voicing(in: range) {
                notes.append(PlayerNote(key: p, start: bar * 1920, end: bar * 1920 + 1900))
            }
        }
        sim.run(notes, until: 10 * 8 * tps)
        XCTAssertEqual(sim.engine.form.shift, 8, "session bar 1 is form bar 9")
        let strikes = chordStrikes(sim.output)
        let voicing = { (formBar: Int) in ChordForm.eckBlues.chord(atBar: formBar).voicing(in: range) }
        XCTAssertEqual(strikes[4 * 8], voicing(0), "after the player's four bars, the form starts again: C7")
        XCTAssertEqual(strikes[5 * 8], voicing(1), "F7")
        XCTAssertEqual(strikes[8 * 8], voicing(4), "F7 where the unshifted form would have Dm7")
    }

    func testDuetPlaysBothPartsAllTheTime() throws {
        var s = Engine.Settings()
        s.mode = .duet
        let sim = try SimulatedSession(settings: s)
        sim.run(quarters([60, 63, 65]), until: 4 * 8 * tps)
        let ons = sim.output.noteOns
        for bar in 0..<4 {
            XCTAssertTrue(ons.contains { $0.channel == 0 && $0.tick / 1920 == bar }, "chords in bar \(bar + 1)")
            XCTAssertTrue(ons.contains { $0.channel == 1 && $0.tick / 1920 == bar }, "melody in bar \(bar + 1)")
        }
    }

    func testReloadAndModeChangeKeepTheForm() throws {
        var s = Engine.Settings()
        s.mode = .duet
        let sim = try SimulatedSession(settings: s)
        let model = try ImprovModel.builtIn()
        sim.run([], until: 24 * 8 * tps, actions: [(5 * 1920 + 100, { try! $0.reload(model: model) }),
                                                  (9 * 1920 + 500, { $0.setMode(.backing) })])
        let strikes = chordStrikes(sim.output)
        for bar in 0..<24 {
            let expected = ChordForm.eckBlues.chord(atBar: bar).voicing(in: SliceEncoding.eck.chordRange)
            XCTAssertEqual(strikes[bar * 8], expected, "bar \(bar + 1)")
        }
        sim.stop()
        XCTAssertEqual(sim.output.notes().hanging, 0)
    }
}
