@testable import Engine
import Foundation
import MIDI
import MusicCore
import XCTest

/// An output that counts and keeps nothing: playing into it allocates nothing of its own.
final class CountingOutput: MIDIOutput {
    var scheduled = 0
    func schedule(_ message: ChannelMessage, atTick tick: Int) { scheduled += 1 }
    func sendNow(_ message: ChannelMessage) {}
    func dropScheduled() {}
}

final class BandTests: XCTestCase {
    static let ticksPerSlice = 240
    /// Straight eighths: slice s at 240 s (tests read the slice back from the tick).
    static func straight(_ s: Int) -> Int { s * ticksPerSlice }

    struct Note { var slice: Int; var tick: Int; var channel: UInt8; var key: UInt8; var velocity: UInt8 }

    /// Plays `choruses` of `form` from session slice 0 (form slice 0), then stops.
    func run(_ parts: BandParts, _ form: ChordForm, choruses: Int = 4, seed: UInt64 = 7,
             tick: (Int) -> Int = BandTests.straight) -> (Tape, Band) {
        let tape = Tape()
        var band = Band(parts: parts, form: form, seed: seed)
        band.setUp(atTick: 0, to: tape)
        let end = choruses * form.sliceCount
        for s in 0..<end { band.play(slice: s, formSlice: s, tick: tick, to: tape) }
        band.stop(atTick: tick(end), to: tape)
        return (tape, band)
    }

    func noteOns(_ tape: Tape, channel: UInt8) -> [Note] {
        tape.played.compactMap { e in
            if case .noteOn(let c, let k, let v) = e.message, c == channel {
                return Note(slice: e.tick / Self.ticksPerSlice, tick: e.tick, channel: c, key: k, velocity: v)
            }
            return nil
        }
    }

    // MARK: Walking bass

    let forms: [ChordForm] = [.eckBlues, .jazzBlues, .rhythmChanges, .minorBlues, .folkWaltz, .slowBlues, .jig]

    func testBassPlaysTheRootOnEveryChordAndChordTonesOnStrongBeats() {
        for form in forms {
            let (tape, _) = run(BandParts(bass: WalkingBass()), form.transposed(by: 5))
            let chart = form.transposed(by: 5)
            let bass = noteOns(tape, channel: 3)
            XCTAssertFalse(bass.isEmpty, form.name)
            var downbeats = 0, chordTones = 0
            for n in bass {
                let chord = chart.chord(atSlice: n.slice)
                if chart.chordStarts(atSlice: n.slice) {
                    XCTAssertEqual(Int(n.key) % 12, chord.root, "\(form.name): root on the chord's first beat, slice \(n.slice)")
                }
                if n.slice % form.slicesPerBar == 0 {
                    downbeats += 1
                    if chord.pitchClassMask & (1 << UInt16(Int(n.key) % 12)) != 0 { chordTones += 1 }
                }
            }
            XCTAssertGreaterThanOrEqual(Double(chordTones) / Double(downbeats), 0.9, form.name)
            // A note a beat (dotted quarters in compound meters), at least.
            let step = form.meter.isCompound ? 3 : 2
            XCTAssertGreaterThanOrEqual(bass.count, 4 * form.sliceCount / step, form.name)
        }
    }

    func testStrongBeatsOfA44BarAreChordTones() {
        let (tape, _) = run(BandParts(bass: WalkingBass()), .eckBlues, choruses: 8)
        let bass = noteOns(tape, channel: 3)
        let third = bass.filter { $0.slice % 8 == 4 }
        let tones = third.filter { ChordForm.eckBlues.chord(atSlice: $0.slice).pitchClassMask & (1 << UInt16(Int($0.key) % 12)) != 0 }
        XCTAssertEqual(tones.count, third.count, "beat 3 of one-chord bars: a chord tone")
    }

    func testApproachNotesLandAHalfOrWholeStepFromTheNextRoot() {
        for form in forms where !form.meter.isCompound || form.name == "slow-blues" {
            let (tape, _) = run(BandParts(bass: WalkingBass()), form)
            let bass = noteOns(tape, channel: 3)
            var approaches = 0
            for (a, b) in zip(bass, bass.dropFirst()) where form.chordStarts(atSlice: b.slice) && !form.chordStarts(atSlice: a.slice) {
                approaches += 1
                let step = abs(Int(a.key) - Int(b.key))
                XCTAssertTrue(step == 1 || step == 2, "\(form.name): approach \(a.key) into \(b.key) at slice \(b.slice)")
            }
            XCTAssertGreaterThan(approaches, 10, form.name)
        }
    }

    func testBassStaysInItsRegisterAndMovesSmoothly() {
        for seed in UInt64(1)...6 {
            for form in forms {
                let (tape, _) = run(BandParts(bass: WalkingBass()), form.transposed(by: Int(seed) * 2), seed: seed)
                let keys = noteOns(tape, channel: 3).map { Int($0.key) }
                XCTAssertTrue(keys.allSatisfy { WalkingBass.range.contains($0) }, "\(form.name) seed \(seed): \(keys.min()!)...\(keys.max()!)")
                let leaps = zip(keys, keys.dropFirst()).map { abs($0 - $1) }
                XCTAssertLessThanOrEqual(Double(leaps.reduce(0, +)) / Double(leaps.count), 4.5, "\(form.name): mean interval")
                XCTAssertGreaterThan(Set(keys).count, 8, "\(form.name): a line, not a pedal")
            }
        }
    }

    func testTwoFeelPlaysHalfNotesOfRootsAndFifths() {
        let (tape, _) = run(BandParts(bass: WalkingBass(twoFeel: true)), .eckBlues)
        let bass = noteOns(tape, channel: 3)
        XCTAssertTrue(bass.allSatisfy { $0.slice % 4 == 0 }, "half notes")
        XCTAssertEqual(bass.count, 4 * 12 * 2)
        let plain = bass.filter { n in
            let c = ChordForm.eckBlues.chord(atSlice: n.slice)
            let pc = Int(n.key) % 12
            return pc == c.root || pc == (c.root + 7) % 12
        }
        XCTAssertGreaterThan(Double(plain.count) / Double(bass.count), 0.8, "roots and fifths, the odd approach")
    }

    func testBassFollowsTwoChordsABar() {
        let form = try! ChordForm(chart: "Dm7 G7 | Em7 A7 | Dm7 G7 | Cmaj7 |")
        let (tape, _) = run(BandParts(bass: WalkingBass()), form)
        for n in noteOns(tape, channel: 3) where form.chordStarts(atSlice: n.slice) {
            XCTAssertEqual(Int(n.key) % 12, form.chord(atSlice: n.slice).root, "every chord starts on its root, slice \(n.slice)")
        }
    }

    // MARK: Comping

    /// The voicing struck when each chord of the form starts.
    func voicings(_ tape: Tape, _ form: ChordForm, channel: UInt8 = 4) -> [(slice: Int, keys: [Int])] {
        var bySlice: [Int: [Int]] = [:]
        for n in noteOns(tape, channel: channel) { bySlice[n.slice, default: []].append(Int(n.key)) }
        return bySlice.keys.sorted().map { ($0, bySlice[$0]!.sorted()) }
    }

    func testRootlessVoicingsLeadSmoothlyThroughATwoFiveOne() {
        for key in [0, 5, 10, 3] {
            let form = (try! ChordForm(chart: "Dm7 | G7 | Cmaj7 | Cmaj7 |")).transposed(by: key)
            let (tape, _) = run(BandParts(comping: Comping(voicing: .rootless)), form, choruses: 3)
            let v = voicings(tape, form)
            for (a, b) in zip(v, v.dropFirst()) {
                XCTAssertEqual(a.keys.count, 4)
                XCTAssertEqual(b.keys.count, 4)
                let moves = zip(a.keys, b.keys).map { abs($0 - $1) }
                XCTAssertLessThanOrEqual(moves.max()!, 3, "key \(key): \(a.keys) -> \(b.keys)")
                XCTAssertLessThanOrEqual(moves.reduce(0, +), 6, "key \(key): \(a.keys) -> \(b.keys)")
            }
            for strike in v {
                let chord = form.chord(atSlice: strike.slice)
                XCTAssertFalse(strike.keys.contains { $0 % 12 == chord.root }, "rootless: \(strike.keys) on \(chord)")
                XCTAssertTrue(strike.keys.allSatisfy { ChordVoicing.range.contains($0) })
            }
        }
    }

    func testEveryQualityHasEveryVoicingInRange() {
        for quality in ChordSymbol.Quality.allCases {
            for root in 0..<12 {
                let symbol = ChordSymbol(root: root, quality)
                let tones = ChordTones(symbol)
                for kind in VoicingKind.allCases {
                    var rng = SeededGenerator(seed: 1)
                    let v = ChordVoicing.lead(to: tones, kind: kind, from: PitchSet(), rng: &rng)
                    let name = "\(symbol) \(kind)"
                    XCTAssertFalse(v.isEmpty, name)
                    XCTAssertTrue(v.allSatisfy { ChordVoicing.range.contains(Int($0)) }, "\(name): \(v)")
                    let pcs = v.pitchClassMask
                    XCTAssertNotEqual(pcs & (1 << UInt16(tones.pitchClass(tones.third))), 0, "\(name) has its third: \(v)")
                    if quality.intervals.count == 4 && kind != .close || kind == .guideTones || kind == .rootless {
                        XCTAssertNotEqual(pcs & (1 << UInt16(tones.pitchClass(tones.seventh))), 0, "\(name) has its seventh: \(v)")
                    }
                    if kind == .close || kind == .shell {
                        XCTAssertEqual(pcs & ~symbol.pitchClassMask & ~(1 << UInt16(tones.pitchClass(tones.seventh))), 0,
                                       "\(name): chord tones only")
                    }
                    XCTAssertEqual(v.count, kind == .rootless ? 4 : kind == .guideTones ? 2 : 3, name)
                }
            }
        }
    }

    func testCompingStrikesTheCharlestonFamilyAndEveryChordChange() {
        let form = ChordForm.rhythmChanges
        let (tape, _) = run(BandParts(comping: Comping()), form, choruses: 2)
        let v = voicings(tape, form)
        let struck = Set(v.map(\.slice))
        for s in 0..<(2 * form.sliceCount) where form.chordStarts(atSlice: s) && s % 8 != 0 {
            XCTAssertTrue(struck.contains(s), "a mid-bar chord is struck, slice \(s)")
        }
        let perBar = Double(v.count) / Double(2 * form.barCount)
        XCTAssertGreaterThan(perBar, 1.5)
        XCTAssertLessThan(perBar, 3.5)
        XCTAssertGreaterThan(v.filter { $0.slice % 2 == 1 }.count, v.count / 5, "syncopated strikes")
    }

    // MARK: Drums

    func drumHits(_ tape: Tape, _ key: UInt8) -> [Note] { noteOns(tape, channel: 9).filter { $0.key == key } }

    func testSwingRideAndHiHatIn44And34() {
        for (form, ride, hat) in [(ChordForm.eckBlues, Set([0, 2, 3, 4, 6, 7]), Set([2, 6])),
                                  (ChordForm.folkWaltz, Set([0, 2, 3, 4]), Set([2, 4]))] {
            let (tape, _) = run(BandParts(drums: DrumPart(style: .swing)), form, choruses: 2)
            XCTAssertTrue(tape.played.allSatisfy { e in
                if case .noteOn(let c, _, _) = e.message { return c == 9 }
                return true
            }, "drums on channel 10")
            let n = form.slicesPerBar
            for bar in 0..<(2 * form.barCount) where bar % form.barCount != form.barCount - 1 {
                let rideAt = Set(drumHits(tape, DrumKey.ride).filter { $0.slice / n == bar }.map { $0.slice % n })
                let hatAt = Set(drumHits(tape, DrumKey.pedalHiHat).filter { $0.slice / n == bar }.map { $0.slice % n })
                XCTAssertEqual(rideAt, ride, "\(form.name) bar \(bar + 1): ride")
                XCTAssertEqual(hatAt, hat, "\(form.name) bar \(bar + 1): hi-hat")
            }
        }
    }

    func testFillInTheLastBarAndCrashOnTheTop() {
        let toms: Set<UInt8> = [DrumKey.snare, DrumKey.highTom, DrumKey.highMidTom, DrumKey.lowTom, DrumKey.lowFloorTom, DrumKey.kick]
        for form in [ChordForm.eckBlues, .folkWaltz, .jig, .slowBlues] {
            for style in [DrumPart.Style.swing, .straight] {
                let (tape, _) = run(BandParts(drums: DrumPart(style: style)), form, choruses: 4)
                let n = form.slicesPerBar
                let start = DrumPart.fillStart(BandChart(form))
                let hits = noteOns(tape, channel: 9)
                for chorus in 0..<4 {
                    let last = (chorus * form.barCount + form.barCount - 1) * n
                    let fill = hits.filter { $0.slice >= last + start && $0.slice < last + n }
                    XCTAssertGreaterThanOrEqual(fill.filter { toms.contains($0.key) }.count, (n - start) / 2,
                                                "\(form.name) \(style) chorus \(chorus + 1): a fill")
                    XCTAssertFalse(fill.contains { $0.key == DrumKey.ride || $0.key == DrumKey.closedHiHat },
                                   "\(form.name) \(style): the fill replaces the time")
                    let top = chorus * form.sliceCount
                    XCTAssertTrue(hits.contains { $0.slice == top && $0.key == DrumKey.crash }, "crash on the top")
                    XCTAssertEqual(hits.filter { $0.key == DrumKey.crash && $0.slice / form.sliceCount == chorus }.count, 1)
                }
            }
        }
    }

    func testStraightAndBrushesKeepTheirBackbeats() {
        let (straight, _) = run(BandParts(drums: DrumPart(style: .straight)), .folk16, choruses: 1)
        let snare = Set(drumHits(straight, DrumKey.snare).filter { $0.slice < 15 * 8 }.map { $0.slice % 8 })
        XCTAssertEqual(snare, [2, 6])
        XCTAssertEqual(drumHits(straight, DrumKey.closedHiHat).filter { $0.slice < 8 }.count + drumHits(straight, DrumKey.openHiHat).filter { $0.slice < 8 }.count, 8)
        let (brushes, _) = run(BandParts(drums: DrumPart(style: .brushes)), .eckBlues, choruses: 1)
        XCTAssertTrue(brushes.played.contains { $0.message == .programChange(channel: 9, program: DrumKey.brushKit) })
        let swirls = drumHits(brushes, DrumKey.brushSwirl)
        XCTAssertEqual(swirls.count, 11 * 2 + 1, "a swirl each half bar, but in the last bar's fill")
        let taps = Set(drumHits(brushes, DrumKey.brushTap).filter { $0.slice < 88 && $0.velocity > 50 }.map { $0.slice % 8 })
        XCTAssertEqual(taps, [2, 6])
    }

    // MARK: Count-in and click

    func testCountInOfNBars() {
        for (form, bars) in [(ChordForm.eckBlues, 2), (.folkWaltz, 1), (.jig, 3)] {
            let tape = Tape()
            var band = Band(parts: BandParts(drums: DrumPart(), bass: WalkingBass(), countIn: CountIn(bars: bars)), form: form, seed: 3)
            let lead = band.countInSlices
            XCTAssertEqual(lead, bars * form.slicesPerBar)
            for s in 0..<(lead + form.sliceCount) { band.play(slice: s, formSlice: s - lead, tick: Self.straight, to: tape) }
            band.stop(atTick: Self.straight(lead + form.sliceCount), to: tape)
            let before = noteOns(tape, channel: 9).filter { $0.slice < lead }
            XCTAssertEqual(before.count, bars * form.meter.beatsPerBar, "\(form.name): a click a beat")
            XCTAssertTrue(before.allSatisfy { $0.key == DrumKey.sideStick })
            XCTAssertEqual(before.filter { $0.velocity > 100 }.map(\.slice), (0..<bars).map { $0 * form.slicesPerBar }, "accented downbeats")
            XCTAssertTrue(noteOns(tape, channel: 3).allSatisfy { $0.slice >= lead }, "the bass waits for the form")
            XCTAssertTrue(noteOns(tape, channel: 9).contains { $0.slice == lead && $0.key == DrumKey.crash })
        }
    }

    func testClickThroughTheSession() {
        let (tape, _) = run(BandParts(countIn: CountIn(bars: 0, clickThroughout: true)), .slowBlues, choruses: 1)
        let clicks = noteOns(tape, channel: 9)
        XCTAssertEqual(clicks.count, 12 * 4, "12/8: four dotted-quarter beats a bar")
        XCTAssertEqual(clicks.filter { $0.key == DrumKey.highWoodBlock }.map(\.slice), (0..<12).map { $0 * 12 })
    }

    // MARK: Notes end

    /// Every note-on gets a later note-off on its channel and key before the key sounds again.
    func assertEveryNoteEnds(_ tape: Tape, _ label: String, file: StaticString = #filePath, line: UInt = #line) {
        var on: [Int: Int] = [:]
        for e in tape.played {
            switch e.message {
            case .noteOn(let c, let k, _):
                let id = Int(c) * 128 + Int(k)
                XCTAssertNil(on[id], "\(label): \(c)/\(k) struck again at \(e.tick) without a note-off", file: file, line: line)
                on[id] = e.tick
            case .noteOff(let c, let k, _):
                let id = Int(c) * 128 + Int(k)
                guard let t = on[id] else { XCTFail("\(label): orphan note-off \(c)/\(k) at \(e.tick)", file: file, line: line); continue }
                XCTAssertGreaterThan(e.tick, t, "\(label): zero-length note \(c)/\(k) at \(t)", file: file, line: line)
                on[id] = nil
            default: break
            }
        }
        XCTAssertTrue(on.isEmpty, "\(label): \(on.count) notes never end", file: file, line: line)
    }

    func testEveryNoteGetsItsNoteOff() {
        let performer = Performer(grid: TimeGrid(ticksPerQuarter: 480, tempoBPM: 120), swing: 2.0 / 3, transpose: 0, chordChannel: 0, melodyChannel: 1)
        for form in forms {
            for style in DrumPart.Style.allCases {
                let parts = BandParts(drums: DrumPart(style: style), bass: WalkingBass(twoFeel: style == .brushes),
                                      comping: Comping(voicing: style == .straight ? .close : .rootless,
                                                       rhythm: style == .brushes ? .ballad : style == .straight ? .straight : .swing),
                                      countIn: CountIn(bars: 1, clickThroughout: style == .straight))
                let (tape, band) = run(parts, form, choruses: 3, tick: performer.tick(ofSlice:))
                XCTAssertEqual(band.soundingCount, 0)
                assertEveryNoteEnds(tape, "\(form.name) \(style)")
            }
        }
    }

    func testStopMidChorusAndPanicEndEverything() {
        let tape = Tape()
        var band = Band(parts: .jazz, form: .jazzBlues, seed: 9)
        for s in 0..<37 { band.play(slice: s, formSlice: s, tick: Self.straight, to: tape) }
        XCTAssertGreaterThan(band.soundingCount, 0)
        band.stop(atTick: Self.straight(37), to: tape)
        XCTAssertEqual(band.soundingCount, 0)
        assertEveryNoteEnds(tape, "stop")
        // Play on after the stop, then panic: what has not played is dropped, and every note the
        // synth may hold gets its note-off at once.
        for s in 40..<60 { band.play(slice: s, formSlice: s, tick: Self.straight, to: tape) }
        tape.now = Self.straight(50)
        tape.dropScheduled()
        band.forget(through: tape.now)
        band.silenceNow(tape)
        XCTAssertEqual(band.soundingCount, 0)
        // Every note that played is over; panic may end a note whose note-on was dropped too.
        var on = Set<Int>()
        for e in tape.played {
            switch e.message {
            case .noteOn(let c, let k, _): on.insert(Int(c) * 128 + Int(k))
            case .noteOff(let c, let k, _):
                XCTAssertTrue(on.remove(Int(c) * 128 + Int(k)) != nil || e.immediate, "orphan scheduled note-off \(c)/\(k)")
            default: break
            }
        }
        XCTAssertTrue(on.isEmpty, "\(on.count) notes still sound after panic")
        XCTAssertTrue(tape.entries.contains { $0.immediate && $0.message == .allNotesOff(channel: 9) })
        XCTAssertTrue(tape.entries.contains { $0.immediate && $0.message == .allNotesOff(channel: 3) })
    }

    func testTheSameSeedPlaysTheSameBand() {
        func events(_ seed: UInt64) -> [String] { run(.jazz, .jazzBlues, choruses: 2, seed: seed).0.played.map { "\($0.tick) \($0.message)" } }
        XCTAssertEqual(events(5), events(5))
        XCTAssertNotEqual(events(5), events(6))
        // Leaving a part out changes nothing in the others.
        let all = run(.jazz, .jazzBlues, seed: 5).0
        let bassOnly = run(BandParts(bass: WalkingBass()), .jazzBlues, seed: 5).0
        XCTAssertEqual(noteOns(all, channel: 3).map(\.key), noteOns(bassOnly, channel: 3).map(\.key))
    }

    /// Many slices of the full band. That playing them allocates nothing is counted in a
    /// session by `make test-alloc` (Tests/alloc, "backing with the band").
    func testManySlices() {
        let slices = Int(ProcessInfo.processInfo.environment["IMPROV_BAND_SLICES"] ?? "") ?? 20_000
        let output = CountingOutput()
        var band = Band(parts: BandParts(drums: DrumPart(), bass: WalkingBass(), comping: Comping(), countIn: CountIn(bars: 1, clickThroughout: true)),
                        form: .rhythmChanges, seed: 1)
        for s in 0..<slices { band.play(slice: s, formSlice: s - 8, tick: Self.straight, to: output) }
        band.stop(atTick: Self.straight(slices), to: output)
        XCTAssertGreaterThan(output.scheduled, slices)
    }
}
