import Engine
import MusicCore
import XCTest

/// The live driver's half of tempo following: a queue whose tempo LiveTempo steers, stamping the
/// player's note-ons in its own ticks, as the ALSA queue does. What is played ahead at a queue
/// beat sounds when the queue reaches it; that must be on the player's beat.
final class LiveTempoTests: XCTestCase {
    /// A queue that runs at a tempo set from time to time: its history, for when it reached a tick.
    struct Queue {
        var pieces: [(seconds: Double, tick: Double, bpm: Double)]
        init(bpm: Double) { pieces = [(0, 0, bpm)] }
        static let ppq = 480.0
        func tick(at seconds: Double) -> Double {
            let p = pieces.last { $0.seconds <= seconds }!
            return p.tick + (seconds - p.seconds) * p.bpm * Self.ppq / 60
        }
        func seconds(atTick tick: Double) -> Double {
            let p = pieces.last { $0.tick <= tick }!
            return p.seconds + (tick - p.tick) * 60 / (p.bpm * Self.ppq)
        }
        mutating func setTempo(_ bpm: Double, at seconds: Double) { pieces.append((seconds, tick(at: seconds), bpm)) }
    }

    /// A player at 120 BPM whose tempo drifts by ±`drift` over 16 bars, onsets jittered ±25 ms,
    /// a quarter a beat, one beat missed and one extra note: the player's beats (seconds,
    /// unjittered) and the note-ons (seconds).
    func performance(drift: Double, seed: UInt64, beats: Int = 64) -> (beats: [Double], onsets: [Double], tempo: [Double]) {
        var rng = SeededGenerator(seed: seed)
        var beatTimes: [Double] = [], tempo: [Double] = []
        var t = 1.0
        for k in 0..<beats {
            let ratio = 1 + drift * sin(2 * .pi * Double(k) / 64)
            beatTimes.append(t)
            tempo.append(120 * ratio)
            t += 60 / (120 * ratio)
        }
        var onsets: [Double] = []
        for (k, b) in beatTimes.enumerated() where k != 21 {
            onsets.append(b + Double.random(in: -0.025...0.025, using: &rng))
            if k == 30 { onsets.append(b + 0.17) }   // a stray note between beats
        }
        return (beatTimes, onsets, tempo)
    }

    /// Plays the performance into a queue steered by LiveTempo (or left at the preset's tempo).
    /// Returns, for each of the player's beats from the 8th, how far (ms) the queue's matching
    /// beat was from it, and the tracker's tempo error at each onset from the 8th beat.
    func run(drift: Double, seed: UInt64, follow: Bool) -> (beatErrorsMs: [Double], tempoErrors: [Double]) {
        let grid = TimeGrid(ticksPerQuarter: 480, tempoBPM: 120)
        let perf = performance(drift: drift, seed: seed)
        var live = LiveTempo(grid: grid)
        var queue = Queue(bpm: 120)
        var tempoErrors: [Double] = []
        for (i, t) in perf.onsets.enumerated() {
            // Tempo changes the queue reaches before this note (the driver wakes for them).
            while follow, let change = live.nextChange, queue.seconds(atTick: Double(change)) <= t {
                let at = queue.seconds(atTick: Double(change))
                if let bpm = live.reached(queueTick: change) { queue.setTempo(bpm, at: at) }
            }
            let stamp = Int(queue.tick(at: t).rounded())
            if follow, let bpm = live.noteOn(atQueueTick: stamp) { queue.setTempo(bpm, at: t) }
            let beat = perf.beats.lastIndex { $0 <= t + 0.1 } ?? 0
            if follow, beat >= 8, i < perf.onsets.count - 1 {
                tempoErrors.append(abs(live.playerBPM - perf.tempo[beat]) / perf.tempo[beat])
            }
        }
        // The player's first beat is the queue's beat 2 (it came in a second after the start).
        let errors = perf.beats.enumerated().dropFirst(8).dropLast().map { k, b in
            abs(queue.seconds(atTick: Double((k + 2) * 480)) - b) * 1000
        }
        return (errors, tempoErrors)
    }

    func median(_ x: [Double]) -> Double { x.sorted()[x.count / 2] }
    func p95(_ x: [Double]) -> Double { x.sorted()[Int(Double(x.count - 1) * 0.95)] }

    func testTheQueueLandsOnADriftingPlayersBeat() {
        var followed: [Double] = [], fixed: [Double] = [], tempo: [Double] = []
        for seed in 1...10 as ClosedRange<UInt64> {
            let f = run(drift: 0.08, seed: seed, follow: true)
            followed += f.beatErrorsMs
            tempo += f.tempoErrors
            fixed += run(drift: 0.08, seed: seed, follow: false).beatErrorsMs
        }
        print(String(format: "figure: live queue on a ±8%% drifting player: beat error median %.1f ms, p95 %.1f ms, tempo error median %.2f%%; fixed tempo median %.1f ms",
                     median(followed), p95(followed), median(tempo) * 100, median(fixed)))
        XCTAssertLessThanOrEqual(median(followed), 30, "median beat error, following")
        XCTAssertLessThanOrEqual(p95(followed), 60, "p95 beat error, following")
        XCTAssertLessThanOrEqual(median(tempo), 0.02, "median tempo error after 8 beats")
        // The preset's fixed tempo drifts away from such a player by far more.
        XCTAssertGreaterThan(median(fixed), 3 * median(followed), "fixed-tempo baseline")
    }

    func testAPlayerTwentyPercentFasterIsFollowed() {
        let grid = TimeGrid(ticksPerQuarter: 480, tempoBPM: 100)
        var live = LiveTempo(grid: grid)
        var queue = Queue(bpm: 100)
        // The player plays at 120 against the preset's 100, from the start.
        for k in 0..<32 {
            let t = 1.0 + Double(k) * 0.5
            while let change = live.nextChange, queue.seconds(atTick: Double(change)) <= t {
                let at = queue.seconds(atTick: Double(change))
                if let bpm = live.reached(queueTick: change) { queue.setTempo(bpm, at: at) }
            }
            if let bpm = live.noteOn(atQueueTick: Int(queue.tick(at: t).rounded())) { queue.setTempo(bpm, at: t) }
        }
        XCTAssertEqual(live.playerBPM, 120, accuracy: 2.4)
        XCTAssertEqual(queue.pieces.last!.bpm, 120, accuracy: 2.4)
        // The queue's beat is on the player's: the last note (at 16.5 s) on a whole beat.
        let last = queue.tick(at: 16.5) / 480
        XCTAssertEqual(last, last.rounded(), accuracy: 0.06)
    }

    func testChordNotesAndAStillPlayerDoNotMoveTheTempo() {
        var live = LiveTempo(grid: TimeGrid(ticksPerQuarter: 480, tempoBPM: 120))
        _ = live.noteOn(atQueueTick: 960)
        // Two more notes of the same chord, 10 ms apart: one onset.
        XCTAssertNil(live.noteOn(atQueueTick: 970))
        XCTAssertNil(live.noteOn(atQueueTick: 980))
        XCTAssertEqual(live.tracker.onsetCount, 1)
        // Nothing more played: no change falls due, the tempo stays the preset's.
        XCTAssertNil(live.reached(queueTick: 100_000))
        XCTAssertEqual(live.queueBPM, 120, accuracy: 0.5)
    }
}
