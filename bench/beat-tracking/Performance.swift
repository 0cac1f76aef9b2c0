import MusicCore

/// How the player's tempo moves, as a ratio to the preset's, against the player's own beats.
enum Drift: CustomStringConvertible {
    case constant(Double)
    /// 1 + amplitude × sin(2π b / periodBeats).
    case sine(amplitude: Double, periodBeats: Double)
    /// From 1 to `to`, linearly over `beats`, then held.
    case ramp(to: Double, beats: Double)

    func ratio(atBeat b: Double) -> Double {
        switch self {
        case .constant(let r): return r
        case .sine(let a, let p): return 1 + a * sin2pi(b / p)
        case .ramp(let to, let beats): return 1 + (to - 1) * min(max(b / beats, 0), 1)
        }
    }

    var description: String {
        switch self {
        case .constant(let r): return "steady at \(pct(r - 1)) of the preset"
        case .sine(let a, let p): return "sine ±\(pct(a)) over \(Int(p / 4)) bars"
        case .ramp(let to, let beats): return "ramp to \(pct(to - 1)) over \(Int(beats / 4)) bars"
        }
    }
}

func pct(_ x: Double) -> String {
    let v = Int((x * 100).rounded())
    return v > 0 ? "+\(v)%" : "\(v)%"
}

/// sin(2π x) without Foundation (a bench helper; accuracy far past what timing needs).
func sin2pi(_ x: Double) -> Double {
    var y = x - x.rounded(.down)           // [0, 1)
    if y > 0.5 { y -= 1 }                   // (-0.5, 0.5]
    let a = 2 * Double.pi * y
    // Taylor to a^15 on |a| ≤ π: error below 1e-6.
    var term = a, sum = a
    for n in stride(from: 3, through: 15, by: 2) {
        term *= -a * a / Double((n - 1) * n)
        sum += term
    }
    return sum
}

/// A humanized performance, written by the bench (seeded): the player's intended beats (their
/// ticks at the preset's nominal clock) and the note-ons as played.
struct Performance {
    /// beatTicks[k]: the nominal tick of the player's beat k (k = 0 is the first beat after any
    /// count-in), before jitter: the beats the band should land on.
    var beatTicks: [Double]
    /// The player's tempo ratio at each beat.
    var beatRatios: [Double]
    /// Note-on ticks, in order (chord notes each; the count-in taps are not in here).
    var onsets: [Int]
    /// The count-in's taps (beats -4 to -1), jittered, when there is one.
    var taps: [Int]

    struct Spec {
        var bpm: Double
        var drift: Drift
        var bars = 16
        var jitterMs = 25.0
        var missedNote = true
        var extraNote = true
        /// Four taps at the player's tempo (beats -4 to -1) before beat 0.
        var countIn = false
        var seed: UInt64
    }

    static let ppq = TimeGrid.defaultTicksPerQuarter

    init(_ spec: Spec) {
        var rng = SeededGenerator(seed: spec.seed &* 0x9E37_79B9 &+ UInt64(spec.bpm))
        let p0 = Double(Performance.ppq)                     // a quarter: the beat in 4/4
        let ticksPerMs = p0 * spec.bpm / 60_000
        let beats = spec.bars * 4
        let lead = spec.countIn ? 4 : 0
        // Nominal ticks of the player's beat positions -lead ..< beats + 1, at 1/64 beat, from
        // the tempo curve (the player's beat lasts P0 / ratio nominal ticks).
        let steps = 64
        var table = [Double](repeating: 0, count: (beats + 1 + lead) * steps + 1)
        var t = 0.0
        for i in 1..<table.count {
            let b = Double(i - 1) / Double(steps) + 0.5 / Double(steps) - Double(lead)
            t += p0 / spec.drift.ratio(atBeat: max(0, b)) / Double(steps)
            table[i] = t
        }
        let origin = table[lead * steps]
        func tick(_ b: Double) -> Double {
            let x = (b + Double(lead)) * Double(steps)
            let i = min(max(Int(x.rounded(.down)), 0), table.count - 2)
            let f = x - Double(i)
            return table[i] + (table[i + 1] - table[i]) * f - origin
        }
        beatTicks = (0...beats).map { tick(Double($0)) }
        beatRatios = (0...beats).map { spec.drift.ratio(atBeat: Double($0)) }

        func jitter() -> Double { Double.random(in: -spec.jitterMs...spec.jitterMs, using: &rng) * ticksPerMs }
        taps = spec.countIn ? (-4 ... -1).map { Int((tick(Double($0)) + jitter()).rounded()) } : []

        // The melody: per beat a quarter, two eighths, a rest, a chord, or an off-beat eighth.
        var events: [(beat: Double, chord: Bool)] = [(0, false)]
        for b in 0..<beats {
            let u = Double.random(in: 0..<1, using: &rng)
            let beat = Double(b)
            if b == 0 { if u < 0.5 { events.append((0.5, false)) }; continue }
            switch u {
            case ..<0.32: events.append((beat, false))                               // quarter
            case ..<0.67: events.append((beat, false)); events.append((beat + 0.5, false))  // eighths
            case ..<0.77: break                                                     // rest
            case ..<0.92: events.append((beat, true))                                // chord
            default: events.append((beat + 0.5, false))                             // off-beat eighth
            }
        }
        events.append((Double(beats), false))
        // A missed note and an extra one, somewhere in bars 4 to 12.
        if spec.missedNote {
            let candidates = events.indices.filter { events[$0].beat >= 16 && events[$0].beat < 48 }
            if let i = candidates.randomElement(using: &rng) { events.remove(at: i) }
        }
        var extraBeat: Double?
        if spec.extraNote { extraBeat = Double(Int.random(in: 16..<48, using: &rng)) + Double.random(in: 0..<1, using: &rng) }

        var out: [Int] = []
        for e in events {
            let base = tick(e.beat) + jitter()
            if e.chord {
                // Three notes within 15 ms of each other (a hand is never quite together).
                for _ in 0..<3 { out.append(Int((base + Double.random(in: 0...15, using: &rng) * ticksPerMs).rounded())) }
            } else {
                out.append(Int(base.rounded()))
            }
        }
        if let x = extraBeat { out.append(Int((tick(x)).rounded())) }
        onsets = out.map { max(0, $0) }.sorted()
    }
}
