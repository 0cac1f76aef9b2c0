import Foundation
import MusicCore
import StandardMIDI
import XCTest

/// `clock.follow = "player"` in an offline jam: a player who drifts from 132 to 142 BPM over a
/// preset at 120, jittered ±20 ms; the band's bass, played back through the written tempo map,
/// lands on the player's beats. With the tempo fixed it does not.
final class TempoFollowingTests: XCTestCase {
    /// The true beats (seconds) and the call: quarter notes at 120 BPM nominal ticks (960 a second).
    func driftingCall(in dir: URL) throws -> (path: String, beats: [Double]) {
        var rng = SeededGenerator(seed: 3)
        var beats: [Double] = []
        var t = 0.1
        for i in 0..<48 {
            beats.append(t)
            t += 60 / (132 + 10 * Double(i) / 47)
        }
        var events: [(Int, Int, MIDIEvent)] = []
        let scale: [UInt8] = [60, 62, 64, 67, 69, 72, 69, 67]
        for (i, b) in beats.enumerated() {
            let on = b + (Double(rng.next() % 41) - 20) / 1000
            events.append((Int((on * 960).rounded()), 1, .noteOn(channel: 0, key: scale[i % 8], velocity: 80)))
            events.append((Int(((on + 0.3) * 960).rounded()), 0, .noteOff(channel: 0, key: scale[i % 8], velocity: 0)))
        }
        events.sort { ($0.0, $0.1) < ($1.0, $1.1) }
        let track = MIDITrack(events: [MIDITrackEvent(tick: 0, event: .tempo(microsecondsPerQuarter: 500_000))]
            + events.map { MIDITrackEvent(tick: UInt64($0.0), event: $0.2) })
        let path = dir.appendingPathComponent("drift.mid").path
        try MIDIFile(format: 0, ticksPerQuarter: 480, tracks: [track]).write(path: path)
        return (path, beats)
    }

    /// Seconds of each bass note-on in a written jam, through its tempo events.
    func bassOnsets(_ file: MIDIFile) throws -> [Double] {
        var tempo: [(tick: UInt64, us: UInt32)] = []
        for track in file.tracks { for e in track.events { if case .tempo(let us) = e.event { tempo.append((e.tick, us)) } } }
        tempo.sort { $0.tick < $1.tick }
        let ppq = Double(file.ticksPerQuarter)
        func seconds(_ tick: UInt64) -> Double {
            var s = 0.0, last: UInt64 = 0, us: UInt32 = 500_000
            for (t, u) in tempo where t <= tick {
                s += Double(t - last) * Double(us) / 1e6 / ppq
                last = t
                us = u
            }
            return s + Double(tick - last) * Double(us) / 1e6 / ppq
        }
        let bass = try XCTUnwrap(file.tracks.first { $0.name == "improv bass" })
        return bass.events.compactMap { e in
            if case .noteOn(_, _, let v) = e.event, v > 0 { return seconds(e.tick) }
            return nil
        }
    }

    func errors(_ onsets: [Double], _ beats: [Double]) -> (median: Double, p95: Double) {
        let e = onsets.filter { $0 >= beats[8] && $0 <= beats.last! }
            .map { o in beats.map { abs($0 - o) }.min()! * 1000 }.sorted()
        return (e[e.count / 2], e[min(e.count - 1, e.count * 95 / 100)])
    }

    func testTheBandFollowsADriftingPlayer() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (call, beats) = try driftingCall(in: dir)
        let base = """
            [session]
            mode = "backing"
            tempo = 120
            [band]
            drums = "swing"
            bass = "walking"
            comping = "rootless"

            """
        var results: [String: (median: Double, p95: Double)] = [:]
        for follow in ["player", "off"] {
            let preset = dir.appendingPathComponent("\(follow).toml").path
            try (base + "[clock]\nfollow = \"\(follow)\"\n").write(toFile: preset, atomically: true, encoding: .utf8)
            let out = dir.appendingPathComponent("\(follow).mid").path
            let r = try CLI.run(["jam", "--preset", preset, "--call", call, "--midi", out, "--seed", "1"])
            XCTAssertEqual(r.status, 0, r.stderr)
            let onsets = try bassOnsets(try MIDIFile.read(path: out))
            XCTAssertGreaterThan(onsets.count, 30)
            results[follow] = errors(onsets, beats)
        }
        let followed = try XCTUnwrap(results["player"]), fixed = try XCTUnwrap(results["off"])
        XCTAssertLessThanOrEqual(followed.median, 30, "the bass on the player's beat: \(followed)")
        XCTAssertLessThanOrEqual(followed.p95, 60, "\(followed)")
        XCTAssertGreaterThan(fixed.median, 60, "at a fixed tempo it drifts off the player's beat: \(fixed)")
    }
}
