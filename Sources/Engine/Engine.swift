import Composer
import LSTMModel
import MusicCore

/// The real-time improviser: hears the player, steps the LSTM once per eighth-note slice and
/// plays its answers on the output a little ahead of time.
///
/// The engine is driven from outside, so the same code runs in real time (ALSA's queue) and
/// in simulated time (tests, offline jams): the driver reports the player's notes with their
/// ticks and calls `advance(to:)` as the clock moves. Slice s is finished once the clock is
/// past its middle (every note that rounds into it has arrived); then the model hears it, and
/// the engine plans `lookahead` slices ahead on a copy of the model's state, scheduling what
/// improv plays in them. Only the chord cells decide the chords and they never see the
/// melody, so chords planned ahead are the ones the model will also play with the player's
/// real notes. Not thread-safe: one thread (the driver's) calls in.
public final class Engine {
    public struct Settings: Sendable {
        public var grid = TimeGrid(ticksPerQuarter: 480, tempoBPM: 120)
        public var key = Key.c
        public var swing = 0.5
        public var mode = Session.Mode.callAndResponse
        public var callBars = 0
        public var responseBars = 0
        public var chordChannel: UInt8 = 0
        public var melodyChannel: UInt8 = 1
        public var chordProgram: UInt8 = 0
        public var melodyProgram: UInt8 = 66
        public var passThrough = false
        /// The channel passed-through notes go out on (apart from improv's, so that a player's
        /// note-off never cuts improv's note of the same key, nor the other way round).
        public var passThroughChannel: UInt8 = 2
        /// The player's notes below this are chords (nil: melody only).
        public var splitPitch: UInt8? = 60
        /// Slices planned ahead of the last finished one (at least 2: a slice of slack).
        public var lookahead = 2
        public var windowBars = 12
        public var sampling = SamplingOptions.paper
        public var seed: UInt64 = 1
        public init() {}
    }

    public private(set) var settings: Settings
    public private(set) var model: ImprovModel
    let output: MIDIOutput
    var tracker: PlayerTracker
    var session: Session
    public private(set) var form: FormTracker
    var performer: Performer
    public private(set) var window: RollingWindow
    var predictor: LSTMPredictor
    /// A second state that runs ahead of the clock over planned slices.
    var lookaheadState: NetworkState
    let chordScratch: UnsafeMutableBufferPointer<Float>
    var rng: SeededGenerator
    /// planned[g % planned.count]: the slice sampled for g (melody included even where the
    /// player owns it: it stands in for the player's notes when planning further ahead).
    var planned: [Slice]
    var plannedParts: [Session.Parts]
    /// The form in the model's key, one chorus, to put a fresh state at a place in the form.
    var formPrime: [Slice]
    /// Pitch classes of the player's chords in the bar so far.
    var playerChordMask: UInt16 = 0
    /// Last finished slice, and last planned one.
    public private(set) var finishedThrough = -1
    public private(set) var plannedThrough = -1
    /// After a panic, improv stays quiet until the player plays again.
    public private(set) var quietUntilPlayer = false
    public private(set) var lastTick = 0

    public init(model: ImprovModel, settings: Settings, output: MIDIOutput) {
        precondition(settings.lookahead >= 2, "lookahead must leave a slice of slack")
        self.settings = settings
        self.model = model
        self.output = output
        tracker = PlayerTracker(grid: settings.grid, splitPitch: settings.splitPitch)
        session = Session(mode: settings.mode, callBars: settings.callBars, responseBars: settings.responseBars)
        form = FormTracker(form: .eckBlues)
        performer = Performer(grid: settings.grid, swing: settings.swing, transpose: settings.key.offsetFromC,
                              chordChannel: settings.chordChannel, melodyChannel: settings.melodyChannel)
        performer.comping = settings.mode == .backing
        window = RollingWindow(bars: settings.windowBars)
        predictor = model.predictor(sampling: settings.sampling)
        lookaheadState = model.network.makeState()
        chordScratch = .allocate(capacity: model.encoding.chordInputSize)
        chordScratch.initialize(repeating: 0)
        rng = SeededGenerator(seed: settings.seed)
        planned = [Slice](repeating: .silent, count: settings.lookahead + 2)
        plannedParts = [Session.Parts](repeating: .none, count: settings.lookahead + 2)
        formPrime = EckCorpus.chorus(0).map(model.encoding.folded)
    }

    deinit { chordScratch.deallocate() }

    /// Program changes for both parts at tick 0, and the first slices planned: call once,
    /// before the clock starts.
    public func start() {
        output.schedule(.programChange(channel: settings.chordChannel, program: settings.chordProgram), atTick: 0)
        output.schedule(.programChange(channel: settings.melodyChannel, program: settings.melodyProgram), atTick: 0)
        planAhead()
    }

    // MARK: The player

    public func noteOn(channel: UInt8, key: UInt8, velocity: UInt8, tick: Int) {
        if velocity == 0 { return noteOff(channel: channel, key: key, tick: tick) }
        if settings.passThrough { performer.passThrough(.noteOn(channel: settings.passThroughChannel, key: key, velocity: velocity), to: output) }
        guard let k = intoModelKey(key) else { return }
        tracker.noteOn(key: k, velocity: velocity, tick: tick)
        quietUntilPlayer = false
    }

    public func noteOff(channel: UInt8, key: UInt8, tick: Int) {
        if settings.passThrough { performer.passThrough(.noteOff(channel: settings.passThroughChannel, key: key), to: output) }
        guard let k = intoModelKey(key) else { return }
        tracker.noteOff(key: k, tick: tick)
    }

    /// The player's port went away: whatever the player held is released.
    public func playerGone(atTick tick: Int) { tracker.releaseAll(atTick: tick) }

    /// The player's key moved into the model's (C); nil when it leaves MIDI's range.
    func intoModelKey(_ key: UInt8) -> UInt8? {
        let k = Int(key) - settings.key.offsetFromC
        return (0...127).contains(k) ? UInt8(k) : nil
    }

    // MARK: The clock

    /// Finishes every slice whose middle the clock has passed, and plans ahead.
    public func advance(to tick: Int) {
        lastTick = max(lastTick, tick)
        let tps = settings.grid.ticksPerSlice
        while (finishedThrough + 1) * tps + tps / 2 <= tick {
            finishSlice(finishedThrough + 1)
        }
        performer.forget(through: tick)
    }

    /// The slice whose middle is the next deadline, as a tick (for a driver that sleeps).
    public var nextDeadline: Int {
        let tps = settings.grid.ticksPerSlice
        return (finishedThrough + 1) * tps + tps / 2
    }

    func finishSlice(_ s: Int) {
        let player = model.encoding.folded(tracker.slice(s))
        let silent = tracker.silentSlices(before: s + 1)
        session.sliceFinished(s, playerActive: player.melody.pitch != nil || !player.chord.isEmpty, silentSlices: silent)

        // What the model hears in slice s: improv's own parts where it played, the player's
        // melody otherwise, and the player's chord whenever the player plays one.
        var heard = planned[s % planned.count]
        if !plannedParts[s % planned.count].melody { heard.melody = player.melody }
        if !player.chord.isEmpty {
            heard.chord = player.chord
            heard.chordOnset = player.chordOnset
            playerChordMask |= player.chord.pitchClassMask
        }
        predictor.observe(heard)
        window.append(heard)
        finishedThrough = s

        // At a bar's end, a player who played chords tells the engine where the form is.
        if s % TimeGrid.slicesPerBar == TimeGrid.slicesPerBar - 1 {
            if playerChordMask != 0, form.heard(chordMask: playerChordMask, inBar: s / TimeGrid.slicesPerBar) {
                rebuildState()
            }
            playerChordMask = 0
        }
        planAhead()
    }

    /// Plans the slices up to `lookahead` past the last finished one, on a copy of the state.
    func planAhead() {
        let s = finishedThrough
        let silent = tracker.silentSlices(before: s + 1)
        lookaheadState.copy(from: predictor.state)
        for g in (s + 1)...(s + settings.lookahead) {
            if g > plannedThrough {
                let silentThen = silent == Int.max ? silent : silent + (g - s - 1)
                let parts = quietUntilPlayer ? .none : session.parts(at: g, silentSlices: silentThen)
                var slice = sampleLookahead()
                if g == 0 { slice = Slice(chord: formPrime[0].chord, chordOnset: true, melody: .rest) }
                planned[g % planned.count] = slice
                plannedParts[g % planned.count] = parts
                plannedThrough = g
                performer.play(slice, at: g, parts: parts, velocity: tracker.averageVelocity, to: output)
            }
            if g < s + settings.lookahead { stepLookahead(planned[g % planned.count]) }
        }
    }

    func sampleLookahead() -> Slice {
        let enc = model.encoding
        let klass = predictor.sampler.sample(lookaheadState, chordUnits: chordScratch, using: &rng)
        let chord = enc.decodeChord(UnsafeBufferPointer(chordScratch))
        return Slice(chord: chord.chord, chordOnset: chord.onset, melody: enc.melodyEvent(forClass: klass))
    }

    func stepLookahead(_ slice: Slice) {
        model.encoding.encodeChord(slice, into: lookaheadState.chordInput)
        model.encoding.encodeMelody(slice, into: lookaheadState.melodyInput)
        model.network.step(lookaheadState)
    }

    // MARK: State from the window

    /// Where slice `s` falls in the 96-slice form.
    public func formPosition(ofSlice s: Int) -> Int {
        let n = formPrime.count
        return ((s + form.shift * TimeGrid.slicesPerBar) % n + n) % n
    }

    /// Rebuilds the model's state from the rolling window: a fresh state is walked through the
    /// form up to where the session is, hearing the window's melody over the form's chords
    /// (after a model reload, a mode change, or when the player moved in the form).
    public func rebuildState() {
        predictor.reset()
        let next = finishedThrough + 1
        let position = formPosition(ofSlice: next)
        for i in 0..<position {
            var slice = formPrime[i]
            let t = next - position + i
            if t >= max(0, window.firstSlice) && t < window.nextSlice { slice.melody = window[t].melody }
            predictor.observe(slice)
        }
    }

    // MARK: Control

    /// Silences everything at once: scheduled events dropped, a note-off for every note that
    /// may sound, all-notes-off on every channel used. improv then waits for the player.
    public func panic() {
        output.dropScheduled()
        performer.silenceNow(output)
        tracker.releaseAll(atTick: lastTick)
        session.reset()
        quietUntilPlayer = true
        if plannedThrough > finishedThrough {
            for g in (finishedThrough + 1)...plannedThrough { plannedParts[g % planned.count] = .none }
        }
    }

    /// The end of the session (shutdown): the same as panic.
    public func stop() { panic() }

    /// Melody temperature and top-k, at once.
    public func setSampling(_ sampling: SamplingOptions) {
        settings.sampling = sampling
        predictor.sampler = Sampler(sampling)
    }

    /// Switches mode; the model's state is rebuilt from the window.
    public func setMode(_ mode: Session.Mode) {
        settings.mode = mode
        session = Session(mode: mode, callBars: settings.callBars, responseBars: settings.responseBars)
        performer.comping = mode == .backing
        rebuildState()
    }

    /// A new model (a reload); its state is rebuilt from the window. The model must use the
    /// same slice encoding sizes as the one before.
    public func reload(model newModel: ImprovModel) {
        model = newModel
        predictor = newModel.predictor(sampling: settings.sampling)
        lookaheadState = newModel.network.makeState()
        formPrime = EckCorpus.chorus(0).map(newModel.encoding.folded)
        rebuildState()
    }

    /// How many notes improv may have sounding (for tests and status).
    public var soundingNotes: Int { performer.ledger.soundingCount }
}
