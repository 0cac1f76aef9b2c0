@testable import Engine
import MusicCore
import XCTest

/// A player for the beat tracker: notes at beat positions, played at a tempo that may drift,
/// each onset jittered (seeded), all in nominal ticks of a 120 BPM, PPQ 480 preset.
struct TappingPlayer {
    var grid = TimeGrid(ticksPerQuarter: 480, tempoBPM: 120)
    /// The player's tempo ratio at a beat (1: the preset's).
    var ratio: (Double) -> Double = { _ in 1 }
    var jitterMs = 20.0
    var seed: UInt64 = 1

    var ticksPerMs: Double { Double(grid.ticksPerQuarter) * grid.tempoBPM / 60_000 }

    /// The nominal tick of the player's beat position b (before jitter).
    func tick(ofBeat b: Double) -> Double {
        let steps = Int((b * 32).rounded(.up))
        guard steps > 0 else { return 0 }
        let h = b / Double(steps)
        var t = 0.0
        for i in 0..<steps { t += 480 / ratio((Double(i) + 0.5) * h) * h }
        return t
    }

    /// Onset ticks of notes at these beat positions, jittered.
    func onsets(_ beats: [Double]) -> [Int] {
        var rng = SeededGenerator(seed: seed)
        return beats.map { b in
            let j = jitterMs > 0 ? Double.random(in: -jitterMs...jitterMs, using: &rng) * ticksPerMs : 0
            return max(0, Int((tick(ofBeat: b) + j).rounded()))
        }.sorted()
    }

    /// Quarters and eighth pairs in turn: beat 0, 1, 1.5, 2, 3, 3.5, ...
    static func mixed(beats: Int) -> [Double] {
        var out: [Double] = []
        for b in 0..<beats {
            out.append(Double(b))
            if b % 2 == 1 { out.append(Double(b) + 0.5) }
        }
        return out
    }
}

final class BeatTrackerTests: XCTestCase {
    let grid = TimeGrid(ticksPerQuarter: 480, tempoBPM: 120)
    /// Nominal ticks a millisecond at 120 BPM, PPQ 480.
    let perMs = 0.96

    func feed(_ onsets: [Int], into tracker: inout BeatTracker) {
        for t in onsets { tracker.onset(atTick: t) }
    }

    /// How far (ms) the tracker's beat k lands from the player's true beat k.
    func beatError(_ tracker: BeatTracker, _ player: TappingPlayer, beat k: Int) -> Double {
        (tracker.tickValue(atBeatPosition: Double(k)) - player.tick(ofBeat: Double(k))) / perMs
    }

    func testSteadyTempoLocks() {
        let player = TappingPlayer()
        var tracker = BeatTracker(grid: grid)
        feed(player.onsets(TappingPlayer.mixed(beats: 32)), into: &tracker)
        XCTAssertEqual(tracker.tempoRatio, 1, accuracy: 0.01)
        XCTAssertLessThan(abs(beatError(tracker, player, beat: 33)), 15)
        XCTAssertEqual(tracker.extraCount, 0, "no note of a steady player is an extra note")
        let next = tracker.nextBeat(afterTick: player.onsets([31.5]).last! + 10)
        XCTAssertEqual(next.position, 32)
        XCTAssertEqual(Double(next.tick), player.tick(ofBeat: 32), accuracy: 20 * perMs)
    }

    func testTenPercentFasterPlayerIsFollowedWithinEightBeats() {
        for seed in 1...5 as ClosedRange<UInt64> {
            let player = TappingPlayer(ratio: { _ in 1.1 }, seed: seed)
            var tracker = BeatTracker(grid: grid)
            feed(player.onsets(TappingPlayer.mixed(beats: 9)), into: &tracker)
            XCTAssertEqual(tracker.tempoRatio / 1.1, 1, accuracy: 0.02, "seed \(seed): tempo after 8 beats")
            XCTAssertLessThan(abs(beatError(tracker, player, beat: 10)), 30, "seed \(seed): the next beat")
        }
    }

    func testAMissedBeatDoesNotMoveThePhase() {
        let player = TappingPlayer()
        let beats = (0..<24).map(Double.init)
        var all = BeatTracker(grid: grid), missing = BeatTracker(grid: grid)
        let onsets = player.onsets(beats)
        feed(onsets, into: &all)
        feed(onsets.enumerated().filter { $0.offset != 12 }.map(\.element), into: &missing)
        let a = all.tickValue(atBeatPosition: 24), m = missing.tickValue(atBeatPosition: 24)
        XCTAssertLessThan(abs(a - m) / perMs, 5, "a missed beat moves beat 24 by \(abs(a - m) / perMs) ms")
    }

    func testAnExtraNoteDoesNotMoveThePhase() {
        let player = TappingPlayer()
        let beats = TappingPlayer.mixed(beats: 24)
        let onsets = player.onsets(beats)
        var clean = BeatTracker(grid: grid)
        feed(onsets, into: &clean)
        for offset in [0.2, 0.3, 0.7, 0.8, 0.4] {
            var tracker = BeatTracker(grid: grid)
            let extra = Int(player.tick(ofBeat: 12 + offset).rounded())
            feed((onsets + [extra]).sorted(), into: &tracker)
            let moved = abs(tracker.tickValue(atBeatPosition: 24) - clean.tickValue(atBeatPosition: 24)) / perMs
            XCTAssertLessThan(moved, 6, "an extra note at beat 12 + \(offset) moves beat 24 by \(moved) ms")
        }
    }

    func testEighthsDoNotHalveTheTempo() {
        for ratio in [0.9, 1.0, 1.1] {
            let player = TappingPlayer(ratio: { _ in ratio })
            var tracker = BeatTracker(grid: grid)
            feed(player.onsets((0..<64).map { Double($0) / 2 }), into: &tracker)
            XCTAssertEqual(tracker.tempoRatio, ratio, accuracy: 0.02 * ratio, "straight eighths at \(ratio)")
            XCTAssertLessThan(abs(beatError(tracker, player, beat: 33)), 25)
        }
    }

    func testAChordIsOneOnset() {
        var tracker = BeatTracker(grid: grid)
        XCTAssertEqual(tracker.onset(atTick: 0), .first)
        XCTAssertEqual(tracker.onset(atTick: 480), .beat)
        XCTAssertEqual(tracker.onset(atTick: 490), .sameOnset)
        XCTAssertEqual(tracker.onset(atTick: 494), .sameOnset)
        XCTAssertEqual(tracker.onset(atTick: 720), .offBeat)
        XCTAssertEqual(tracker.onsetCount, 3)
    }

    func testSwungEighthsAreOffBeatsAndTheSwingIsHeard() {
        let player = TappingPlayer(jitterMs: 10)
        var tracker = BeatTracker(grid: grid)
        let swung: [Double] = (0..<32).flatMap { (b: Int) -> [Double] in [Double(b), Double(b) + 2.0 / 3] }
        feed(player.onsets(swung), into: &tracker)
        XCTAssertEqual(tracker.tempoRatio, 1, accuracy: 0.015)
        XCTAssertEqual(tracker.swingRatio, 2.0 / 3, accuracy: 0.04)
        XCTAssertLessThan(abs(beatError(tracker, player, beat: 33)), 20)
    }

    func testCountInGivesTempoAndPhase() throws {
        // Four taps at 96 BPM on a 120 BPM preset: 600 nominal ticks apart.
        let countIn = try TappedCountIn(taps: [1000, 1605, 2195, 2800])
        XCTAssertEqual(countIn.ticksPerBeat, 600, accuracy: 5)
        XCTAssertEqual(countIn.firstBeatTick, 3400, accuracy: 10)
        XCTAssertEqual(countIn.tempoRatio(nominalTicksPerBeat: 480), 0.8, accuracy: 0.01)
        let tracker = BeatTracker(grid: grid, countIn: countIn)
        XCTAssertEqual(tracker.tempoRatio, 0.8, accuracy: 0.01)
        XCTAssertEqual(tracker.beatPosition(atTick: 3400), 0, accuracy: 0.02)
        XCTAssertEqual(tracker.nextBeat(afterTick: 2900).position, 0)
        XCTAssertEqual(Double(tracker.tick(atBeatPosition: 4)), 3400 + 4 * 600, accuracy: 20)

        // Then the player plays on at that tempo and is followed from beat 0.
        let player = TappingPlayer(ratio: { _ in 0.8 })
        var following = tracker
        feed(player.onsets(TappingPlayer.mixed(beats: 16)).map { $0 + 3400 }, into: &following)
        XCTAssertEqual(following.tempoRatio, 0.8, accuracy: 0.012)
        XCTAssertEqual(following.beatPosition(atTick: 3400 + Int(player.tick(ofBeat: 16))), 16, accuracy: 0.05)
    }

    func testCountInErrorsNameTheTap() {
        XCTAssertThrowsError(try TappedCountIn(taps: [100])) { XCTAssertEqual($0 as? TappedCountIn.Failure, .tooFewTaps(count: 1)) }
        XCTAssertThrowsError(try TappedCountIn(taps: [0, 500, 400, 1500])) {
            XCTAssertEqual($0 as? TappedCountIn.Failure, .notIncreasing(index: 2, tick: 400, previous: 500))
            XCTAssertTrue("\($0)".contains("tap 3 at tick 400"), "\($0)")
        }
        XCTAssertThrowsError(try TappedCountIn(taps: [0, 500, 1000, 1900])) {
            XCTAssertEqual($0 as? TappedCountIn.Failure, .uneven(index: 2, interval: 900, median: 500))
        }
    }

    func testTapsAsTheyArrive() throws {
        var taps = TappedCountIn.Taps(chordWindowTicks: 48)
        XCTAssertNil(taps.tap(atTick: 0))
        XCTAssertNil(taps.tap(atTick: 10), "a second note of the same tap")
        XCTAssertNil(taps.tap(atTick: 400))
        XCTAssertNil(taps.tap(atTick: 800))
        let countIn = try XCTUnwrap(taps.tap(atTick: 1200)).get()
        XCTAssertEqual(countIn.ticksPerBeat, 400, accuracy: 1)
        XCTAssertEqual(countIn.firstBeatTick, 1600, accuracy: 1)
        // Uneven taps: an error, and the count starts again from the last tap.
        for t in [2000, 2400, 2800] { XCTAssertNil(taps.tap(atTick: t)) }
        guard case .failure(.uneven) = taps.tap(atTick: 4000) else { return XCTFail("uneven taps accepted") }
        XCTAssertEqual(taps.count, 1)
    }

    func testSilenceHoldsTheTempo() {
        let player = TappingPlayer(ratio: { _ in 1.1 })
        var tracker = BeatTracker(grid: grid)
        feed(player.onsets(TappingPlayer.mixed(beats: 16)), into: &tracker)
        let held = tracker.tempoRatio
        // Eight beats of silence: the map plays on at the player's tempo.
        let gapEnd = Int(player.tick(ofBeat: 24))
        XCTAssertEqual(tracker.tempoRatio, held)
        XCTAssertEqual(tracker.playbackTempoRatio(atTick: gapEnd), held, accuracy: 1e-9)
        XCTAssertEqual(tracker.beatPosition(atTick: gapEnd), 24, accuracy: 0.1)
        // The player comes back on the beat: taken as a beat, and followed.
        XCTAssertEqual(tracker.onset(atTick: gapEnd), .beat)
        feed(player.onsets((25..<32).map(Double.init)), into: &tracker)
        XCTAssertEqual(tracker.tempoRatio, 1.1, accuracy: 0.02)
        XCTAssertLessThan(abs(beatError(tracker, player, beat: 32)), 25)
    }

    func testAPlayerWhoMovesIsFollowedToTheNearestWholeBeat() {
        // A steady player, who after a silence comes back a third of a beat late and stays there.
        var tracker = BeatTracker(grid: grid)
        feed((0..<16).map { $0 * 480 }, into: &tracker)
        let back = (24..<40).map { $0 * 480 + 160 }
        feed(back, into: &tracker)
        let p = tracker.beatPosition(atTick: 40 * 480 + 160)
        XCTAssertEqual(p, 40, accuracy: 0.08, "the moved player's beats are whole beats again")
    }

    func testNoJumpsOverALongDriftingPerformance() {
        // 64 bars: the tempo swings ±15% and ramps, every note jittered 25 ms, with notes missed
        // and extra ones: the musical position never jumps and never loses or gains a beat.
        let drift: (Double) -> Double = { b in 1 + 0.15 * sin(2 * .pi * b / 96) + 0.05 * b / 256 }
        let player = TappingPlayer(ratio: drift, jitterMs: 25, seed: 9)
        var rng = SeededGenerator(seed: 3)
        var beats = TappingPlayer.mixed(beats: 256).filter { _ in Double.random(in: 0..<1, using: &rng) > 0.05 }
        for _ in 0..<8 { beats.append(Double(Int.random(in: 8..<250, using: &rng)) + Double.random(in: 0..<1, using: &rng)) }
        let onsets = player.onsets(beats)
        var tracker = BeatTracker(grid: grid)
        var last = -Double.infinity
        var lastTick = -20
        var k = 1
        for t in onsets {
            // Playback from the last onset to this one: increasing, never faster than twice the preset.
            for probe in stride(from: lastTick + 20, through: t, by: 20) {
                let p = tracker.beatPosition(atTick: probe)
                XCTAssertGreaterThan(p, last, "position went back at tick \(probe)")
                if last > -.infinity { XCTAssertLessThan(p - last, 20.0 / 480 * 2 + 1e-9) }
                last = p
            }
            // Where playback puts each true beat as the clock passes it.
            while Double(t) >= player.tick(ofBeat: Double(k)), k < 256 {
                XCTAssertEqual(tracker.beatPosition(at: player.tick(ofBeat: Double(k))), Double(k), accuracy: 0.2,
                               "beat \(k) lost or gained")
                k += 1
            }
            let before = tracker.beatPosition(atTick: t)
            tracker.onset(atTick: t)
            XCTAssertEqual(tracker.beatPosition(atTick: t), before, accuracy: 1e-6, "an onset moved the position at once")
            last = tracker.beatPosition(atTick: t)
            lastTick = t
        }
        XCTAssertGreaterThan(k, 250)
    }

    func testBeatMapKeepsWhatPlaybackDid() {
        let player = TappingPlayer(ratio: { b in 1 + 0.1 * b / 32 })
        var tracker = BeatTracker(grid: grid)
        var map = BeatMap(tracker)
        var seen: [(tick: Int, position: Double)] = []
        for t in player.onsets(TappingPlayer.mixed(beats: 32)) {
            seen.append((t, tracker.beatPosition(atTick: t)))
            tracker.onset(atTick: t)
            map.record(tracker)
        }
        for s in seen { XCTAssertEqual(map.beatPosition(atTick: Double(s.tick)), s.position, accuracy: 1e-6) }
        for s in seen { XCTAssertEqual(map.tick(atBeatPosition: s.position), Double(s.tick), accuracy: 1e-3) }
        let events = map.tempoEvents(nominalBPM: 120)
        XCTAssertEqual(events.first?.tick, 0)
        XCTAssertEqual(events.map(\.tick), events.map(\.tick).sorted())
        // The player ends 10% fast: the last tempo is near 132 BPM (454545 µs a quarter).
        XCTAssertEqual(TimeGrid.bpm(microsecondsPerQuarter: events.last!.microsecondsPerQuarter), 132, accuracy: 3)
    }
}
