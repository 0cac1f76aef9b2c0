import Composer
import LSTMModel
import MIDI
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
    public enum Learning: String, Sendable, CaseIterable { case off, session, keep }

    public struct Settings: Sendable {
        /// Ticks and tempo; its meter is the form's (the engine sets it).
        public var grid = TimeGrid(ticksPerQuarter: TimeGrid.defaultTicksPerQuarter, tempoBPM: 120)
        /// The form: the model's chart, a chart, or the model's own chord cells (free).
        public var form = FormChoice.model
        /// The rhythm section (drums, bass, comping, count-in), nil: none. With comping, the
        /// band's voicings replace improv's chord part (the model still hears its chords).
        public var band: BandParts?
        /// Follow the player's tempo (`clock.follow = "player"`): the driver hands the engine
        /// musical ticks from a BeatTracker (PlayerTempo.follow for an offline jam).
        public var followPlayer = false
        /// improv's eighths swing as the player's measured eighth pairs do (0.5 to 0.75).
        public var followSwing = false
        /// The meter when the chord cells run free (nil: the model's); a chart brings its own.
        public var meter: Meter?
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
        /// The player's notes below this are chords (nil: melody only); the pitch as played.
        public var splitPitch: UInt8? = 60
        /// Follow the player's key and mode (`key` is then only where the session starts); presets
        /// do by default (`session.key = "auto"`).
        public var followKey = false
        /// How strongly answers develop the player's call (0: the model alone, 1: the default).
        public var develop = 1.0
        /// Answers in the call's register (else in the model's, moved into the key).
        public var followRegister = true
        /// Answers at the call's velocities, varied (else at the player's average).
        public var followDynamics = true
        /// Learning the player live: after each call a copy of the weights is fine-tuned on the
        /// session's phrases and swapped in at a slice boundary (off, for this session, or kept).
        public var learn = Learning.off
        /// Fine-tune at once when a call ends (offline jams, tests) rather than on a worker thread.
        public var learnSynchronously = false
        /// Seconds after which a note held with nothing else played no longer keeps a call open
        /// (a stuck key, a lost note-off); nil: never.
        public var heldNoteTimeout: Double? = 4
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
    /// What improv hears in the player's playing: key, register, dynamics, the call's notes.
    public private(set) var listener: Listener
    /// The answer being played, developed from its call.
    public private(set) var plan = AnswerPlan()
    var guide: MelodyGuide
    /// The call's notes, copied out of the listener when an answer is planned.
    let callNotes: UnsafeMutableBufferPointer<Listener.HeardNote>
    /// The register of the call the answer answers.
    public private(set) var callFigures = Listener.Figures()
    /// The melody improv sends in each planned slice (the player's key and register), by g % count.
    var placedMelody: [MelodyEvent]
    /// The key the player is heard in: fixed by the preset, or the listener's.
    public var heardKey: Key { settings.followKey ? listener.key : settings.key }
    var session: Session
    /// The live learner (nil when `settings.learn` is off); its updates are taken at slice boundaries.
    public private(set) var learner: LiveLearner?
    /// How many learned updates the engine has swapped in.
    public private(set) var learnedUpdates = 0
    public private(set) var form: FormTracker
    /// The chart the chords follow (nil: the model's chord cells choose them, as in the paper).
    public let chart: ChordForm?
    /// Slices a bar, from the form's meter.
    public let slicesPerBar: Int
    /// The form's first chord is minor.
    let formIsMinor: Bool
    var performer: Performer
    /// The band, its output (moved into the player's key) and the count-in before the form.
    var band: Band?
    let bandOutput: KeyedOutput
    public let countInSlices: Int
    public private(set) var window: RollingWindow
    /// The model as a predictor: its state follows what was heard, its look-ahead runs ahead
    /// of the clock over planned slices.
    var predictor: LSTMPredictor
    var rng: SeededGenerator
    /// planned[g % planned.count]: the slice sampled for g (melody included even where the
    /// player owns it: it stands in for the player's notes when planning further ahead).
    var planned: [Slice]
    var plannedParts: [Session.Parts]
    /// The form in the model's key, one chorus of its chords (melody at rest), to put a fresh
    /// state at a place in the form, and the chart's chords where the chart leads.
    var formPrime: [Slice]
    /// Pitch classes of the player's chords in the bar so far.
    var playerChordMask: UInt16 = 0
    /// Last finished slice, and last planned one.
    public private(set) var finishedThrough = -1
    public private(set) var plannedThrough = -1
    /// After a panic, improv stays quiet until the player plays again.
    public private(set) var quietUntilPlayer = false
    public private(set) var lastTick = 0

    /// `start`: a kept adapted model to begin from (`learn = "keep"`), of the base's shape.
    public init(model: ImprovModel, settings: Settings, output: MIDIOutput, learnedStart: ImprovModel? = nil) {
        precondition(settings.lookahead >= 2, "lookahead must leave a slice of slack")
        var settings = settings
        chart = model.form(for: settings.form)
        let formShape = chart ?? model.form
        let meter = chart?.meter ?? settings.meter ?? formShape.meter
        settings.grid.meter = meter
        slicesPerBar = meter.slicesPerBar
        let tonicChord = formShape.chord(atBar: 0)
        formIsMinor = tonicChord.pitchClassMask & (1 << UInt16((tonicChord.root + 3) % 12)) != 0
        self.settings = settings
        self.model = model
        self.output = output
        let timeout = settings.heldNoteTimeout.map { max(1, Int(($0 / settings.grid.secondsPerSlice).rounded())) }
        tracker = PlayerTracker(grid: settings.grid, splitPitch: settings.splitPitch, heldNoteTimeout: timeout)
        listener = Listener(grid: settings.grid, splitPitch: settings.splitPitch,
                            fixedKey: settings.followKey ? nil : settings.key, startKey: settings.key)
        guide = MelodyGuide(encoding: model.encoding, strength: settings.develop)
        callNotes = .allocate(capacity: 128)
        callNotes.initialize(repeating: Listener.HeardNote(pitch: 0, velocity: 0, startTick: 0, startSlice: 0, endSlice: 0))
        session = Session(mode: settings.mode, callBars: settings.callBars, responseBars: settings.responseBars,
                          slicesPerBar: slicesPerBar)
        // Free chords in a meter other than the model's form: the form tracker and the prime
        // still need bars of that meter, so the model's chart is read as one chord a bar of it.
        let shape = formShape.meter == meter ? formShape
            : ChordForm(name: formShape.name, meter: meter, oneChordABar: formShape.bars.map { $0[0] })
        form = FormTracker(form: shape)
        performer = Performer(grid: settings.grid, swing: settings.swing, transpose: settings.key.offsetFromC,
                              chordChannel: settings.chordChannel, melodyChannel: settings.melodyChannel)
        performer.comping = settings.mode == .backing
        bandOutput = KeyedOutput(base: output)
        band = settings.band.map { Band(parts: $0, form: formShape.meter == meter ? formShape : shape, seed: settings.seed) }
        countInSlices = band?.countInSlices ?? 0
        window = RollingWindow(bars: settings.windowBars, slicesPerBar: slicesPerBar)
        // Free chords from a model trained on a folder are decoded into its corpus's chords.
        predictor = model.predictor(sampling: settings.sampling, decodeChords: chart == nil && model.harmony != nil)
        rng = SeededGenerator(seed: settings.seed)
        planned = [Slice](repeating: .silent, count: settings.lookahead + 2)
        plannedParts = [Session.Parts](repeating: .none, count: settings.lookahead + 2)
        placedMelody = [MelodyEvent](repeating: .rest, count: settings.lookahead + 2)
        formPrime = shape.chordSlices(encoding: model.encoding)
        if settings.learn != .off { startLearning(from: learnedStart) }
    }

    func startLearning(from start: ImprovModel?) {
        var options = LiveLearner.Options()
        options.mode = settings.learnSynchronously ? .synchronous : .background
        options.seed = settings.seed
        learner?.closeInBackground()
        learner = LiveLearner(base: model, options: options, start: start)
        predictor.ownWeights()
        if let start { _ = predictor.updateWeights { _ = $0.update(fromContentsOf: start.network.parameters); return true } }
    }

    /// Learning switched on (`.session` or `.keep`) or off while the session runs. Off: the base
    /// model's weights play again and the learner is closed off this thread. On: a fresh learner
    /// from the base model (what an earlier one learned is gone, as after a reset).
    public func setLearning(_ mode: Learning) {
        guard (mode == .off) != (learner == nil) else { return settings.learn = mode }
        settings.learn = mode
        if mode == .off {
            learner?.closeInBackground()
            learner = nil
            let base = model.network.parameters
            _ = predictor.updateWeights { _ = $0.update(fromContentsOf: base); return true }
        } else {
            startLearning(from: nil)
        }
    }

    /// Forgets what was learned of the player (a controller): back to the base weights.
    public func resetLearning() { learner?.reset() }

    deinit {
        learner?.close()
        callNotes.deallocate()
        guide.deallocate()
    }

    /// Program changes for both parts at tick 0, and the first slices planned: call once,
    /// before the clock starts.
    public func start() {
        output.schedule(.programChange(channel: settings.chordChannel, program: settings.chordProgram), atTick: 0)
        output.schedule(.programChange(channel: settings.melodyChannel, program: settings.melodyProgram), atTick: 0)
        band?.setUp(atTick: 0, to: bandOutput)
        planAhead()
    }

    // MARK: The player

    public func noteOn(channel: UInt8, key: UInt8, velocity: UInt8, tick: Int) {
        if velocity == 0 { return noteOff(channel: channel, key: key, tick: tick) }
        guard key < 128 else { return }
        if settings.passThrough { performer.passThrough(.noteOn(channel: settings.passThroughChannel, key: key, velocity: velocity), to: output) }
        // The player's pitches as played: the chord split and the listener take them so; the
        // model hears them moved into its key when each slice is finished.
        tracker.noteOn(key: key, velocity: velocity, tick: tick)
        listener.noteOn(pitch: key, velocity: velocity, tick: tick)
        quietUntilPlayer = false
    }

    public func noteOff(channel: UInt8, key: UInt8, tick: Int) {
        guard key < 128 else { return }
        if settings.passThrough { performer.passThrough(.noteOff(channel: settings.passThroughChannel, key: key), to: output) }
        tracker.noteOff(key: key, tick: tick)
        listener.noteOff(pitch: key, tick: tick)
    }

    /// The player's port went away: whatever the player held is released.
    public func playerGone(atTick tick: Int) {
        tracker.releaseAll(atTick: tick)
        listener.releaseAll(atTick: tick)
    }

    /// Semitones from the model's key (C) to the player's, the nearer way round.
    var keyOffset: Int { heardKey.offsetFromC }

    /// Pitch classes (in the model's C) lowered a semitone in improv's chords: the model's blues
    /// chords made minor (C7 to Cm7, F7 to Fm7, Dm7 to Dm7b5) for a minor player, the third only
    /// for a dorian one.
    var loweredChordTones: UInt16 {
        // A minor form (minor blues, a minor tune's chart) has its minor chords already.
        guard !formIsMinor else { return 0 }
        switch listener.colour {
        case .minor: return Listener.minorLowered
        case .dorian: return Listener.dorianLowered
        case .major, .blues: return 0
        }
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
        band?.forget(through: tick)
    }

    /// The slice whose middle is the next deadline, as a tick (for a driver that sleeps).
    public var nextDeadline: Int {
        let tps = settings.grid.ticksPerSlice
        return (finishedThrough + 1) * tps + tps / 2
    }

    func finishSlice(_ s: Int) {
        // A finished fine-tune is swapped in here, between slices: a copy, never a wait.
        if let learner, predictor.updateWeights({ learner.takeUpdate(into: $0) }) { learnedUpdates += 1 }
        let player = model.encoding.folded(tracker.slice(s).transposed(by: -keyOffset))
        let silent = tracker.silentSlices(before: s + 1)
        let before = session.phase
        session.sliceFinished(s, playerActive: player.melody.pitch != nil || !player.chord.isEmpty, silentSlices: silent)
        if case .calling(let from) = before, case .answering(let start, let end) = session.phase {
            planAnswer(call: from..<start, answer: start..<end)
        }

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
        if s % slicesPerBar == slicesPerBar - 1 {
            if playerChordMask != 0, form.heard(chordMask: playerChordMask, inBar: s / slicesPerBar) {
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
        predictor.startLookahead()
        performer.transpose = keyOffset
        for g in (s + 1)...(s + settings.lookahead) {
            if g > plannedThrough {
                let silentThen = silent == Int.max ? silent : silent + (g - s - 1)
                var parts = quietUntilPlayer ? .none : session.parts(at: g, silentSlices: silentThen)
                // The band's comping plays the chords (improv's own come back when it is off).
                if band?.isPlaying(.comping) == true { parts.chords = false }
                if parts.melody && !plannedParts[(g - 1 + planned.count) % planned.count].melody && !(plan.start..<(plan.start + plan.count)).contains(g) {
                    planFill(at: g)
                }
                let i = g % planned.count
                var slice = sampleLookahead(at: g, guided: parts.melody)
                if chart != nil {
                    // A lead sheet: the chart's chords are the chord part, the model's melody plays over them.
                    let c = formPrime[formPosition(ofSlice: g)]
                    slice.chord = c.chord
                    slice.chordOnset = c.chordOnset
                }
                if g == 0 { slice = Slice(chord: formPrime[formPosition(ofSlice: 0)].chord, chordOnset: true, melody: .rest) }
                planned[i] = slice
                plannedParts[i] = parts
                plannedThrough = g
                let melody = parts.melody ? place(slice.melody, at: g) : .rest
                placedMelody[i] = melody
                let average = UInt8(clamping: Int(tracker.averageVelocity.rounded()))
                let melodyVelocity = max(30, settings.followDynamics ? plan.velocity(at: g) ?? average : average)
                let chordVelocity = UInt8(clamping: Int(min(110, max(25, tracker.averageVelocity * 0.8)).rounded()))
                performer.play(slice, at: g, parts: parts, melody: melody, melodyVelocity: melodyVelocity,
                               chordVelocity: chordVelocity, lowered: loweredChordTones, to: output)
                if band != nil && !quietUntilPlayer {
                    bandOutput.semitones = keyOffset
                    let formSlice = g < countInSlices ? g - countInSlices : formPosition(ofSlice: g)
                    band!.play(slice: g, formSlice: formSlice, tick: { performer.tick(ofSlice: $0) }, to: bandOutput)
                }
            }
            if g < s + settings.lookahead { predictor.stepLookahead(with: planned[g % planned.count]) }
        }
    }

    /// The next slice from the look-ahead state: chords by the preset's sampling; the melody,
    /// where improv plays it, by the answer's guide (the model alone at develop = 0).
    func sampleLookahead(at g: Int, guided: Bool) -> Slice {
        var slice = predictor.sampleLookahead(using: &rng)
        if chart == nil, let decoder = predictor.chordDecoder {
            let c = decoder.decode(predictor.lookahead.chordProbabilities, sliceInBar: g % slicesPerBar, using: &rng)
            slice.chord = c.chord
            slice.chordOnset = c.onset
        }
        guard guided, guide.strength > 0 else { return slice }
        let sounding = g > 0 ? planned[(g - 1) % planned.count].melody : .rest
        // The listener's scale is relative to the tonic, which is the model's C. A fixed key fixes
        // the tonic and major or minor; the colour still follows the player.
        let klass = guide.choose(logits: predictor.lookahead.melodyLogits, temperature: settings.sampling.temperature,
                                 target: plan.target(at: g), sounding: sounding, scaleMask: listener.scaleMask,
                                 tonicOffset: keyOffset, leaning: { listener.weight(ofDegree: $0) }, using: &rng)
        slice.melody = model.encoding.melodyEvent(forClass: klass)
        return slice
    }

    /// The melody as sent: the model's pitch moved into the player's key, in the octave nearest
    /// the plan's pitch, or the note before, within the call's register.
    func place(_ event: MelodyEvent, at g: Int) -> MelodyEvent {
        guard let p = event.pitch else { return .rest }
        let base = Int(p) + keyOffset
        guard settings.followRegister, callFigures.count > 0 else {
            return event.isAttack ? .attack(UInt8(clamping: max(0, min(127, base)))) : .hold(UInt8(clamping: max(0, min(127, base))))
        }
        let previous = g > 0 ? placedMelody[(g - 1) % planned.count] : .rest
        if case .hold = event, let q = previous.pitch, (Int(q) - base) % 12 == 0 { return .hold(q) }
        var aim = callFigures.meanPitch
        switch plan.target(at: g) {
        case .attack(let t), .lean(let t): aim = Double(t)
        default: if let q = previous.pitch { aim = Double(q) }
        }
        var out = base + 12 * Int(((aim - Double(base)) / 12).rounded())
        // Keep within the call's range, widened a little.
        let low = Int(callFigures.lowPitch) - 4, high = Int(callFigures.highPitch) + 4
        while out > high && out - 12 >= low - 8 { out -= 12 }
        while out < low && out + 12 <= high + 8 { out += 12 }
        return .attack(UInt8(clamping: max(0, min(127, out))))
    }

    /// An answer was decided: the call's notes and figures are taken from the listener and the
    /// answer planned from them.
    func planAnswer(call: Range<Int>, answer: Range<Int>) {
        listener.settleKey(over: call)
        submitToLearner(call)
        let n = listener.notes(startingIn: call, into: callNotes)
        callFigures = listener.figures(startingIn: call)
        if settings.followSwing, let swing = callFigures.swing { performer.swing = swing }
        let callChord = form.form.chord(atSlice: formPosition(ofSlice: call.lowerBound))
        let answerChord = form.form.chord(atSlice: formPosition(ofSlice: answer.lowerBound))
        plan.build(call: UnsafeBufferPointer(rebasing: callNotes[0..<n]), answer: answer, key: heardKey,
                   scaleMask: listener.scaleMask, chordShift: answerChord.root - callChord.root,
                   slicesPerBar: slicesPerBar, using: &rng)
    }

    /// The call as the model heard it (the player's melody over the chords) goes to the learner.
    /// Once per call: the phrase is copied into the learner's ring (the only allocation at a
    /// slice, and only when learning is on).
    func submitToLearner(_ call: Range<Int>) {
        guard let learner else { return }
        let from = max(call.lowerBound, window.firstSlice), to = min(call.upperBound, window.nextSlice)
        guard to - from >= 2 else { return }
        learner.submit(phrase: (from..<to).map { window[$0] })
        if settings.learnSynchronously, predictor.updateWeights({ learner.takeUpdate(into: $0) }) { learnedUpdates += 1 }
    }

    /// improv's melody starts without a decided answer (fixed trading, backing fills, duet):
    /// the plan develops what the player played in the bars before.
    func planFill(at g: Int) {
        let per = slicesPerBar
        let bars = settings.callBars > 0 ? settings.callBars : 2
        let from = max(0, (g / per - bars) * per)
        let length = settings.mode == .callAndResponse && settings.callBars > 0
            ? (settings.responseBars > 0 ? settings.responseBars : settings.callBars) * per : 2 * per
        planAnswer(call: from..<g, answer: g..<(g + length))
    }

    // MARK: State from the window

    /// Where slice `s` falls in the form (0 ..< the form's slices).
    public func formPosition(ofSlice s: Int) -> Int {
        let n = formPrime.count
        return ((s - countInSlices + form.shift * slicesPerBar) % n + n) % n
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
        band?.silenceNow(bandOutput)
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

    /// Fixes the key (nil: follows the player's again, as session.key = "auto"). What is planned
    /// already plays on; the slices planned next are in the new key.
    public func setKey(_ key: Key?) {
        settings.followKey = key == nil
        if let key { settings.key = key }
        listener.fix(key: key)
    }

    /// Switches a part of the band on or off (a preset's part only: the band is made at start).
    /// Returns false when the session's band has no such part.
    @discardableResult
    public func setBand(_ part: Band.Part, playing: Bool) -> Bool {
        band?.set(part, playing: playing) ?? false
    }

    /// Whether the band has `part` and it plays.
    public func bandPlays(_ part: Band.Part) -> Bool { band?.isPlaying(part) ?? false }

    /// The swing improv's eighths play with now (the player's when the preset follows it).
    public var swing: Double { performer.swing }

    /// How answers listen to their call (listen.develop, listen.register, listen.dynamics), from
    /// the next slice planned on; nil leaves one as it is.
    public func setListening(develop: Double? = nil, register: Bool? = nil, dynamics: Bool? = nil) {
        if let develop {
            settings.develop = min(2, max(0, develop))
            guide.strength = settings.develop
        }
        if let register { settings.followRegister = register }
        if let dynamics { settings.followDynamics = dynamics }
    }

    /// Sets the swing (0.5 straight to 0.75), or follows the player's again (nil: from their
    /// next call on). Safe between slices: events are placed as each slice is played, so the
    /// slices played next swing the new way and nothing planned before moves.
    public func setSwing(_ swing: Double?) {
        settings.followSwing = swing == nil
        if let swing {
            settings.swing = min(0.75, max(0.5, swing))
            performer.swing = settings.swing
        }
    }

    /// Whether the session's band has `part` at all.
    public func bandHas(_ part: Band.Part) -> Bool { band?.has(part) ?? false }

    /// Switches mode; the model's state is rebuilt from the window.
    public func setMode(_ mode: Session.Mode) {
        settings.mode = mode
        session = Session(mode: mode, callBars: settings.callBars, responseBars: settings.responseBars, slicesPerBar: slicesPerBar)
        performer.comping = mode == .backing
        rebuildState()
    }

    /// A new model (a reload); its state is rebuilt from the window. The model must have the
    /// slice encoding and the size of the one before.
    public func reload(model newModel: ImprovModel) throws {
        // The engine's buffers (planning, the melody guide) are sized for the model's encoding,
        // and the live learner (and the adapted model it keeps) for its size: a model of another
        // shape is refused and the old one plays on.
        guard newModel.encoding == model.encoding else {
            throw ReloadError(reason: "the new model's slice encoding (\(newModel.encoding.chordCount) chord and \(newModel.encoding.melodyCount) melody pitches from \(newModel.encoding.chordLow) and \(newModel.encoding.melodyLow)) differs from the playing model's (\(model.encoding.chordCount) and \(model.encoding.melodyCount) from \(model.encoding.chordLow) and \(model.encoding.melodyLow)); restart improv to change it")
        }
        let old = model.network.topology, new = newModel.network.topology
        guard new == old else {
            throw ReloadError(reason: "the new model's size (\(Self.cells(new))) differs from the playing model's (\(Self.cells(old))); restart improv to change it")
        }
        model = newModel
        predictor = newModel.predictor(sampling: settings.sampling, decodeChords: chart == nil && newModel.harmony != nil)
        if settings.learn != .off { startLearning(from: nil) }
        // The form stays the session's (the player is in it); the new model plays it.
        rebuildState()
    }

    /// A network's size as a reload's refusal names it.
    static func cells(_ t: Topology) -> String {
        "\(t.chordBlocks)x\(t.chordCellsPerBlock) chord and \(t.melodyBlocks)x\(t.melodyCellsPerBlock) melody cells"
            + (t.cellKind == .lstm ? "" : ", \(t.cellKind)")
    }

    public struct ReloadError: Error, CustomStringConvertible {
        public var reason: String
        public var description: String { "reload refused: \(reason)" }
    }

    /// How many notes improv may have sounding (for tests and status).
    public var soundingNotes: Int { performer.ledger.soundingCount + (band?.soundingCount ?? 0) }
}
