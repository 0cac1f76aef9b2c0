import Composer
@testable import Engine
import MusicCore
import Presets
import XCTest

/// The engine plays the form it is given (a chart's chords lead, the melody improvises over
/// them) in the form's meter.
final class FormsAndMetersTests: XCTestCase {
    let tps = 240

    /// The chords improv strikes, by slice.
    func chordStrikes(_ output: EventRecorder, channel: UInt8 = 0) -> [Int: PitchSet] {
        var strikes: [Int: PitchSet] = [:]
        for on in output.noteOns where on.channel == channel { strikes[on.tick / tps, default: PitchSet()].insert(on.key) }
        return strikes
    }

    func testABackingBandPlaysAJazzBluesChartWithItsMidBarChanges() throws {
        var s = Engine.Settings()
        s.mode = .backing
        s.form = .chart(.jazzBlues)
        let sim = try SimulatedSession(settings: s)
        sim.run(quarters([60, 64, 67, 70, 69, 67, 65, 64]), until: 12 * 8 * tps)
        let strikes = chordStrikes(sim.output)
        let range = SliceEncoding.eck.chordRange
        for bar in 0..<12 {
            XCTAssertEqual(strikes[bar * 8], ChordForm.jazzBlues.chord(atBar: bar).voicing(in: range), "bar \(bar + 1)")
        }
        XCTAssertEqual(strikes[3 * 8 + 4], ChordSymbol(root: 0, .dominant7).voicing(in: range), "bar 4: Gm7 then C7 on beat 3")
        XCTAssertEqual(strikes[5 * 8], ChordSymbol(root: 6, .diminished7).voicing(in: range), "bar 6: F#dim7, which the Eck model never played")
        sim.stop()
        XCTAssertEqual(sim.output.notes().hanging, 0)
    }

    func testAWaltzIsSixSlicesABarAndAnAnswerStartsOnItsBarLine() throws {
        var s = Engine.Settings()
        s.form = .chart(.folkWaltz)
        s.key = Key("G")!
        let sim = try SimulatedSession(settings: s)
        XCTAssertEqual(sim.engine.slicesPerBar, 6)
        XCTAssertEqual(sim.engine.settings.grid.ticksPerBar, 3 * 480)
        // Two bars of 3/4 in G: half note and quarter, then a dotted half.
        let call = [PlayedNote(key: 67, start: 0, end: 940), PlayedNote(key: 71, start: 960, end: 1420),
                    PlayedNote(key: 74, start: 1440, end: 2860)]
        sim.run(call, until: 8 * 1440)
        let melody = sim.output.noteOns.filter { $0.channel == 1 }
        let first = try XCTUnwrap(melody.first, "improv answered")
        XCTAssertEqual(first.tick % 1440, 0, "the answer starts on a 3/4 bar line, not a 4/4 one (tick \(first.tick))")
        XCTAssertTrue(melody.allSatisfy { [7, 9, 11, 0, 2, 4, 6].contains(Int($0.key) % 12) || $0.key % 12 == 5 },
                      "in G (F natural allowed as a blue note): \(melody.map(\.key))")
        let strikes = chordStrikes(sim.output)
        for (slice, chord) in strikes {
            let formSlice = sim.engine.formPosition(ofSlice: slice)
            XCTAssertEqual(chord.pitchClassMask, ChordForm.folkWaltz.chord(atSlice: formSlice).transposed(by: 7).pitchClassMask,
                           "slice \(slice): the waltz's chord in G")
        }
        sim.stop()
    }

    func testCompoundMetersPlayEvenEighths() throws {
        var s = Engine.Settings()
        s.form = .chart(.jig)
        s.swing = 0.66
        s.mode = .duet
        let sim = try SimulatedSession(settings: s)
        sim.run(quarters([60]), until: 4 * 6 * tps)
        XCTAssertTrue(sim.output.noteOns.allSatisfy { $0.tick % tps == 0 }, "no swing in 6/8: every note on an eighth")
        sim.stop()
    }

    func testTheMinorBluesPresetPlaysMinorChordsInCMinor() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../presets/minor-blues.toml").standardized.path
        var s = Engine.Settings(preset: try Preset.load(path: path))
        s.mode = .backing
        let sim = try SimulatedSession(settings: s)
        sim.run(quarters([60, 63, 67, 70, 67, 63, 60, 63]), until: 12 * 8 * tps)
        let strikes = chordStrikes(sim.output)
        XCTAssertEqual(strikes[0].map { $0.pitchClassMask }, ChordSymbol(root: 0, .minor7).pitchClassMask, "Cm7 on bar 1")
        XCTAssertEqual(strikes[8].map { $0.pitchClassMask }, ChordSymbol(root: 5, .minor7).pitchClassMask, "Fm7 on bar 2")
        XCTAssertEqual(strikes[8 * 8].map { $0.pitchClassMask }, ChordSymbol(root: 8, .dominant7).pitchClassMask, "Ab7 on bar 9")
        XCTAssertEqual(strikes[9 * 8].map { $0.pitchClassMask }, ChordSymbol(root: 7, .dominant7).pitchClassMask,
                       "G7 on bar 10: the form's V7 keeps its major third (not lowered for a minor player)")
        sim.stop()
    }

    func testFreeChordsComeFromTheModel() throws {
        var s = Engine.Settings()
        s.mode = .backing
        s.form = .free
        let sim = try SimulatedSession(settings: s)
        XCTAssertNil(sim.engine.chart)
        sim.run(quarters([60, 63, 65, 67]), until: 4 * 8 * tps)
        XCTAssertFalse(chordStrikes(sim.output).isEmpty, "the chord cells play")
        sim.stop()
    }

    func testAPlayerMovesThePlaceInAChartWithTwoChordBars() throws {
        var s = Engine.Settings()
        s.mode = .backing
        s.form = .chart(.jazzBlues)
        let sim = try SimulatedSession(settings: s)
        // The player comps bars 9-12 of the jazz blues (Dm7 | G7 | C7 A7 | Dm7 G7) in session bars 1-4.
        let range = SliceEncoding.eck.chordRange
        var notes: [PlayedNote] = []
        for (bar, formBar) in [8, 9, 10, 11].enumerated() {
            for (i, chord) in ChordForm.jazzBlues.chords(atBar: formBar).enumerated() {
                let n = ChordForm.jazzBlues.chords(atBar: formBar).count
                for p in chord.voicing(in: range) {
                    notes.append(PlayedNote(key: p, start: bar * 1920 + i * 1920 / n, end: bar * 1920 + (i + 1) * 1920 / n - 20))
                }
            }
        }
        sim.run(notes, until: 7 * 8 * tps)
        XCTAssertEqual(sim.engine.form.shift, 8, "session bar 1 is form bar 9")
        XCTAssertEqual(chordStrikes(sim.output)[4 * 8], ChordForm.jazzBlues.chord(atBar: 0).voicing(in: range), "the top of the form after")
        sim.stop()
    }

    func testImprovSwingsAsThePlayerSwings() throws {
        var s = Engine.Settings()
        s.swing = 0.5
        s.followSwing = true
        s.seed = 3
        let sim = try SimulatedSession(settings: s)
        // Two bars of eighths swung 2:1 (the off-beat at 0.66 of the beat).
        var call: [PlayedNote] = []
        let pitches: [UInt8] = [60, 63, 65, 67, 70, 67, 65, 63, 60, 63, 65, 67, 70, 72, 70, 67]
        for (i, p) in pitches.enumerated() {
            let start = (i / 2) * 480 + (i % 2 == 1 ? 317 : 0)
            call.append(PlayedNote(key: p, start: start, end: start + (i % 2 == 1 ? 150 : 300)))
        }
        sim.run(call, until: 8 * 1920)
        let answer = sim.output.noteOns.filter { $0.channel == 1 }
        let offbeats = answer.filter { $0.tick % 480 != 0 }.map { $0.tick % 480 }
        XCTAssertFalse(offbeats.isEmpty, "the answer has off-beat eighths")
        XCTAssertTrue(offbeats.allSatisfy { (300...330).contains($0) }, "off-beats swung like the player's, not straight: \(offbeats)")
        sim.stop()
    }
}
