import Composer
@testable import Engine
import MusicCore
import XCTest

final class CallAndResponseTests: XCTestCase {
    let tps = 240  // ticks per slice at PPQ 480

    func settings(key: Key = .c, swing: Double = 0.5, seed: UInt64 = 1) -> Engine.Settings {
        var s = Engine.Settings()
        s.key = key
        s.swing = swing
        s.seed = seed
        s.mode = .callAndResponse
        return s
    }

    /// A two-bar call in bars 1-2 (slices 0-15), then silence.
    var call: [PlayerNote] { quarters([60, 63, 65, 67, 70, 67, 65, 63]) }

    func testAnswerStartsOnTheBarLineAfterABarOfSilenceAndLastsAsLongAsTheCall() throws {
        let sim = try SimulatedSession(settings: settings())
        sim.run(call, until: 64 * tps)
        // The call's last note ends in slice 15; a bar of silence later, on the bar line of
        // slice 24 (bar 4), the answer starts, as long as the call: two bars.
        let ons = sim.output.noteOns
        XCTAssertFalse(ons.isEmpty, "improv answered")
        XCTAssertEqual(ons.map(\.tick).min(), 24 * tps)
        XCTAssertTrue(ons.allSatisfy { $0.tick >= 24 * tps && $0.tick < 40 * tps }, "\(ons.map(\.tick))")
        let (notes, hanging) = sim.output.notes()
        XCTAssertEqual(hanging, 0, "every note-on has its note-off")
        XCTAssertTrue(notes.allSatisfy { $0.end <= 40 * tps && $0.end > $0.start }, "the answer ends with its last bar")
        // The chord is struck on the answer's first slice.
        XCTAssertTrue(ons.contains { $0.tick == 24 * tps && $0.channel == 0 })
    }

    func testAnswerIsOnTheGridInKeyAndInRange() throws {
        let sim = try SimulatedSession(settings: settings())
        sim.run(call, until: 64 * tps)
        let ons = sim.output.noteOns
        XCTAssertTrue(ons.allSatisfy { $0.tick % tps == 0 }, "straight eighths: every note on a slice")
        let melody = ons.filter { $0.channel == 1 }.map(\.key)
        let chords = ons.filter { $0.channel == 0 }.map(\.key)
        XCTAssertGreaterThan(melody.count, 4)
        // In the call's register (C4-Bb4), widened by a third either way.
        XCTAssertTrue(melody.allSatisfy { (56...74).contains($0) }, "the call's register: \(melody)")
        XCTAssertTrue(chords.allSatisfy { (48...59).contains($0) }, "chord range C3-B3: \(chords)")
        let onScale = melody.filter { Scale.contains(Scale.bluesPentatonic, pitch: $0, key: .c) }.count
        XCTAssertGreaterThanOrEqual(Double(onScale) / Double(melody.count), 0.9, "\(melody)")
    }

    func testInAnotherKeyWithSwing() throws {
        let f = Key("F")!
        let sim = try SimulatedSession(settings: settings(key: f, swing: 0.62))
        // An eighth-note call in F, played on the swung grid.
        let eighths = [65, 68, 70, 72, 75, 72, 70, 68, 65, 68, 70, 65].enumerated().map { i, p -> PlayerNote in
            let at = i / 2 * 480 + (i % 2 == 1 ? Int((0.62 * 480).rounded()) : 0)
            return PlayerNote(key: UInt8(p), start: at, end: at + 150)
        }
        sim.run(eighths, until: 64 * tps)
        let ons = sim.output.noteOns
        XCTAssertFalse(ons.isEmpty)
        let swungOffbeat = Int((0.62 * 480).rounded())
        for on in ons {
            let inBeat = on.tick % 480
            XCTAssertTrue(inBeat == 0 || inBeat == swungOffbeat, "note at \(on.tick) is off the swung grid")
        }
        XCTAssertTrue(ons.contains { $0.tick % 480 == swungOffbeat } || ons.filter { $0.channel == 1 }.count < 4)
        let melody = ons.filter { $0.channel == 1 }.map(\.key)
        XCTAssertTrue(melody.allSatisfy { (61...79).contains($0) }, "in F, in the call's register: \(melody)")
        let onScale = melody.filter { Scale.contains(Scale.bluesPentatonic, pitch: $0, key: f) }.count
        XCTAssertGreaterThanOrEqual(Double(onScale) / Double(max(1, melody.count)), 0.9)
    }

    func testSameSeedSameAnswer() throws {
        func answer(_ seed: UInt64) throws -> [EventRecorder.Event] {
            let sim = try SimulatedSession(settings: settings(seed: seed))
            sim.run(call, until: 64 * tps)
            return sim.output.played
        }
        XCTAssertEqual(try answer(7), try answer(7))
        XCTAssertNotEqual(try answer(7), try answer(8))
    }

    func testEventsAreScheduledAtLeastASliceAhead() throws {
        let sim = try SimulatedSession(settings: settings())
        sim.run(call, until: 64 * tps)
        for e in sim.output.events where !e.immediate {
            if case .programChange = e.message { continue }
            XCTAssertGreaterThanOrEqual(e.tick - e.handedOverAt, tps, "\(e.message) at \(e.tick) handed over at \(e.handedOverAt)")
        }
    }

    func testTradingFoursFollowsTheForm() throws {
        var s = settings()
        s.callBars = 4
        let sim = try SimulatedSession(settings: s)
        sim.run(quarters([60, 63, 65, 67, 70, 72, 70, 67, 65, 63, 60, 63]), until: 16 * 8 * tps)
        let ons = sim.output.noteOns
        XCTAssertFalse(ons.isEmpty)
        for on in ons {
            let bar = on.tick / (8 * tps)
            XCTAssertTrue((4..<8).contains(bar) || (12..<16).contains(bar), "improv plays only in its bars: bar \(bar + 1)")
        }
        XCTAssertTrue(ons.contains { $0.tick == 4 * 8 * tps }, "its four bars start on bar 5's downbeat")
        XCTAssertEqual(sim.output.notes().hanging, 0)
    }

    func testStopInTheMiddleOfAnAnswerLeavesNothingHanging() throws {
        let sim = try SimulatedSession(settings: settings())
        let stopAt = 36 * tps + 17
        sim.run(call, until: 40 * tps, actions: [(stopAt, { $0.stop() })])
        let (notes, hanging) = sim.output.notes()
        XCTAssertEqual(hanging, 0)
        XCTAssertTrue(notes.allSatisfy { $0.end <= stopAt }, "no note outlives the stop")
        XCTAssertEqual(sim.engine.soundingNotes, 0)
        let immediate = sim.output.events.filter(\.immediate).map(\.message)
        XCTAssertTrue(immediate.contains(.allNotesOff(channel: 0)))
        XCTAssertTrue(immediate.contains(.allNotesOff(channel: 1)))
        XCTAssertFalse(sim.output.events.contains { !$0.immediate && $0.tick > stopAt }, "nothing left scheduled after the stop")
    }

    func testPanicSilencesUntilThePlayerPlaysAgain() throws {
        let sim = try SimulatedSession(settings: settings())
        sim.run(call + quarters([60, 63, 65, 67], fromBar: 8), until: 100 * tps, actions: [(34 * tps, { $0.panic() })])
        let ons = sim.output.noteOns
        XCTAssertFalse(ons.contains { $0.tick > 34 * tps && $0.tick < 64 * tps }, "quiet after panic")
        XCTAssertTrue(ons.contains { $0.tick >= 64 * tps }, "answers the next call")
        XCTAssertEqual(sim.output.notes().hanging, 0)
    }

    /// Found by the property test: a call played while improv answered was lost, and improv
    /// then waited for a call that had already been made.
    func testACallPlayedOverTheAnswerIsAnsweredWhenTheAnswerIsOver() throws {
        let sim = try SimulatedSession(settings: settings())
        // The first call (slices 0-15) is answered in slices 24-39; the second call is the
        // answer's second bar (slices 32-39), over before the answer is.
        sim.run(call + quarters([72, 70, 67, 65], fromBar: 4), until: 96 * tps)
        let ons = sim.output.noteOns.map(\.tick)
        XCTAssertTrue(ons.contains { $0 >= 24 * tps && $0 < 40 * tps }, "answers the first call")
        // A bar of silence after slice 39: the second answer starts on the bar line of slice 48.
        XCTAssertEqual(ons.filter { $0 >= 40 * tps }.min(), 48 * tps, "answers the call made over the first answer")
        XCTAssertEqual(sim.output.notes().hanging, 0)
    }

    func testPassThroughForwardsThePlayerAtOnce() throws {
        var s = settings()
        s.passThrough = true
        let sim = try SimulatedSession(settings: s)
        sim.run([PlayerNote(key: 64, start: 100, end: 400)], until: 8 * tps)
        let immediate = sim.output.events.filter(\.immediate)
        XCTAssertEqual(immediate.map(\.message), [.noteOn(channel: 2, key: 64, velocity: 90), .noteOff(channel: 2, key: 64)],
                       "on the pass-through channel, not the chords' channel 0 where the player played")
        XCTAssertEqual(immediate.map(\.tick), [100, 400])
    }

    func testPassedThroughNotesNeverShareAChannelWithImprovs() throws {
        var s = settings()
        s.passThrough = true
        s.passThroughChannel = 5
        let sim = try SimulatedSession(settings: s)
        sim.run(quarters([60, 63, 65, 67, 70, 67, 65, 63]), until: 64 * tps)
        let channels = { (immediate: Bool) in
            Set(sim.output.events.filter { $0.immediate == immediate }.compactMap { e -> UInt8? in
                if case .noteOn(let c, _, _) = e.message { return c } else { return nil }
            })
        }
        XCTAssertEqual(channels(true), [5], "the player's notes")
        XCTAssertFalse(channels(false).isEmpty, "improv answered")
        XCTAssertFalse(channels(false).contains(5), "improv's notes stay off the pass-through channel")
        sim.engine.panic()
        XCTAssertTrue(sim.output.events.contains { $0.message == .allNotesOff(channel: 5) }, "panic silences the pass-through channel too")
    }
}

final class OfflineJamTests: XCTestCase {
    func testAJamAnswersEveryCallAndEndsClean() throws {
        var s = Engine.Settings()
        s.mode = .callAndResponse
        // Two calls of two bars, far enough apart for an answer in between.
        let call = quarters([60, 63, 65, 67, 70, 67, 65, 63]) + quarters([72, 70, 67, 65, 63, 60, 63, 60], fromBar: 8)
        let jam = Engine.jam(call: call, model: try ImprovModel.builtIn(), settings: s)
        let ons = jam.events.filter { if case .noteOn = $0.message { return true } else { return false } }.map(\.tick)
        XCTAssertTrue(ons.contains { (24 * 240..<40 * 240).contains($0) }, "answers the first call")
        XCTAssertTrue(ons.contains { $0 >= 96 * 240 }, "answers the second call")
        XCTAssertGreaterThanOrEqual(jam.endTick, ons.max()!)
        var open = Set<Int>()
        for e in jam.events {
            switch e.message {
            case .noteOn(let c, let k, _): open.insert(Int(c) * 128 + Int(k))
            case .noteOff(let c, let k, _): open.remove(Int(c) * 128 + Int(k))
            default: break
            }
        }
        XCTAssertTrue(open.isEmpty, "nothing hangs at the end of the jam")
    }
}
