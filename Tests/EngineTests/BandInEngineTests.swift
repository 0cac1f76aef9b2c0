import Composer
@testable import Engine
import MusicCore
import Presets
import XCTest

/// The band in a session: the blues-band preset counts in, then drums, walking bass and
/// comping follow the form in the player's key while improv trades phrases with the player.
final class BandInEngineTests: XCTestCase {
    func bluesBand() throws -> Engine.Settings {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../presets/blues-band.toml").standardized.path
        var s = Engine.Settings(preset: try Preset.load(path: path))
        s.seed = 4
        return s
    }

    func testTheBluesBandCountsInThenFollowsTheFormInThePlayersKey() throws {
        var s = try bluesBand()
        XCTAssertNotNil(s.band?.drums)
        s.followKey = false
        s.key = Key("F")!
        let sim = try SimulatedSession(settings: s)
        XCTAssertEqual(sim.engine.countInSlices, 8)
        let bar = 1920
        // A call in F in bars 2-3 (after the count-in), then silence.
        let call = [65, 68, 70, 72, 70, 68, 65, 63].enumerated().map { i, p in
            PlayedNote(key: UInt8(p), start: bar + i * 480, end: bar + i * 480 + 400)
        }
        sim.run(call, until: 14 * bar)
        let ons = sim.output.noteOns
        XCTAssertTrue(ons.filter { $0.tick < bar }.allSatisfy { $0.channel == 9 }, "only clicks in the count-in bar")
        XCTAssertEqual(ons.filter { $0.tick < bar && $0.channel == 9 }.count, 4, "a click a beat")
        XCTAssertFalse(ons.contains { $0.channel == 0 }, "the band's comping replaces improv's chord part")
        XCTAssertTrue(ons.contains { $0.channel == 1 && $0.tick > 4 * bar }, "improv answers the call")
        // The bass: the root of each bar's chord (the blues in F) on its downbeat, in the bass register.
        let form = ChordForm.basicBlues.transposed(by: 5)
        for b in 1..<13 {
            let root = try XCTUnwrap(ons.first { $0.channel == 3 && $0.tick == b * bar }, "a bass note on bar \(b + 1)")
            XCTAssertEqual(Int(root.key) % 12, form.chord(atBar: b - 1).root, "bar \(b + 1): the root of \(form.chord(atBar: b - 1))")
            XCTAssertTrue((28...55).contains(root.key))
        }
        let comping = ons.filter { $0.channel == 4 }
        XCTAssertFalse(comping.isEmpty)
        let drums = ons.filter { $0.channel == 9 && $0.tick >= bar }
        XCTAssertGreaterThan(drums.count, 12 * 6, "the drummer plays every bar")
        sim.stop()
        XCTAssertEqual(sim.output.notes().hanging, 0, "every note ends")
    }

    func testAKeyChangeUnderASoundingBandLeavesNoNoteHanging() throws {
        var s = try bluesBand()
        s.followKey = true
        let sim = try SimulatedSession(settings: s)
        let bar = 1920
        // A call in C, then one in E: the band moves key while its notes sound.
        var notes: [PlayedNote] = []
        for (k, tonic) in [(1, 60), (6, 64)] {
            for (i, d) in [0, 4, 7, 9, 7, 4, 2, 0].enumerated() {
                notes.append(PlayedNote(key: UInt8(tonic + d), start: k * bar + i * 480, end: k * bar + i * 480 + 400))
            }
        }
        sim.run(notes, until: 12 * bar)
        sim.stop()
        XCTAssertEqual(sim.output.notes().hanging, 0)
        XCTAssertEqual(sim.engine.soundingNotes, 0)
    }
}
