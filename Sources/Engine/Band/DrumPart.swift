import MIDI
import MusicCore

/// Drums on the GM kit (channel 10) that follow the form: time on the ride or hi-hat in the
/// meter's pattern, kick and snare comping drawn sparsely from a seed, a fill in the last bar
/// of the form and a crash on its top (bar 1).
///
/// Styles: `swing` (ride "ding, ding-a", hi-hat pedal on 2 and 4; the waltz and compound
/// versions), `brushes` (the GM2 brush kit: a swirl through the bar, taps on the backbeats;
/// ballads), `straight` (closed hi-hat eighths, kick on 1 and 3, snare on 2 and 4; rock, folk).
public struct DrumPart: Sendable {
    public enum Style: String, Sendable, CaseIterable {
        case swing, brushes, straight
    }

    public var style: Style
    public var channel: UInt8
    /// Scales every velocity (100 = as written).
    public var level: Int

    private var rng = SeededGenerator(seed: 0)
    /// Comping hits (kick, snare) so far in this bar: a bar gets at most two.
    private var compsThisBar = 0
    /// The fill of this chorus (0 ..< 4), drawn where the fill starts.
    private var fill = 0

    public init(style: Style = .swing, channel: UInt8 = DrumKey.channel, level: Int = 100) {
        self.style = style
        self.channel = channel
        self.level = level
    }

    /// The kit program (index): the GM2 brush kit for brushes, else the standard kit.
    public var program: UInt8 { style == .brushes ? DrumKey.brushKit : DrumKey.standardKit }

    mutating func prepare(seed: UInt64) {
        rng = SeededGenerator(seed: seed)
        compsThisBar = 0
        fill = 0
    }

    /// Where the fill starts in the last bar: its second half (beat 3 of 4/4, beat 2 of 3/4 or 6/8).
    static func fillStart(_ chart: BandChart) -> Int {
        let beats = chart.meter.beatsPerBar
        return (beats >= 4 ? beats / 2 : min(1, beats - 1)) * chart.slicesPerBeat
    }

    mutating func play(slice s: Int, formSlice f: Int, chart: BandChart, tick: (Int) -> Int,
                       notes: inout BandNotes, to output: MIDIOutput) {
        let b = chart.sliceInBar(f)
        let n = chart.slicesPerBar
        let spb = chart.slicesPerBeat
        let beats = chart.meter.beatsPerBar
        let onBeat = b % spb == 0
        let beat = b / spb
        if b == 0 { compsThisBar = 0 }

        // The top of the form: crash and kick.
        if chart.wrap(f) == 0 {
            hit(DrumKey.crash, style == .brushes ? 60 : 96, s, length: n, tick, &notes, output)
            hit(DrumKey.kick, style == .brushes ? 50 : 88, s, tick, &notes, output)
        }

        let start = Self.fillStart(chart)
        if chart.barCount > 1 && chart.isLastBar(f) && b >= start {
            if b == start { fill = rng.below(4) }
            playFill(at: b - start, of: n - start, slice: s, chart: chart, tick: tick, &notes, output)
            // The hi-hat keeps time under a swing fill.
            if style == .swing && onBeat && beat % 2 == 1 { hit(DrumKey.pedalHiHat, 60, s, tick, &notes, output) }
            return
        }

        switch style {
        case .swing: swingTime(b, n, spb, beats, s, tick, &notes, output)
        case .brushes: brushTime(b, n, spb, beats, s, tick, &notes, output)
        case .straight: straightTime(b, n, spb, beats, s, tick, &notes, output)
        }
    }

    // MARK: Time

    private mutating func swingTime(_ b: Int, _ n: Int, _ spb: Int, _ beats: Int, _ s: Int, _ tick: (Int) -> Int,
                                    _ notes: inout BandNotes, _ output: MIDIOutput) {
        let onBeat = b % spb == 0
        let beat = b / spb
        // Ride: every beat, and the skip note before beats 2 and 4 (4/4), before 3 (3/4), on
        // each beat's last eighth in compound time.
        let skip: Bool
        if spb == 3 { skip = b % 3 == 2 } else if spb == 2 {
            skip = b % 2 == 1 && (beats == 3 ? beat == 1 : beat % 2 == 1)
        } else { skip = b % spb == spb - 1 }
        if onBeat || skip {
            let v = onBeat ? (beat % 2 == 1 ? 84 : 74) : 58
            hit(DrumKey.ride, rng.velocity(v, spread: 5), s, length: 3, tick, &notes, output)
        }
        // Hi-hat pedal: 2 and 4 (every other beat), in 3/4 on 2 and 3.
        if onBeat && (beats == 3 ? beat > 0 : beat % 2 == 1) {
            hit(DrumKey.pedalHiHat, rng.velocity(64, spread: 4), s, tick, &notes, output)
        }
        // A feathered kick on the beats, barely heard.
        if onBeat { hit(DrumKey.kick, rng.velocity(30, spread: 4), s, tick, &notes, output) }
        // Comping: a snare or a kick on an off-beat now and then.
        if !onBeat && compsThisBar < 2 && rng.chance(0.16) {
            compsThisBar += 1
            if rng.chance(0.7) {
                hit(DrumKey.snare, rng.velocity(52, spread: 12), s, tick, &notes, output)
            } else {
                hit(DrumKey.kick, rng.velocity(60, spread: 10), s, tick, &notes, output)
            }
        }
    }

    private mutating func brushTime(_ b: Int, _ n: Int, _ spb: Int, _ beats: Int, _ s: Int, _ tick: (Int) -> Int,
                                    _ notes: inout BandNotes, _ output: MIDIOutput) {
        let onBeat = b % spb == 0
        let beat = b / spb
        // The swirl: a stroke each half bar (each bar in short meters).
        let half = beats >= 4 ? (beats / 2) * spb : n
        if b % half == 0 {
            hit(DrumKey.brushSwirl, rng.velocity(54, spread: 5), s, length: half, tick, &notes, output)
        }
        // Taps on the backbeats, a soft one on the skip note before them.
        let backbeat = onBeat && (beats == 3 ? beat > 0 : beat % 2 == 1)
        if backbeat { hit(DrumKey.brushTap, rng.velocity(62, spread: 6), s, tick, &notes, output) }
        if !onBeat && b % spb == spb - 1 && rng.chance(0.5) {
            hit(DrumKey.brushTap, rng.velocity(36, spread: 5), s, tick, &notes, output)
        }
        if backbeat { hit(DrumKey.pedalHiHat, rng.velocity(50, spread: 4), s, tick, &notes, output) }
        if b == 0 { hit(DrumKey.kick, rng.velocity(34, spread: 4), s, tick, &notes, output) }
    }

    private mutating func straightTime(_ b: Int, _ n: Int, _ spb: Int, _ beats: Int, _ s: Int, _ tick: (Int) -> Int,
                                       _ notes: inout BandNotes, _ output: MIDIOutput) {
        let onBeat = b % spb == 0
        let beat = b / spb
        // Closed hi-hat on every eighth, the beats louder; an open hat before the last beat now and then.
        if b == n - 1 - (spb == 2 ? 2 : 0) && rng.chance(0.15) {
            hit(DrumKey.openHiHat, rng.velocity(70, spread: 5), s, length: 1, tick, &notes, output)
        } else {
            hit(DrumKey.closedHiHat, rng.velocity(onBeat ? 78 : 58, spread: 5), s, tick, &notes, output)
        }
        // Kick on 1 (and the middle of the bar in 4/4 and 12/8), snare on the other beats'
        // backbeats: 2 and 4; 2 and 3 in 3/4; beat 2 of 6/8.
        let kick = b == 0 || (beats >= 4 && b == (beats / 2) * spb)
        let snare = onBeat && !kick && (beats == 3 || beat % 2 == 1)
        if kick { hit(DrumKey.kick, rng.velocity(92, spread: 5), s, tick, &notes, output) }
        if snare { hit(DrumKey.snare, rng.velocity(beats == 3 ? 70 : 88, spread: 5), s, tick, &notes, output) }
        // A pushed kick on an off-beat now and then.
        if !onBeat && compsThisBar < 1 && rng.chance(0.12) {
            compsThisBar += 1
            hit(DrumKey.kick, rng.velocity(76, spread: 8), s, tick, &notes, output)
        }
    }

    // MARK: The fill

    /// Hit `k` of a fill `length` slices long: one of four figures (a snare build, down the
    /// toms, triplets round the toms, a sparse snare-and-kick figure); brushes play a tap build.
    private mutating func playFill(at k: Int, of length: Int, slice s: Int, chart: BandChart, tick: (Int) -> Int,
                                   _ notes: inout BandNotes, _ output: MIDIOutput) {
        let v = 62 + 40 * k / max(1, length - 1)
        if style == .brushes {
            hit(DrumKey.brushTap, rng.velocity(v - 14, spread: 4), s, tick, &notes, output)
            if k == length - 1 { hit(DrumKey.brushSlap, 72, s, tick, &notes, output) }
            return
        }
        let toms = (DrumKey.highTom, DrumKey.highMidTom, DrumKey.lowTom, DrumKey.lowFloorTom)
        func tom(_ i: Int) -> UInt8 {
            switch min(3, max(0, i)) { case 0: toms.0; case 1: toms.1; case 2: toms.2; default: toms.3 }
        }
        let descent = tom(k * 4 / max(1, length))
        switch fill {
        case 0:
            // Snare build: every slice, doubled in the last beat.
            hit(DrumKey.snare, rng.velocity(v, spread: 4), s, tick, &notes, output)
            if k >= length - chart.slicesPerBeat {
                subHit(DrumKey.snare, rng.velocity(v - 10, spread: 4), s, 1, 2, tick, &notes, output)
            }
        case 1:
            // Down the toms, a snare first, two strokes a slice.
            hit(k == 0 ? DrumKey.snare : descent, rng.velocity(v, spread: 4), s, tick, &notes, output)
            if k < length - 1 { subHit(descent, rng.velocity(v - 8, spread: 4), s, 1, 2, tick, &notes, output) }
        case 2:
            // Three strokes a slice pair: triplets from the snare round the toms.
            hit(k % 2 == 0 ? DrumKey.snare : descent, rng.velocity(v, spread: 4), s, tick, &notes, output)
            subHit(descent, rng.velocity(v - 12, spread: 4), s, 1, 2, tick, &notes, output)
        default:
            // Sparse: snare on the off-beats, kick on the beats, the last slice on the floor tom.
            if k == length - 1 {
                hit(DrumKey.lowFloorTom, rng.velocity(v, spread: 4), s, tick, &notes, output)
            } else if k % 2 == 1 {
                hit(DrumKey.snare, rng.velocity(v, spread: 4), s, tick, &notes, output)
            } else {
                hit(DrumKey.kick, rng.velocity(v - 6, spread: 4), s, tick, &notes, output)
            }
        }
    }

    // MARK: Hits

    private func scaled(_ v: UInt8) -> UInt8 { UInt8(min(127, max(1, Int(v) * level / 100))) }

    private func hit(_ key: UInt8, _ velocity: UInt8, _ s: Int, length: Int = 1, _ tick: (Int) -> Int,
                     _ notes: inout BandNotes, _ output: MIDIOutput) {
        notes.start(channel: channel, key: key, velocity: scaled(velocity), slice: s, length: length, tick: tick(s), to: output)
    }

    /// A hit `num / den` of the way through slice `s` (ends with the slice).
    private func subHit(_ key: UInt8, _ velocity: UInt8, _ s: Int, _ num: Int, _ den: Int, _ tick: (Int) -> Int,
                        _ notes: inout BandNotes, _ output: MIDIOutput) {
        notes.start(channel: channel, key: key, velocity: scaled(velocity), slice: s, length: 1,
                    tick: subSliceTick(tick, slice: s, num, den), to: output)
    }
}
