import MusicCore

/// One note of a melody, as the call measures see it: pitch, velocity and its span in ticks.
public struct MelodyNote: Hashable, Sendable, Codable {
    public var pitch: UInt8
    public var velocity: UInt8
    public var start: Int
    public var end: Int

    public init(pitch: UInt8, velocity: UInt8 = 90, start: Int, end: Int) {
        self.pitch = pitch
        self.velocity = velocity
        self.start = start
        self.end = end
    }

    public var duration: Int { max(0, end - start) }
}

/// Shares of a melody's notes by length, each length rounded to the nearest slice (eighth),
/// at least one slice. All zero for no notes.
public struct DurationShares: Hashable, Sendable, Codable {
    /// One slice: an eighth.
    public var eighth = 0.0
    /// Two slices: a quarter.
    public var quarter = 0.0
    /// Three slices: a dotted quarter.
    public var dottedQuarter = 0.0
    /// Four slices or more: a half note or longer.
    public var halfOrLonger = 0.0

    public init() {}

    public init(_ notes: [MelodyNote], ticksPerSlice: Int) {
        guard !notes.isEmpty else { return }
        let share = 1 / Double(notes.count)
        for n in notes {
            switch CallMeasures.slices(n.duration, ticksPerSlice: ticksPerSlice) {
            case ...1: eighth += share
            case 2: quarter += share
            case 3: dottedQuarter += share
            default: halfOrLonger += share
            }
        }
    }
}

/// How an answer relates to the call it answers, measured on their melodies alone.
///
/// - `inKey`: share of the answer's notes whose pitch class belongs to the call's key, taken
///   broadly, as a blues or jazz player would: in major the ionian scale plus the blue notes b3,
///   b5 (#4) and b7; in minor the natural minor plus the raised 6th and 7th (melodic and harmonic
///   minor) and the blue b5. Either way 10 of the 12 pitch classes count (major leaves out b2 and
///   b6, minor b2 and the major 3rd), so notes drawn at random score about 0.83: the measure
///   tells an answer in a wrong key, not a good answer from a mediocre one.
/// - `pitchClassCorrelation`: Pearson correlation of the call's and the answer's pitch-class
///   histograms, each note weighted by its duration in ticks (at least one). 0 when either
///   histogram is flat (no notes, or every pitch class equally long), where it is undefined.
/// - `intervalReuse`: share of the call's distinct 3-note interval patterns (two successive
///   intervals in semitones, (i1, i2), from consecutive notes) that occur anywhere in the answer.
///   `novelty`: share of the answer's distinct patterns that are not the call's. A melody of
///   fewer than 3 notes has no pattern: the share is then 0, and the pattern count says why.
/// - `rhythmReuse`: share of the call's distinct 4-onset rhythms (three successive inter-onset
///   intervals, each rounded to the nearest slice) that occur in the answer; 0 when the call has
///   fewer than 4 notes (`callRhythmPatterns` 0).
/// - `registerDistance`: |mean pitch of the call - mean pitch of the answer| in semitones,
///   unweighted; 0 when either has no notes (read it with `answerNotes`).
/// - `distinctVelocities`: how many different velocities the answer uses.
/// - `answerDurations`, `callDurations`: shares of notes by length in slices.
///
/// Melodies are sorted by onset here and taken to be one note at a time (a player's is made so by
/// `melody(of:splitPitch:ticksPerSlice:)`).
public struct CallMeasures: Hashable, Sendable, Codable {
    public var callNotes: Int
    public var answerNotes: Int
    public var inKey: Double
    public var pitchClassCorrelation: Double
    public var callIntervalPatterns: Int
    public var answerIntervalPatterns: Int
    public var intervalReuse: Double
    public var novelty: Double
    public var callRhythmPatterns: Int
    public var rhythmReuse: Double
    public var registerDistance: Double
    public var distinctVelocities: Int
    public var answerDurations: DurationShares
    public var callDurations: DurationShares

    /// Measures `answer` against `call`; `key` is the call's key, estimated from its notes
    /// (`KeyEstimate`) when nil.
    public init(call: [MelodyNote], answer: [MelodyNote], ticksPerSlice: Int, key: Key? = nil) {
        let call = call.sorted(by: Self.byOnset), answer = answer.sorted(by: Self.byOnset)
        let key = key ?? Self.estimatedKey(call)
        callNotes = call.count
        answerNotes = answer.count

        let scale = Self.keyScale(key)
        inKey = answer.isEmpty ? 0
            : Double(answer.filter { Scale.contains(scale, pitch: $0.pitch, key: key) }.count) / Double(answer.count)
        pitchClassCorrelation = Self.pearson(Self.pitchClassHistogram(call), Self.pitchClassHistogram(answer))

        let callIntervals = Self.intervalPatterns(call), answerIntervals = Self.intervalPatterns(answer)
        callIntervalPatterns = callIntervals.count
        answerIntervalPatterns = answerIntervals.count
        intervalReuse = Self.share(of: callIntervals, in: answerIntervals)
        novelty = answerIntervals.isEmpty ? 0 : 1 - Self.share(of: answerIntervals, in: callIntervals)

        let callRhythms = Self.rhythmPatterns(call, ticksPerSlice: ticksPerSlice)
        callRhythmPatterns = callRhythms.count
        rhythmReuse = Self.share(of: callRhythms, in: Self.rhythmPatterns(answer, ticksPerSlice: ticksPerSlice))

        registerDistance = call.isEmpty || answer.isEmpty ? 0 : abs(Self.meanPitch(call) - Self.meanPitch(answer))
        distinctVelocities = Set(answer.map(\.velocity)).count
        answerDurations = DurationShares(answer, ticksPerSlice: ticksPerSlice)
        callDurations = DurationShares(call, ticksPerSlice: ticksPerSlice)
    }

    // MARK: The parts, for tests and for the command

    /// The pitch classes counted in key, as a mask relative to the tonic (see the type's comment).
    public static func keyScale(_ key: Key) -> UInt16 {
        key.minor ? Scale.mask([0, 2, 3, 5, 7, 8, 10] + [9, 11] + [6])
                  : Scale.mask([0, 2, 4, 5, 7, 9, 11] + [3, 6, 10])
    }

    /// The key of a call when none is given: Krumhansl-Kessler on its notes, C for no notes.
    public static func estimatedKey(_ notes: [MelodyNote]) -> Key {
        KeyEstimate.estimate(notes.map { Note(pitch: $0.pitch, velocity: $0.velocity, start: $0.start, duration: $0.duration) }) ?? .c
    }

    /// A player's melody: the notes at or above `splitPitch` (below it are the left hand's
    /// chords; nil: every note), sorted by onset; of notes that start together (within a
    /// quarter of a slice of the first, a 32nd note) only the highest.
    public static func melody(of notes: [MelodyNote], splitPitch: UInt8?, ticksPerSlice: Int) -> [MelodyNote] {
        let together = ticksPerSlice / 4
        var out: [MelodyNote] = []
        var groupStart = Int.min
        for n in notes.sorted(by: byOnset) where splitPitch.map({ n.pitch >= $0 }) ?? true {
            if groupStart != Int.min, n.start - groupStart <= together {
                if n.pitch > out[out.count - 1].pitch { out[out.count - 1] = n }
            } else {
                out.append(n)
                groupStart = n.start
            }
        }
        return out
    }

    /// Duration-weighted pitch-class histogram (ticks, at least one per note).
    public static func pitchClassHistogram(_ notes: [MelodyNote]) -> [Double] {
        var h = [Double](repeating: 0, count: 12)
        for n in notes { h[Int(n.pitch) % 12] += Double(max(1, n.duration)) }
        return h
    }

    /// Pearson correlation; 0 where it is undefined (either side constant).
    public static func pearson(_ a: [Double], _ b: [Double]) -> Double {
        guard a.count == b.count, !a.isEmpty else { return 0 }
        return KeyEstimate.correlation(a, b)
    }

    /// The distinct (i1, i2) pairs of successive intervals in semitones.
    public static func intervalPatterns(_ notes: [MelodyNote]) -> Set<[Int]> {
        guard notes.count >= 3 else { return [] }
        let p = notes.map { Int($0.pitch) }
        var out = Set<[Int]>()
        for i in 0..<(p.count - 2) {
            let first: Int = p[i + 1] - p[i], second: Int = p[i + 2] - p[i + 1]
            out.insert([first, second])
        }
        return out
    }

    /// The distinct triples of successive inter-onset intervals, each rounded to the nearest slice.
    public static func rhythmPatterns(_ notes: [MelodyNote], ticksPerSlice: Int) -> Set<[Int]> {
        guard notes.count >= 4 else { return [] }
        let ioi = (1..<notes.count).map { slices(notes[$0].start - notes[$0 - 1].start, ticksPerSlice: ticksPerSlice) }
        return Set((0..<(ioi.count - 2)).map { Array(ioi[$0...($0 + 2)]) })
    }

    /// Ticks as slices, to the nearest (halves round up), never negative.
    public static func slices(_ ticks: Int, ticksPerSlice: Int) -> Int {
        max(0, ticks + ticksPerSlice / 2) / max(1, ticksPerSlice)
    }

    static func share(of wanted: Set<[Int]>, in found: Set<[Int]>) -> Double {
        wanted.isEmpty ? 0 : Double(wanted.intersection(found).count) / Double(wanted.count)
    }

    static func meanPitch(_ notes: [MelodyNote]) -> Double {
        Double(notes.reduce(0) { $0 + Int($1.pitch) }) / Double(notes.count)
    }

    static func byOnset(_ a: MelodyNote, _ b: MelodyNote) -> Bool { (a.start, b.pitch) < (b.start, a.pitch) }
}

/// The two answers every measured answer is compared with, computed on the same calls.
public enum CallBaselines {
    /// The call played back: its notes moved so that the first starts at `startTick`.
    public static func echo(_ call: [MelodyNote], at startTick: Int) -> [MelodyNote] {
        let shift = startTick - (call.map(\.start).min() ?? startTick)
        return call.map { MelodyNote(pitch: $0.pitch, velocity: $0.velocity, start: $0.start + shift, end: $0.end + shift) }
    }

    /// A random walk as long as the call (its number of notes), from `startTick`: on the key's
    /// major or minor pentatonic, within the call's register (its lowest to highest note, widened
    /// to at least six semitones either side of its mean pitch), starting at the scale note
    /// nearest that mean, steps of -2...+2 scale degrees (reflected at the ends), each note an
    /// eighth or a quarter at random, back to back, all at the call's mean velocity.
    public static func randomWalk(call: [MelodyNote], key: Key, ticksPerSlice: Int, seed: UInt64, at startTick: Int) -> [MelodyNote] {
        guard !call.isEmpty else { return [] }
        var rng = SeededGenerator(seed: seed)
        let pentatonic = key.minor ? Scale.mask([0, 3, 5, 7, 10]) : Scale.mask([0, 2, 4, 7, 9])
        let mean = CallMeasures.meanPitch(call)
        let centre = Int(mean.rounded())
        let low = max(0, min(Int(call.map(\.pitch).min()!), centre - 6))
        let high = min(127, max(Int(call.map(\.pitch).max()!), centre + 6))
        let ladder = (low...high).map(UInt8.init).filter { Scale.contains(pentatonic, pitch: $0, key: key) }
        guard var i = ladder.indices.min(by: { abs(Double(ladder[$0]) - mean) < abs(Double(ladder[$1]) - mean) }) else { return [] }
        let velocity = UInt8(clamping: Int((Double(call.reduce(0) { $0 + Int($1.velocity) }) / Double(call.count)).rounded()))
        var out: [MelodyNote] = []
        var t = startTick
        for n in 0..<call.count {
            if n > 0 {
                i += Int.random(in: -2...2, using: &rng)
                if i < 0 { i = -i }
                if i > ladder.count - 1 { i = 2 * (ladder.count - 1) - i }
                i = min(max(i, 0), ladder.count - 1)
            }
            let length = (Bool.random(using: &rng) ? 1 : 2) * ticksPerSlice
            out.append(MelodyNote(pitch: ladder[i], velocity: velocity, start: t, end: t + length))
            t += length
        }
        return out
    }
}

/// The mean of several measures (over seeds, over calls): every figure averaged, counts included.
public struct CallMeasureMeans: Hashable, Sendable, Codable {
    /// How many measures were averaged.
    public var count = 0
    public var callNotes = 0.0
    public var answerNotes = 0.0
    public var inKey = 0.0
    public var pitchClassCorrelation = 0.0
    public var intervalReuse = 0.0
    public var novelty = 0.0
    public var rhythmReuse = 0.0
    public var registerDistance = 0.0
    public var distinctVelocities = 0.0
    public var answerDurations = DurationShares()
    public var callDurations = DurationShares()

    public init() {}

    /// One measure as a mean of one.
    public init(_ m: CallMeasures) {
        count = 1
        callNotes = Double(m.callNotes)
        answerNotes = Double(m.answerNotes)
        inKey = m.inKey
        pitchClassCorrelation = m.pitchClassCorrelation
        intervalReuse = m.intervalReuse
        novelty = m.novelty
        rhythmReuse = m.rhythmReuse
        registerDistance = m.registerDistance
        distinctVelocities = Double(m.distinctVelocities)
        answerDurations = m.answerDurations
        callDurations = m.callDurations
    }

    /// The mean of several measures; all zero (count 0) for none.
    public init(_ measures: [CallMeasures]) { self.init(means: measures.map(CallMeasureMeans.init)) }

    /// The mean of means, each weighted alike (over calls: one call, one vote); count: how many.
    public init(means: [CallMeasureMeans]) {
        guard !means.isEmpty else { return }
        count = means.count
        let n = Double(means.count)
        func mean(_ f: (CallMeasureMeans) -> Double) -> Double { means.reduce(0) { $0 + f($1) } / n }
        callNotes = mean(\.callNotes)
        answerNotes = mean(\.answerNotes)
        inKey = mean(\.inKey)
        pitchClassCorrelation = mean(\.pitchClassCorrelation)
        intervalReuse = mean(\.intervalReuse)
        novelty = mean(\.novelty)
        rhythmReuse = mean(\.rhythmReuse)
        registerDistance = mean(\.registerDistance)
        distinctVelocities = mean(\.distinctVelocities)
        answerDurations = Self.mean(means.map(\.answerDurations))
        callDurations = Self.mean(means.map(\.callDurations))
    }

    static func mean(_ shares: [DurationShares]) -> DurationShares {
        var out = DurationShares()
        guard !shares.isEmpty else { return out }
        let n = Double(shares.count)
        out.eighth = shares.reduce(0) { $0 + $1.eighth } / n
        out.quarter = shares.reduce(0) { $0 + $1.quarter } / n
        out.dottedQuarter = shares.reduce(0) { $0 + $1.dottedQuarter } / n
        out.halfOrLonger = shares.reduce(0) { $0 + $1.halfOrLonger } / n
        return out
    }
}
