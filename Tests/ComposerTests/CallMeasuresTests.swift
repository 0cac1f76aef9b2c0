import Composer
import MusicCore
import XCTest

final class CallMeasuresTests: XCTestCase {
    let tps = 240 // an eighth at PPQ 480

    /// Notes from (pitch, start slice, length in slices), at velocity 90 unless given.
    func notes(_ spec: [(UInt8, Int, Int)], velocities: [UInt8]? = nil) -> [MelodyNote] {
        spec.enumerated().map { i, s in
            MelodyNote(pitch: s.0, velocity: velocities?[i] ?? 90, start: s.1 * tps, end: (s.1 + s.2) * tps)
        }
    }

    /// A C blues lick: eighths and a quarter, a blue fifth, onsets not all evenly spaced.
    var lick: [MelodyNote] {
        notes([(67, 0, 1), (70, 1, 1), (72, 2, 2), (75, 4, 1), (77, 5, 1), (78, 6, 1), (77, 7, 2), (75, 9, 1), (72, 10, 1),
               (70, 11, 3), (67, 14, 1), (72, 15, 4)],
              velocities: [84, 68, 90, 74, 96, 108, 88, 72, 94, 70, 80, 100])
    }

    // MARK: The baselines and what a user relies on

    func testAnEchoReusesEverythingAndAddsNothing() {
        let echo = CallBaselines.echo(lick, at: 4 * 1920)
        XCTAssertEqual(echo.first?.start, 4 * 1920, "moved to where the answer starts")
        let m = CallMeasures(call: lick, answer: echo, ticksPerSlice: tps, key: .c)
        XCTAssertEqual(m.intervalReuse, 1)
        XCTAssertEqual(m.novelty, 0)
        XCTAssertEqual(m.rhythmReuse, 1)
        XCTAssertEqual(m.registerDistance, 0)
        XCTAssertEqual(m.pitchClassCorrelation, 1, accuracy: 1e-12)
        XCTAssertEqual(m.inKey, 1, "G Bb C Eb F Gb: all in C with its blue notes")
        XCTAssertEqual(m.distinctVelocities, 12)
        XCTAssertEqual(m.answerDurations, m.callDurations)
        XCTAssertGreaterThan(m.callIntervalPatterns, 5)
        XCTAssertGreaterThan(m.callRhythmPatterns, 3)
    }

    func testATransposedCopyKeepsItsShapeButLeavesTheKey() {
        // C D E F G A B C up a semitone: C# D# F F# G# A# C C#; C# (twice) and G# are out of C.
        let scale = notes([(60, 0, 1), (62, 1, 1), (64, 2, 2), (65, 4, 1), (67, 5, 1), (69, 6, 2), (71, 8, 1), (72, 9, 2)])
        let up = scale.map { MelodyNote(pitch: $0.pitch + 1, velocity: $0.velocity, start: $0.start + 3840, end: $0.end + 3840) }
        let echo = CallMeasures(call: scale, answer: scale, ticksPerSlice: tps, key: .c)
        let moved = CallMeasures(call: scale, answer: up, ticksPerSlice: tps, key: .c)
        XCTAssertEqual(moved.intervalReuse, 1)
        XCTAssertEqual(moved.novelty, 0)
        XCTAssertEqual(moved.rhythmReuse, 1)
        XCTAssertEqual(moved.registerDistance, 1)
        XCTAssertEqual(echo.inKey, 1)
        XCTAssertEqual(moved.inKey, 5.0 / 8)
        XCTAssertLessThan(moved.pitchClassCorrelation, echo.pitchClassCorrelation)
    }

    func testARandomWalkReusesLittleOfTheCall() {
        var reuse: [Double] = []
        for seed in UInt64(1)...8 {
            let walk = CallBaselines.randomWalk(call: lick, key: .c, ticksPerSlice: tps, seed: seed, at: 1920 * 4)
            XCTAssertEqual(walk.count, lick.count, "as many notes as the call")
            XCTAssertTrue(walk.allSatisfy { Scale.contains(Scale.mask([0, 2, 4, 7, 9]), pitch: $0.pitch, key: .c) }, "on C major pentatonic")
            XCTAssertTrue(walk.allSatisfy { (67...79).contains($0.pitch) }, "in the call's register (67-78, mean 72.7, so 67-79): \(walk.map(\.pitch))")
            XCTAssertTrue(walk.allSatisfy { [tps, 2 * tps].contains($0.duration) }, "eighths and quarters")
            XCTAssertEqual(Set(walk.map(\.velocity)), [85], "one velocity: the call's mean, 1024 / 12")
            XCTAssertEqual(zip(walk, walk.dropFirst()).filter { $0.end != $1.start }.count, 0, "back to back")
            let steps = zip(walk, walk.dropFirst()).map { abs(Int($1.pitch) - Int($0.pitch)) }
            XCTAssertTrue(steps.allSatisfy { $0 <= 5 }, "at most two pentatonic degrees: \(steps)")
            reuse.append(CallMeasures(call: lick, answer: walk, ticksPerSlice: tps, key: .c).intervalReuse)
        }
        XCTAssertLessThan(reuse.reduce(0, +) / Double(reuse.count), 0.3, "\(reuse)")
        let a = CallBaselines.randomWalk(call: lick, key: .c, ticksPerSlice: tps, seed: 5, at: 0)
        XCTAssertEqual(a, CallBaselines.randomWalk(call: lick, key: .c, ticksPerSlice: tps, seed: 5, at: 0), "same seed, same walk")
        XCTAssertNotEqual(a, CallBaselines.randomWalk(call: lick, key: .c, ticksPerSlice: tps, seed: 6, at: 0))
        let minor = CallBaselines.randomWalk(call: lick, key: Key(tonic: 9, minor: true), ticksPerSlice: tps, seed: 5, at: 0)
        XCTAssertTrue(minor.allSatisfy { Scale.contains(Scale.mask([0, 3, 5, 7, 10]), pitch: $0.pitch, key: Key(tonic: 9, minor: true)) },
                      "A minor: on A minor pentatonic")
    }

    // MARK: Each measure on a small example worked by hand

    func testInKeyCountsTheScaleAndItsBlueNotes() {
        let major = notes([(60, 0, 1), (61, 1, 1), (63, 2, 1), (66, 3, 1), (68, 4, 1), (70, 5, 1)]) // C Db Eb F# Ab Bb
        XCTAssertEqual(CallMeasures(call: major, answer: major, ticksPerSlice: tps, key: .c).inKey, 4.0 / 6, "Db and Ab are out")
        // In A minor: A, C# (out), F, G#, F#, Eb (b5), Bb (out).
        let minor = notes([(69, 0, 1), (73, 1, 1), (77, 2, 1), (80, 3, 1), (78, 4, 1), (75, 5, 1), (70, 6, 1)])
        XCTAssertEqual(CallMeasures(call: minor, answer: minor, ticksPerSlice: tps, key: Key(tonic: 9, minor: true)).inKey, 5.0 / 7)
        XCTAssertEqual(CallMeasures.keyScale(.c).nonzeroBitCount, 10)
        XCTAssertEqual(CallMeasures.keyScale(Key(tonic: 0, minor: true)).nonzeroBitCount, 10)
    }

    func testTheKeyIsEstimatedFromTheCallWhenNoneIsGiven() {
        // A minor triad and scale, heavy on A and E: estimated A minor, so G# counts and C# does not.
        let call = notes([(69, 0, 4), (72, 4, 2), (76, 6, 4), (74, 10, 1), (72, 11, 1), (71, 12, 2), (69, 14, 4)])
        XCTAssertEqual(CallMeasures.estimatedKey(call), Key(tonic: 9, minor: true))
        let answer = notes([(80, 0, 1), (73, 1, 1)])
        XCTAssertEqual(CallMeasures(call: call, answer: answer, ticksPerSlice: tps).inKey, 0.5)
        XCTAssertEqual(CallMeasures.estimatedKey([]), .c)
    }

    func testPitchClassCorrelationWeighsNotesByDuration() {
        // Call: C and G, an eighth each; answer: a quarter of D. Worked out: -19200 / sqrt(96000 * 211200).
        let call = notes([(60, 0, 1), (67, 1, 1)])
        XCTAssertEqual(CallMeasures(call: call, answer: notes([(62, 0, 2)]), ticksPerSlice: tps).pitchClassCorrelation,
                       -0.134840, accuracy: 1e-6)
        // The same pitch classes in other octaves correlate fully.
        XCTAssertEqual(CallMeasures(call: call, answer: notes([(72, 0, 1), (55, 1, 1)]), ticksPerSlice: tps).pitchClassCorrelation,
                       1, accuracy: 1e-12)
        // A long C and a short G against a short C and a long G: counted by notes they would match (1).
        let long = notes([(60, 0, 4), (67, 4, 1)]), short = notes([(60, 0, 1), (67, 1, 4)])
        XCTAssertEqual(CallMeasures(call: long, answer: short, ticksPerSlice: tps).pitchClassCorrelation, 340800.0 / 859200, accuracy: 1e-9)
        XCTAssertEqual(CallMeasures(call: call, answer: [], ticksPerSlice: tps).pitchClassCorrelation, 0, "undefined for no answer: 0")
    }

    func testIntervalReuseAndNoveltyCountDistinctPatterns() {
        // Call C D E C: (+2, +2), (+2, -4). Answer Bb C D C: (+2, +2), (+2, -2).
        let call = notes([(60, 0, 1), (62, 1, 1), (64, 2, 1), (60, 3, 1)])
        let m = CallMeasures(call: call, answer: notes([(70, 0, 1), (72, 1, 1), (74, 2, 1), (72, 3, 1)]), ticksPerSlice: tps)
        XCTAssertEqual(m.callIntervalPatterns, 2)
        XCTAssertEqual(m.answerIntervalPatterns, 2)
        XCTAssertEqual(m.intervalReuse, 0.5)
        XCTAssertEqual(m.novelty, 0.5)
        // A whole-tone run has one pattern, (+2, +2), and it is the call's: nothing new.
        let run = CallMeasures(call: call, answer: notes((0..<6).map { (UInt8(60 + 2 * $0), $0, 1) }), ticksPerSlice: tps)
        XCTAssertEqual(run.answerIntervalPatterns, 1)
        XCTAssertEqual(run.novelty, 0)
        XCTAssertEqual(run.intervalReuse, 0.5)
        // Two notes make no pattern: 0, and the count says so.
        let short = CallMeasures(call: notes([(60, 0, 1), (62, 1, 1)]), answer: call, ticksPerSlice: tps)
        XCTAssertEqual(short.callIntervalPatterns, 0)
        XCTAssertEqual(short.intervalReuse, 0)
        XCTAssertEqual(short.novelty, 1, "the answer's two patterns are not the call's")
    }

    func testRhythmReuseRoundsInterOnsetIntervalsToSlices() {
        // Onsets 0 1 2 4 5 (slices): intervals 1 1 2 1, rhythms (1,1,2) and (1,2,1).
        let call = notes([(60, 0, 1), (62, 1, 1), (64, 2, 2), (65, 4, 1), (67, 5, 1)])
        // Played by hand: +250, +230, +510 ticks round to 1, 1, 2: (1,1,2) only.
        let ticks = [1000, 1250, 1480, 1990]
        let answer = ticks.map { MelodyNote(pitch: 70, start: $0, end: $0 + 200) }
        let m = CallMeasures(call: call, answer: answer, ticksPerSlice: tps)
        XCTAssertEqual(m.callRhythmPatterns, 2)
        XCTAssertEqual(m.rhythmReuse, 0.5)
        // Swung eighths (320 + 160 ticks) are straight eighths to the nearest slice.
        let swung = [0, 320, 480, 800, 960].map { MelodyNote(pitch: 60, start: $0, end: $0 + 100) }
        XCTAssertEqual(CallMeasures.rhythmPatterns(swung, ticksPerSlice: tps), [[1, 1, 1]])
        let three = CallMeasures(call: Array(call.prefix(3)), answer: call, ticksPerSlice: tps)
        XCTAssertEqual(three.callRhythmPatterns, 0)
        XCTAssertEqual(three.rhythmReuse, 0, "fewer than 4 onsets: no rhythm, 0")
    }

    func testRegisterVelocitiesAndDurations() {
        let call = notes([(60, 0, 1), (64, 1, 1)]) // mean 62
        let answer = [
            MelodyNote(pitch: 70, velocity: 80, start: 0, end: 240),    // 1 slice
            MelodyNote(pitch: 71, velocity: 80, start: 240, end: 440),  // 0.83: 1
            MelodyNote(pitch: 72, velocity: 90, start: 480, end: 960),  // 2
            MelodyNote(pitch: 71, velocity: 100, start: 960, end: 1560), // 2.5: rounds up to 3
            MelodyNote(pitch: 71, velocity: 100, start: 1560, end: 2280), // 3
            MelodyNote(pitch: 71, velocity: 90, start: 2280, end: 3280), // 4.17: 4
            MelodyNote(pitch: 71, velocity: 80, start: 3280, end: 3380), // 0.42: still an eighth
        ] // mean pitch 71
        let m = CallMeasures(call: call, answer: answer, ticksPerSlice: tps)
        XCTAssertEqual(m.registerDistance, 9, accuracy: 1e-12)
        XCTAssertEqual(m.distinctVelocities, 3)
        XCTAssertEqual(m.answerDurations.eighth, 3.0 / 7, accuracy: 1e-12)
        XCTAssertEqual(m.answerDurations.quarter, 1.0 / 7, accuracy: 1e-12)
        XCTAssertEqual(m.answerDurations.dottedQuarter, 2.0 / 7, accuracy: 1e-12)
        XCTAssertEqual(m.answerDurations.halfOrLonger, 1.0 / 7, accuracy: 1e-12)
        XCTAssertEqual(m.callDurations.eighth, 1)
    }

    func testNothingToMeasureGivesZerosAndCounts() {
        let none = CallMeasures(call: [], answer: [], ticksPerSlice: tps)
        XCTAssertEqual([none.inKey, none.pitchClassCorrelation, none.intervalReuse, none.novelty, none.rhythmReuse, none.registerDistance],
                       [0, 0, 0, 0, 0, 0])
        XCTAssertEqual([none.callNotes, none.answerNotes, none.callIntervalPatterns, none.answerIntervalPatterns, none.distinctVelocities],
                       [0, 0, 0, 0, 0])
        XCTAssertEqual(none.answerDurations, DurationShares())
        let silent = CallMeasures(call: lick, answer: [], ticksPerSlice: tps, key: .c)
        XCTAssertEqual(silent.answerNotes, 0)
        XCTAssertEqual(silent.registerDistance, 0, "no answer: no register (read it with answerNotes)")
        XCTAssertEqual(silent.intervalReuse, 0)
        let one = CallMeasures(call: notes([(60, 0, 1)]), answer: notes([(62, 0, 1)]), ticksPerSlice: tps)
        XCTAssertEqual(one.registerDistance, 2)
        XCTAssertEqual(one.inKey, 1)
        XCTAssertEqual(CallBaselines.randomWalk(call: [], key: .c, ticksPerSlice: tps, seed: 1, at: 0), [])
        XCTAssertEqual(CallMeasureMeans([]).count, 0)
    }

    func testTheCallsMelodyLeavesOutTheLeftHandAndKeepsTheTopOfWhatStartsTogether() {
        let played = [
            MelodyNote(pitch: 48, start: 0, end: 900), MelodyNote(pitch: 52, start: 0, end: 900), MelodyNote(pitch: 55, start: 0, end: 900),
            MelodyNote(pitch: 76, start: 0, end: 400),
            MelodyNote(pitch: 79, start: 480, end: 700),
            MelodyNote(pitch: 72, start: 960, end: 1100), MelodyNote(pitch: 76, start: 980, end: 1100), // a dyad, a hair apart
            MelodyNote(pitch: 60, start: 1080, end: 1200), // a sixteenth later: its own note; middle C is melody
        ]
        let melody = CallMeasures.melody(of: played.shuffled(), splitPitch: 60, ticksPerSlice: tps)
        XCTAssertEqual(melody.map(\.pitch), [76, 79, 76, 60])
        XCTAssertEqual(melody.map(\.start), [0, 480, 980, 1080])
        XCTAssertEqual(CallMeasures.melody(of: played, splitPitch: nil, ticksPerSlice: tps).map(\.pitch), [76, 79, 76, 60],
                       "no split: the chord is under the melody note it starts with")
        XCTAssertEqual(CallMeasures.melody(of: played.filter { $0.pitch < 60 }, splitPitch: 60, ticksPerSlice: tps), [])
    }

    func testMeansAverageEveryFigure() {
        let a = CallMeasures(call: lick, answer: lick, ticksPerSlice: tps, key: .c)
        let b = CallMeasures(call: lick, answer: [], ticksPerSlice: tps, key: .c)
        let mean = CallMeasureMeans([a, b])
        XCTAssertEqual(mean.count, 2)
        XCTAssertEqual(mean.intervalReuse, 0.5)
        XCTAssertEqual(mean.answerNotes, 6)
        XCTAssertEqual(mean.distinctVelocities, 6)
        XCTAssertEqual(mean.answerDurations.eighth, a.answerDurations.eighth / 2, accuracy: 1e-12)
        let overCalls = CallMeasureMeans(means: [mean, CallMeasureMeans([a])])
        XCTAssertEqual(overCalls.count, 2)
        XCTAssertEqual(overCalls.intervalReuse, 0.75, "each call counts once, however many seeds")
    }
}
