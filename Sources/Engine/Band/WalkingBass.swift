import MIDI
import MusicCore

/// A walking bass that follows the form: a note a beat (a quarter; a dotted quarter in compound
/// meters), the root on the downbeat of every chord, chord tones on the other strong beats,
/// scale tones between, and a chromatic or scale-step approach into the next chord's root on
/// the last note before it. Lines move by small steps and turn round at the edges of the bass
/// register. `twoFeel` plays half notes instead: roots and fifths, the odd approach.
///
/// State is a few integers; choosing a note never allocates.
public struct WalkingBass: Sendable {
    public var channel: UInt8
    public var program: UInt8
    public var twoFeel: Bool
    /// Mean note-on velocity; downbeats of chords a little louder.
    public var velocity: Int

    /// E1 ... G3, the four-string bass's register.
    public static let range = 28...55

    private var last = -1
    private var direction = 1
    private var rng = SeededGenerator(seed: 0)

    /// Channel 4 (index 3) and GM program 33 (Acoustic Bass, index 32) by default.
    public init(channel: UInt8 = 3, program: UInt8 = 32, twoFeel: Bool = false, velocity: Int = 82) {
        self.channel = channel
        self.program = program
        self.twoFeel = twoFeel
        self.velocity = velocity
    }

    mutating func prepare(seed: UInt64) {
        rng = SeededGenerator(seed: seed)
        last = -1
        direction = 1
    }

    /// Forget the line (after a stop): the next note starts it afresh.
    mutating func reset() { last = -1 }

    /// Slices between walking notes: a beat, or two in the two-feel.
    private func step(_ chart: BandChart) -> Int {
        (chart.meter.isCompound ? 3 : 2) * (twoFeel ? 2 : 1)
    }

    func isOnset(_ f: Int, _ chart: BandChart) -> Bool {
        chart.sliceInBar(f) % step(chart) == 0 || chart.chordStarts(at: f)
    }

    func slicesToNextOnset(from f: Int, _ chart: BandChart) -> Int {
        var k = 1
        while k < chart.slicesPerBar && !isOnset(f + k, chart) { k += 1 }
        return k
    }

    mutating func play(slice s: Int, formSlice f: Int, chart: BandChart, tick: (Int) -> Int,
                       notes: inout BandNotes, to output: MIDIOutput) {
        guard isOnset(f, chart) else { return }
        let length = slicesToNextOnset(from: f, chart)
        let start = chart.chordStarts(at: f)
        let pitch = choose(formSlice: f, length: length, chart: chart)
        let v = rng.velocity(velocity + (start ? 6 : 0), spread: 6)
        notes.start(channel: channel, key: UInt8(pitch), velocity: v, slice: s, length: length, tick: tick(s), to: output)
        last = pitch
    }

    /// The pitch of the note at form slice `f`, `length` slices before the next note.
    mutating func choose(formSlice f: Int, length: Int, chart: BandChart) -> Int {
        let chord = chart.chord(at: f)
        let prev = last >= 0 ? last : 40
        let r = Self.range
        if prev >= r.upperBound - 4 { direction = -1 } else if prev <= r.lowerBound + 4 { direction = 1 }

        if chart.chordStarts(at: f) {
            let p = Self.nearest(chord.root, to: prev, preferring: direction)
            // Which way to walk through this chord: towards the next root, or, when the next
            // chord has the same root, away from the register's edge and back.
            let next = chart.nextChord(after: f)
            let target = Self.nearest(next.root, to: p, preferring: direction)
            if target != p && next.root != chord.root {
                direction = target > p ? 1 : -1
            } else if p <= r.lowerBound + 8 {
                direction = 1
            } else if p >= r.upperBound - 8 {
                direction = -1
            } else if rng.chance(0.5) {
                direction = -direction
            }
            return p
        }

        let next = chart.nextChord(after: f)
        let beforeChange = length == chart.slicesToNextChord(from: f)
        if twoFeel && (!beforeChange || rng.chance(0.7)) {
            return Self.nearest(chord.pitchClass(chord.fifth), to: prev, preferring: direction, avoiding: prev)
        }
        if beforeChange {
            return approach(into: next, from: prev)
        }

        // A passing note: a step or a third from the last note, in the line's direction,
        // a chord tone on a strong beat, a scale tone on a weak one.
        let b = chart.sliceInBar(f)
        let strong = chart.meter.beatsPerBar % 2 == 0 && chart.meter.beatsPerBar >= 4 && b == chart.slicesPerBar / 2
        var best = prev
        var bestScore = -Double.infinity
        for q in max(r.lowerBound, prev - 5)...min(r.upperBound, prev + 5) where q != prev {
            let tone = chord.isChordTone(q)
            guard tone || (!strong && chord.isScaleTone(q)) else { continue }
            var score = -Double(abs(q - prev))
            if (q - prev).signum() == direction { score += 3 }
            if tone { score += 1.5 }
            if q % 12 == next.root { score -= 2 }          // the next root belongs to the next downbeat
            if q <= r.lowerBound + 1 || q >= r.upperBound - 1 { score -= 2 }
            score += 2 * rng.unit()
            if score > bestScore { bestScore = score; best = q }
        }
        return best
    }

    /// A half or whole step above or below the next chord's root (placed nearest the line),
    /// preferring the side the line comes from.
    private mutating func approach(into next: ChordTones, from prev: Int) -> Int {
        let r = Self.range
        let t = Self.nearest(next.root, to: prev, preferring: direction)
        let fromBelow = prev < t
        let below2 = next.isScaleTone(t - 2) ? t - 2 : t - 1
        // Chromatic below and above, a scale step above and below (no array: this runs per note).
        func option(_ i: Int) -> (pitch: Int, weight: Double) {
            switch i {
            case 0: return (t - 1, fromBelow ? 3.0 : 1.5)
            case 1: return (t + 1, fromBelow ? 1.5 : 3.0)
            case 2: return (t + 2, fromBelow ? 1.0 : 2.5)
            default: return (below2, fromBelow ? 2.5 : 1.0)
            }
        }
        var total = 0.0
        for i in 0..<4 {
            let o = option(i)
            if r.contains(o.pitch) && o.pitch != prev { total += o.weight }
        }
        var x = rng.unit() * total
        for i in 0..<4 {
            let o = option(i)
            guard r.contains(o.pitch) && o.pitch != prev else { continue }
            x -= o.weight
            if x < 0 { return o.pitch }
        }
        return t - 1 >= r.lowerBound ? t - 1 : t + 1
    }

    /// The pitch of class `pc` in the bass range nearest to `pitch` (ties: the way `direction`
    /// points), not `avoiding` when another is as good.
    static func nearest(_ pc: Int, to pitch: Int, preferring direction: Int, avoiding: Int = -1) -> Int {
        var best = -1
        var bestDistance = Int.max
        var q = range.lowerBound + ((pc - range.lowerBound) % 12 + 12) % 12
        while q <= range.upperBound {
            var d = 2 * abs(q - pitch) + ((q - pitch).signum() == direction ? 0 : 1)
            if q == avoiding { d += 100 }
            if d < bestDistance { bestDistance = d; best = q }
            q += 12
        }
        return best
    }
}
