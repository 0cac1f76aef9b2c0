import MusicCore

/// Follows the player's beat from their note onsets alone, with no click: the player's beat
/// period and phase, the tempo ratio (player / preset), the next beat, and a map between
/// musical position (beats) and "nominal ticks" (a clock that runs at the preset's tempo, as
/// the engine's ticks do today). docs/tempo-following.md tells how the engine retimes with it.
///
/// Method: a Kalman filter on (tick of the current beat, beat period, the period's trend: an
/// accelerando or ritardando, damped so that it dies away in silence), with each onset given
/// to the most likely point of the beat's eighth grid (the beat or its off-beat) before it is
/// used.
/// An adaptive oscillator (Large & Kolen 1994; Eck 2002) does the same phase-and-period
/// coupling, but its coupling strengths are fixed by hand; the Kalman filter computes them from
/// what it knows: strong just after a count-in or the first notes, weaker once locked, growing
/// again through a silence. A particle filter would also weigh other tempo hypotheses (double
/// time, half time) at a hundred times the cost; here the player's tempo starts known (the
/// preset's or a count-in's), so one hypothesis tracked well is enough for most playing; the
/// benchmark counts where it is not (bench/RESULTS-tempo.md: about one performance in two
/// hundred loses a beat, mostly with no count-in). What keeps it honest:
///
/// - Onsets are measurements of where the beat grid lies, never intervals: eighths between
///   beats land on the off-beat point of the grid, so they cannot halve the period, and a missed
///   note is only a measurement fewer.
/// - Notes closer together than `chordWindowSeconds` are one onset (chords, rolled chords).
/// - An onset further from the grid than `gate` standard deviations (or `maxOffsetBeats`
///   once the period is known) is an extra note and is ignored; each one makes the tracker
///   doubt its phase a little, and after `resyncAfter` in a row the player has moved, and the
///   tracker follows to the nearest whole beat.
/// - An onset's grid point is never more than half a beat from it, and the published map is
///   steered onto the filter's beats over `correctionBeats`, never moved at once: the musical
///   position is continuous and increasing, so the form never jumps a beat (a tracker that has
///   lost the player's beat comes back over several beats, never at once).
/// - In silence the filter holds its period (a trend dies away within a few beats; the
///   uncertainty grows, up to a bound).
/// - The off-beat's place follows the player's swing (0.5 straight to 0.75), which
///   `swingRatio` reports.
///
/// Fixed-size state, no allocation, no Foundation: `onset(atTick:)` is safe on the per-slice path.
public struct BeatTracker: Sendable {
    public struct Options: Sendable, Equatable {
        /// Notes closer than this to the onset before them are part of it (a chord).
        public var chordWindowSeconds = 0.05
        /// The timing noise of an onset on the beat (a player's jitter), seconds.
        public var onsetJitterSeconds = 0.02
        /// Extra noise of an onset between beats, in beats.
        public var offBeatNoiseBeats = 0.05
        /// How far the period may wander in a beat (a fraction of it), and the phase (seconds).
        public var periodDriftPerBeat = 0.006
        /// How far the period's trend (an accelerando, a ritardando) may wander in a beat, as a
        /// fraction of the period, and how much of it is kept from one beat to the next.
        public var trendDriftPerBeat = 0.002
        public var trendKept = 0.9
        public var phaseDriftSeconds = 0.004
        /// How much less likely an onset is on an off-beat than on a beat (twice the log of the
        /// odds, as it weighs against a squared distance in standard deviations).
        public var offBeatPenalty = 1.0
        /// Onsets further than this many standard deviations from the grid are extra notes.
        public var gate = 3.0
        /// Nor further than this from it, in beats, once the tracker knows the period (within 3%).
        public var maxOffsetBeats = 0.25
        /// Onsets this close to the grid (beats) are always the player's beat, never extra notes.
        public var alwaysAcceptBeats = 0.1
        /// How much an extra note makes the tracker doubt its phase (a share of its distance²).
        public var doubtFromExtras = 0.25
        /// After this many extra notes in a row, the player has moved: follow them.
        public var resyncAfter = 4
        /// Playback reaches the tracker's beats over at least this many beats (no jumps).
        public var correctionBeats = 0.5
        /// The player's tempo, as a ratio to the preset's, stays within this.
        public var tempoRange: ClosedRange<Double> = 0.5...2.0
        /// Where the first onset is: the beat nearest it (the player starts on a beat when
        /// nothing sounds before them), or a note to be placed on the preset's own grid.
        public var phaseFromFirstOnset = true
        public init() {}
    }

    /// What an onset was taken for.
    public enum OnsetKind: Sendable, Equatable {
        /// The first onset: it set the phase.
        case first
        /// On the beat, or on its off-beat.
        case beat, offBeat
        /// Part of the onset before it (a chord's note).
        case sameOnset
        /// Too far from the grid: an extra note, ignored.
        case extra
        /// After several extra notes in a row: the tracker moved to the player.
        case resync
    }

    public let options: Options
    /// The preset's beat, in nominal ticks, and nominal ticks a second.
    public let nominalTicksPerBeat: Double
    public let ticksPerSecond: Double

    // The filter: the tick of beat `beatIndex`, the period, and their covariance.
    private var beatTick: Double
    private var beatIndex: Int
    private var period: Double
    private var c00: Double, c01: Double, c11: Double
    /// The period's trend (ticks a beat, per beat), damped, and its covariances.
    private var trend = 0.0
    private var c02 = 0.0, c12 = 0.0, c22 = 0.0
    /// Where the off-beat lies in the beat (0.5 straight, 2/3 swung).
    public private(set) var swingRatio = 0.5

    // The published map: from (anchorTick, anchorPosition) at `steerTicksPerBeat` ticks a
    // beat until (breakTick, breakPosition), a whole beat of the filter's, then at its period.
    private var anchorTick: Double
    private var anchorPosition: Double
    private var steerTicksPerBeat: Double
    private var breakTick: Double
    private var breakPosition: Double
    private var afterTicksPerBeat: Double

    private var lastOnsetTick = -Double.infinity
    private var started: Bool
    private var extrasInARow = 0
    /// The extra notes in a row began just after a silence (the player may have moved).
    private var returning = false
    /// Onsets heard (chord notes once), and those taken as extra notes.
    public private(set) var onsetCount = 0
    public private(set) var extraCount = 0

    /// Starts at the preset's tempo: beat k at nominal tick k × the beat (the meter's beat).
    public init(grid: TimeGrid, options: Options = Options()) {
        self.options = options
        nominalTicksPerBeat = Double(grid.ticksPerSlice * grid.meter.slicesPerBeat)
        ticksPerSecond = Double(grid.ticksPerQuarter) * grid.tempoBPM / 60
        beatTick = 0
        beatIndex = 0
        period = nominalTicksPerBeat
        // The player may be anywhere in ±20% of the preset's tempo (one standard deviation 10%).
        c00 = 0
        c01 = 0
        c11 = (0.1 * nominalTicksPerBeat) * (0.1 * nominalTicksPerBeat)
        anchorTick = 0
        anchorPosition = 0
        steerTicksPerBeat = nominalTicksPerBeat
        breakTick = 0
        breakPosition = 0
        afterTicksPerBeat = nominalTicksPerBeat
        started = !options.phaseFromFirstOnset
        if started { c00 = onBeatVariance }
    }

    /// Starts from a count-in: its tempo, and beat 0 where the beat after the taps falls.
    public init(grid: TimeGrid, countIn: TappedCountIn, options: Options = Options()) {
        self.init(grid: grid, options: options)
        let ratio = min(max(nominalTicksPerBeat / countIn.ticksPerBeat, options.tempoRange.lowerBound), options.tempoRange.upperBound)
        period = nominalTicksPerBeat / ratio
        beatTick = countIn.firstBeatTick
        beatIndex = 0
        // The fit's own spread, never tighter than a player's jitter.
        let jitter = max(countIn.residualTicks, options.onsetJitterSeconds * ticksPerSecond)
        let n = Double(countIn.tapCount)
        c00 = jitter * jitter * 2
        c11 = max(jitter * jitter * 12 / (n * n * n - n), (0.01 * period) * (0.01 * period))
        c01 = 0
        started = true
        lastOnsetTick = Double(countIn.lastTapTick)
        anchorTick = beatTick
        anchorPosition = 0
        steerTicksPerBeat = period
        breakTick = beatTick
        breakPosition = 0
        afterTicksPerBeat = period
    }

    // MARK: What the engine reads

    /// The player's tempo over the preset's (1.1: the player is 10% faster).
    public var tempoRatio: Double { nominalTicksPerBeat / period }
    /// The player's beat, in nominal ticks.
    public var ticksPerBeat: Double { period }
    /// One standard deviation of the tracker's phase, in nominal ticks.
    public var phaseUncertaintyTicks: Double { c00.squareRoot() }

    /// The musical position (beats since beat 0) at a nominal tick. Exact from the last onset on;
    /// earlier ticks are read back along the current segment (`BeatMap` keeps the history).
    public func beatPosition(atTick tick: Int) -> Double { beatPosition(at: Double(tick)) }

    public func beatPosition(at t: Double) -> Double {
        t < breakTick ? anchorPosition + (t - anchorTick) / steerTicksPerBeat
                      : breakPosition + (t - breakTick) / afterTicksPerBeat
    }

    /// The nominal tick at which playback reaches a musical position (the inverse).
    public func tick(atBeatPosition position: Double) -> Int { Int(tickValue(atBeatPosition: position).rounded()) }

    public func tickValue(atBeatPosition position: Double) -> Double {
        position < breakPosition ? anchorTick + (position - anchorPosition) * steerTicksPerBeat
                                 : breakTick + (position - breakPosition) * afterTicksPerBeat
    }

    /// Musical ticks (the engine's ticks once it follows: beats × the preset's beat) at a
    /// nominal tick, and back: what the ALSA queue's and FluidSynth's ticks become.
    public func musicalTick(atTick tick: Int) -> Int { Int((beatPosition(atTick: tick) * nominalTicksPerBeat).rounded()) }
    public func tick(atMusicalTick m: Int) -> Int { tick(atBeatPosition: Double(m) / nominalTicksPerBeat) }

    /// The next whole beat after a nominal tick, and the nominal tick it is played at.
    public func nextBeat(afterTick tick: Int) -> (position: Int, tick: Int) {
        let p = beatPosition(atTick: tick)
        var next = p.rounded(.down) + 1
        if next - p > 1 { next -= 1 }   // rounding at a whole beat
        return (Int(next), self.tick(atBeatPosition: next))
    }

    /// Playback's tempo over the preset's at a nominal tick (what the queue's tempo is set to).
    public func playbackTempoRatio(atTick tick: Int) -> Double {
        nominalTicksPerBeat / (Double(tick) < breakTick ? steerTicksPerBeat : afterTicksPerBeat)
    }

    /// The nominal tick where playback's tempo changes next (nil once it runs at the filter's).
    public func nextTempoChange(afterTick tick: Int) -> Int? {
        Double(tick) < breakTick ? Int(breakTick.rounded(.up)) : nil
    }

    /// The map's pieces in force from the last update: the engine's driver hands them to the
    /// queue, and `BeatMap` records them for a MIDI file.
    public struct Segment: Sendable, Equatable {
        public var startTick: Double
        public var startPosition: Double
        public var ticksPerBeat: Double
    }

    public var segments: (steer: Segment, after: Segment) {
        (Segment(startTick: anchorTick, startPosition: anchorPosition, ticksPerBeat: steerTicksPerBeat),
         Segment(startTick: breakTick, startPosition: breakPosition, ticksPerBeat: afterTicksPerBeat))
    }

    // MARK: Onsets

    /// A note-on from the player at a nominal tick (call for every note; chords count once).
    @discardableResult
    public mutating func onset(atTick tick: Int) -> OnsetKind {
        let t = Double(tick)
        if t - lastOnsetTick < options.chordWindowSeconds * ticksPerSecond { return .sameOnset }
        // After four beats or more of silence the phase is unsure: once the period is known, the
        // player comes back on a beat (an off-beat pickup is then taken for an extra note,
        // never for the beat).
        let afterSilence = t - lastOnsetTick > 4 * period
        lastOnsetTick = t
        onsetCount += 1
        guard started else {
            started = true
            // The player's first note is on the beat nearest it, on the preset's grid.
            beatIndex = Int((t / nominalTicksPerBeat).rounded())
            beatTick = t
            c00 = onBeatVariance
            steer(at: t)
            return .first
        }
        let v = (t - beatTick) / period
        let resyncing = extrasInARow >= options.resyncAfter - 1
        if resyncing { c00 = max(c00, (0.2 * period) * (0.2 * period)) }
        // The grid point the onset most likely belongs to: a beat or its off-beat, each judged
        // by its distance over the filter's uncertainty there (a point several beats on is less
        // sure while the period is), beats preferred. Only whole beats when resyncing, after a
        // silence and while what follows it is taken for extra notes, so a moved player's beat
        // never becomes the tracker's off-beat.
        let whole = v.rounded(.down)
        let locked = c11 < (0.03 * period) * (0.03 * period)
        let roughlyLocked = c11 < (0.05 * period) * (0.05 * period)
        let wholeOnly = resyncing || (extrasInARow > 0 && returning) || (afterSilence && roughlyLocked)
        var m = whole
        var best = Double.infinity
        for i in 0..<4 {
            // The off-beat before, this beat, its off-beat, the next beat (no array: no allocation).
            let c = whole + (i == 0 ? swingRatio - 1 : i == 1 ? 0 : i == 2 ? swingRatio : 1)
            let onGrid = i == 1 || i == 3
            if wholeOnly && !onGrid { continue }
            var r = onBeatVariance
            if !onGrid { r += (options.offBeatNoiseBeats * period) * (options.offBeatNoiseBeats * period) }
            let sc = max(c00 + 2 * c * c01 + c * c * c11, 0) + r
            let e = t - (beatTick + c * period)
            let cost = e * e / sc + naturalLog(sc) + (onGrid ? 0 : options.offBeatPenalty)
            if cost < best { best = cost; m = c }
        }
        let ahead = m.rounded(.down)
        if ahead >= 1 {
            predict(beats: Int(ahead))
            m -= ahead
        }
        let onBeat = m == m.rounded(.down)
        var r = onBeatVariance
        if !onBeat { r += (options.offBeatNoiseBeats * period) * (options.offBeatNoiseBeats * period) }
        let e = t - (beatTick + m * period)
        let s = c00 + 2 * m * c01 + m * m * c11 + r
        // The cap holds once the period is known (within 3%); before, the filter's own
        // uncertainty is the judge. It widens with the filter's doubt of the phase (after a
        // silence in which the player may have drifted).
        let cap = max(options.maxOffsetBeats * period, 2 * max(s - r, 0).squareRoot())
        let capped = (locked && abs(e) > cap) || abs(e) > 0.4 * period
        // Never an extra note when this close to the grid (the filter may be over-sure of itself
        // while the player turns a corner).
        let close = abs(e) < options.alwaysAcceptBeats * period
        if !resyncing && !close && (e * e > options.gate * options.gate * s || capped) {
            if extrasInARow == 0 { returning = afterSilence && roughlyLocked }
            extrasInARow += 1
            extraCount += 1
            // Doubt: the next onset as far off is the player (who moved), not another extra.
            c00 = min(c00 + e * e * options.doubtFromExtras, (0.15 * period) * (0.15 * period))
            return .extra
        }
        extrasInARow = 0
        let k0 = (c00 + m * c01) / s
        let k1 = (c01 + m * c11) / s
        let k2 = (c02 + m * c12) / s
        beatTick += k0 * e
        period += k1 * e
        trend += k2 * e
        c00 -= s * k0 * k0
        c01 -= s * k0 * k1
        c11 -= s * k1 * k1
        c02 -= s * k0 * k2
        c12 -= s * k1 * k2
        c22 -= s * k2 * k2
        trend = min(max(trend, -0.02 * period), 0.02 * period)
        let lo = nominalTicksPerBeat / options.tempoRange.upperBound
        let hi = nominalTicksPerBeat / options.tempoRange.lowerBound
        period = min(max(period, lo), hi)
        if !onBeat {
            // The off-beat's place, slowly, from where the player puts it (straight to swung).
            let placed = (t - beatTick) / period - m.rounded(.down)
            swingRatio = min(0.75, max(0.5, swingRatio + 0.1 * (placed - swingRatio)))
        }
        steer(at: t)
        return resyncing ? .resync : (onBeat ? .beat : .offBeat)
    }

    private var onBeatVariance: Double {
        let j = options.onsetJitterSeconds * ticksPerSecond
        return j * j
    }

    /// Moves the filter's beat `beats` beats on: its uncertainty grows with each (bounded, so a
    /// long silence leaves it unsure of the phase but holding the tempo).
    private mutating func predict(beats: Int) {
        let rho = options.trendKept
        for _ in 0..<min(beats, 64) {
            beatTick += period
            period += trend
            trend *= rho
        }
        if beats > 64 { beatTick += Double(beats - 64) * period }
        period = min(max(period, nominalTicksPerBeat / options.tempoRange.upperBound), nominalTicksPerBeat / options.tempoRange.lowerBound)
        beatIndex += beats
        let qd = (options.trendDriftPerBeat * period) * (options.trendDriftPerBeat * period)
        let qp = (options.periodDriftPerBeat * period) * (options.periodDriftPerBeat * period)
        let qt = (options.phaseDriftSeconds * ticksPerSecond) * (options.phaseDriftSeconds * ticksPerSecond)
        let maxPhase = (0.15 * period) * (0.15 * period)
        let maxPeriod = (0.1 * period) * (0.1 * period)
        for _ in 0..<min(beats, 64) {
            // C ← F C Fᵀ + Q, F = [[1, 1, 0], [0, 1, 1], [0, 0, rho]].
            let a = c00 + 2 * c01 + c11 + qt
            let b = c01 + c11 + c02 + c12
            let c = rho * (c02 + c12)
            let d = c11 + 2 * c12 + c22 + qp
            let e = rho * (c12 + c22)
            let f = rho * rho * c22 + qd
            c00 = a; c01 = b; c02 = c; c11 = d; c12 = e; c22 = f
            if c00 >= maxPhase && c11 >= maxPeriod { break }
        }
        // Bounded, keeping the covariance a covariance (|c01| ≤ sqrt(c00 c11)).
        c00 = min(c00, maxPhase)
        c11 = min(c11, maxPeriod)
        let bound = (c00 * c11).squareRoot()
        c01 = min(max(c01, -bound), bound)
        let b2 = (c00 * c22).squareRoot(), b12 = (c11 * c22).squareRoot()
        c02 = min(max(c02, -b2), b2)
        c12 = min(max(c12, -b12), b12)
    }

    /// Re-aims playback at the filter: from where playback is at t, to the first whole beat at
    /// least `correctionBeats` on, where the filter puts it; then on at the filter's period.
    private mutating func steer(at t: Double) {
        let b = beatPosition(at: t)
        let j = (b + options.correctionBeats).rounded(.up)
        let filterTick = beatTick + (j - Double(beatIndex)) * period
        // Never faster or slower than the tempo range allows, nor than half or twice the filter.
        let lo = max(nominalTicksPerBeat / options.tempoRange.upperBound, period / 2)
        let hi = min(nominalTicksPerBeat / options.tempoRange.lowerBound, period * 2)
        let q = min(max((filterTick - t) / (j - b), lo), hi)
        anchorTick = t
        anchorPosition = b
        steerTicksPerBeat = q
        breakPosition = j
        breakTick = t + q * (j - b)
        afterTicksPerBeat = period
    }
}

/// ln x for x > 0 without Foundation: the binary exponent, and an atanh series on the
/// significand (error below 1e-5: enough to weigh grid points).
func naturalLog(_ x: Double) -> Double {
    let z = (x.significand - 1) / (x.significand + 1)   // significand in [1, 2): z in [0, 1/3)
    let z2 = z * z
    return Double(x.exponent) * 0.693_147_180_559_945_3 + 2 * z * (1 + z2 * (1.0 / 3 + z2 * (1.0 / 5 + z2 * (1.0 / 7 + z2 / 9))))
}
