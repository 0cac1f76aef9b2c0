import Daemon
import Engine
import Foundation
import MusicCore
import Presets
import XCTest

/// `clock.follow = "player"` in the real daemon loop: a player who drifts, pushed into the
/// embedded sequencer at the times they play; the daemon retimes the queue, and the walking
/// bass it queued sounds on the player's beat. Beside it, the same performance at the preset's
/// fixed tempo.
final class TempoFollowTests: XCTestCase {
    /// The player's beats (seconds, unjittered): 120 BPM rising to 132 (+10%) over 24 beats, held.
    static let beats: [Double] = {
        var t = 1.0, out: [Double] = []
        for k in 0..<48 {
            out.append(t)
            t += 60 / (120 + 12 * min(1, Double(k) / 24))
        }
        return out
    }()

    struct Run { var bassErrorsMs: [Double]; var log: LogBook; var tempoChanges: Int }

    func play(follow: Bool) throws -> Run {
        let preset = Rig.preset {
            $0.mode = .backing
            $0.bass = .walking
            $0.followPlayer = follow
        }
        let rig = Rig(preset)
        var rng = SeededGenerator(seed: 3)
        for (k, b) in Self.beats.enumerated() where k != 17 {   // one beat missed
            let t = b + (Double(rng.next() % 41) - 20) / 1000        // ±20 ms
            rig.sequencer.push(.noteOn(channel: 0, key: 60 + UInt8(k % 5) * 2, velocity: 90), at: t)
            rig.sequencer.push(.noteOff(channel: 0, key: 60 + UInt8(k % 5) * 2), at: t + 0.2)
        }
        try rig.run(until: Self.beats.last! + 0.3)
        // When the queue reached each tick: its tempo history from the start (120 BPM at 0 s).
        var pieces: [(tick: Double, seconds: Double, bpm: Double)] = [(0, 0, 120)]
        for c in rig.sequencer.tempoChanges {
            let p = pieces.last!
            let tick = Double(c.appliedAtTick)
            pieces.append((tick, p.seconds + (tick - p.tick) * 60 / (p.bpm * 480), c.bpm))
        }
        func seconds(atTick tick: Int) -> Double {
            let p = pieces.last { $0.tick <= Double(tick) }!
            return p.seconds + (Double(tick) - p.tick) * 60 / (p.bpm * 480)
        }
        let bass = rig.noteOns(channel: preset.bassChannel).map { seconds(atTick: $0.tick) }
            .filter { $0 >= Self.beats[8] && $0 <= Self.beats.last! }
        let errors = bass.map { t in Self.beats.map { abs($0 - t) }.min()! * 1000 }.sorted()
        XCTAssertEqual(rig.sequencer.hanging(through: .max).count, 0, "nothing left sounding")
        return Run(bassErrorsMs: errors, log: rig.log, tempoChanges: rig.sequencer.tempoChanges.count)
    }

    func testTheBassLandsOnADriftingPlayersBeat() throws {
        let followed = try play(follow: true), fixed = try play(follow: false)
        let f = followed.bassErrorsMs, x = fixed.bassErrorsMs
        XCTAssertGreaterThan(f.count, 30, "the bass walked through the performance\n\(followed.log.all)")
        let median = f[f.count / 2], p95 = f[Int(Double(f.count - 1) * 0.95)]
        print(String(format: "figure: daemon following a player 120 -> 132 BPM: bass %.1f ms from the beat (median), p95 %.1f ms; fixed tempo %.1f ms",
                     median, p95, x[x.count / 2]))
        XCTAssertLessThanOrEqual(median, 30)
        XCTAssertLessThanOrEqual(p95, 60)
        XCTAssertGreaterThan(x[x.count / 2], 3 * median, "at the preset's fixed tempo the bass drifts off the player")
        XCTAssertGreaterThan(followed.tempoChanges, 20, "the queue was retimed as the player played")
        XCTAssertEqual(fixed.tempoChanges, 0)
        XCTAssertTrue(followed.log.contains("following the player's tempo, from 120 BPM"))
        XCTAssertTrue(followed.log.contains("following the player at 1"), "the player's new tempo is logged\n\(followed.log.all)")
    }
}

/// Tap tempo: the preset's `control.tap` controller pressed four times a beat apart.
final class TapTempoTests: XCTestCase {
    func rig(following: Bool) throws -> Rig {
        let preset = try Preset(toml: """
            [session]
            tempo = 120
            key = "C"
            [clock]
            follow = \(following ? "\"player\"" : "\"off\"")
            [control]
            tap = 85
            """, file: "tap.toml")
        XCTAssertEqual(preset.tapController, 85)
        return Rig(preset)
    }

    func press(_ rig: Rig, at times: [Double]) {
        for t in times {
            rig.sequencer.push(.controlChange(channel: 0, controller: 85, value: 127), at: t)
            rig.sequencer.push(.controlChange(channel: 0, controller: 85, value: 0), at: t + 0.05)
        }
    }

    func testFourTapsABeatApartSetTheTempo() throws {
        for following in [false, true] {
            let rig = try rig(following: following)
            press(rig, at: [1.0, 1.4, 1.8, 2.2])   // 150 BPM
            try rig.run(until: 4)
            let last = try XCTUnwrap(rig.sequencer.tempoChanges.last, "the tapped tempo was set\n\(rig.log.all)")
            XCTAssertEqual(last.bpm, 150, accuracy: 1.5)
            XCTAssertTrue(rig.log.contains("tap tempo: 15"), rig.log.all)
            XCTAssertEqual(rig.daemon.tempoBPM, 150, accuracy: 1.5)
        }
    }

    func testUnevenTapsChangeNothingAndSaySo() throws {
        let rig = try rig(following: false)
        press(rig, at: [1.0, 1.4, 2.2, 2.6])   // one gap twice the others
        try rig.run(until: 4)
        XCTAssertTrue(rig.sequencer.tempoChanges.isEmpty, "\(rig.sequencer.tempoChanges)")
        XCTAssertTrue(rig.log.contains("tap tempo: count-in: taps"), rig.log.all)
        XCTAssertEqual(rig.daemon.tempoBPM, 120)
    }

    func testAPauseStartsTheCountAgain() throws {
        let rig = try rig(following: false)
        // Two presses, a pause of three seconds, then four presses at 100 BPM.
        press(rig, at: [0.5, 0.9, 3.9, 4.5, 5.1, 5.7])
        try rig.run(until: 7)
        XCTAssertEqual(rig.sequencer.tempoChanges.count, 1, "\(rig.sequencer.tempoChanges)\n\(rig.log.all)")
        XCTAssertEqual(rig.sequencer.tempoChanges.last?.bpm ?? 0, 100, accuracy: 1)
    }
}
