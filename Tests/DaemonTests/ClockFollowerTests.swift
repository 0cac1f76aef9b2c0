import XCTest
import Daemon

/// The external clock as the daemon follows it (the real thing runs in Tests/vm, j and q).
final class ClockFollowerTests: XCTestCase {
    /// Feeds clocks at `bpm` from `start` for `beats`; returns the tempi taken and the end time.
    func feed(_ f: inout ClockFollower, bpm: Double, beats: Double, from start: Double, current: inout Double,
              jitter: Double = 0, seed: UInt64 = 1) -> (taken: [Double], end: Double) {
        var rng = seed
        let dt = 60 / bpm / 24
        var taken: [Double] = []
        var t = start
        for _ in 0..<Int(beats * 24) {
            rng = rng &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let wobble = (Double(rng >> 11) / Double(1 << 53) - 0.5) * 2 * jitter
            if let bpm = f.clock(at: t + wobble, current: current) { taken.append(bpm); current = bpm }
            t += dt
        }
        return (taken, t)
    }

    func testFollowsASteadyClockOnceAndThenHoldsStill() {
        var f = ClockFollower(), current = 120.0
        let (taken, _) = feed(&f, bpm: 90, beats: 16, from: 0, current: &current, jitter: 0.002)
        XCTAssertEqual(taken.count, 1, "one change, not one per clock: \(taken)")
        XCTAssertEqual(current, 90, accuracy: 1)
    }

    func testFollowsAJumpWithinTwoBeats() {
        var f = ClockFollower(), current = 120.0
        let first = feed(&f, bpm: 120, beats: 4, from: 0, current: &current)
        XCTAssertEqual(first.taken, [], "the tempo in force is not taken again")
        var t = first.end
        var beats = 0
        while abs(current - 150) > 1.5, beats < 8 {
            t = feed(&f, bpm: 150, beats: 1, from: t, current: &current).end
            beats += 1
        }
        XCTAssertEqual(current, 150, accuracy: 1.5)
        XCTAssertLessThanOrEqual(beats, 2)
    }

    func testABurstAfterAStallDoesNotMoveTheTempo() {
        var f = ClockFollower(), current = 120.0
        var (_, t) = feed(&f, bpm: 120, beats: 4, from: 0, current: &current)
        // The reader stalls 300 ms, then gets the 14 clocks of that time all at once.
        t += 0.3
        for _ in 0..<14 { XCTAssertNil(f.clock(at: t, current: current), "a burst changed the tempo") }
        let (taken, _) = feed(&f, bpm: 120, beats: 4, from: t + 0.3 / 14, current: &current)
        XCTAssertEqual(taken, [], "the tempo moved after a stall: \(taken)")
        XCTAssertEqual(current, 120)
    }

    func testStartAndStopMeasureAfresh() {
        var f = ClockFollower(), current = 120.0
        var (_, t) = feed(&f, bpm: 100, beats: 4, from: 0, current: &current)
        f.reset()
        XCTAssertNil(f.clock(at: t + 3, current: current), "one clock after a start is no tempo")
        t = feed(&f, bpm: 140, beats: 3, from: t + 3, current: &current).end
        XCTAssertEqual(current, 140, accuracy: 1.5)
    }
}
