import Composer
import Engine
import Foundation
import Logging
import MIDI
import MusicCore
import Presets

/// improv live on a sequencer: the player's port in, the engine, the answer out.
///
/// One thread runs the loop: it waits for input at most until the engine's next slice
/// deadline, hands the player's events to the engine with the ticks the queue stamped on them,
/// lets the engine finish slices up to the queue's current tick, and drains the output. The
/// output events sit on the queue at their ticks: the kernel plays them on time, whatever
/// this thread is doing. Besides the loop's thread, only `control` may be touched.
public final class LiveDaemon {
    public private(set) var preset: Preset
    public let sequencer: LiveSequencer
    public let engine: Engine
    /// The one thread-safe door: the daemon's state, and changes to its settings.
    public let control = DaemonControl()
    /// Where the preset and the model came from, for reloads (nil: built in).
    public var presetPath: String?
    public var modelPath: String?
    /// How a reload reads them (a test may hand in its own).
    public var loadPreset: @Sendable (String) throws -> Preset = { try Preset.load(path: $0) }
    public var loadModel: @Sendable (String) throws -> ImprovModel = { try ImprovModel.load(path: $0) }
    /// What a reload reads, for a thread other than the loop's to read it (set the paths first).
    public var reloadFiles: ReloadFiles {
        ReloadFiles(presetPath: presetPath, modelPath: modelPath, startModelFile: startModelFile,
                    loadPreset: loadPreset, loadModel: loadModel)
    }
    private let startModelFile: String?
    /// Where `learn = "keep"` reads and writes the adapted model.
    public let keptModelPath: String

    let log: Logger
    let notifier: ServiceNotifier?
    let output: SequencerOutput
    let connections: Connections
    let clock: ClockSync
    private(set) var controllers: ControllerMap
    /// The engine's settings at start (from the preset; a reload changes only some of them).
    let startSettings: Engine.Settings
    /// Input overflows already dealt with, and when one was last logged.
    private var overrunsSeen = 0
    private var overrunLogged = -Double.infinity
    private var reloads = 0
    /// Turns that found the queue past what was planned, and when that was last logged.
    public private(set) var lateTurns = 0
    private var behindLogged = -Double.infinity
    private var running = false
    private var publishedAt = -Double.infinity
    private var portsListedAt = -Double.infinity
    /// The name of the preset last taken (at start, or by a reload).
    private var playingPresetName: String
    /// The file of the preset playing, when a reload read another than `presetPath` (the page's
    /// preset choice); SIGHUP still re-reads `presetPath`.
    private var playingPresetFile: String?
    private var ports: [PortListing] = []
    /// What the loop records for a watcher (the control page): notes heard and played, beats.
    let tap = EventTap()

    /// Where the loop records its events (notes heard and played, a beat's place in the form,
    /// all notes off), nil: nowhere. Set it before the loop runs; the ring is read from another
    /// thread (DaemonEventRing).
    public var events: DaemonEventRing? {
        get { tap.ring }
        set { tap.ring = newValue }
    }

    /// Opens the session on `sequencer` (its ports and queue made, the queue not started):
    /// the engine with the preset's settings, the kept model when learning is kept, and the
    /// preset's connections.
    public init(preset: Preset, model: ImprovModel, sequencer: LiveSequencer, sound: LiveSound? = nil,
                notifier: ServiceNotifier? = nil, logger: Logger, seed: UInt64? = nil,
                keptModelPath: String = Daemon.keptModelPath()) {
        self.preset = preset
        playingPresetName = preset.name
        startModelFile = preset.modelFile
        self.sequencer = sequencer
        self.notifier = notifier
        self.log = logger
        self.keptModelPath = keptModelPath
        controllers = ControllerMap(preset: preset)
        output = SequencerOutput(sequencer: sequencer, log: logger)
        let settings = Engine.Settings(preset: preset, seed: seed)
        clock = ClockSync(tempoBPM: preset.tempoBPM, followClock: preset.followClock, sendClock: preset.sendClock,
                          followPlayer: preset.followPlayer, grid: settings.grid, sequencer: sequencer, sound: sound, log: logger)
        if preset.followPlayer { logger.notice("following the player's tempo, from \(Int(preset.tempoBPM.rounded())) BPM") }
        if let sound { logger.notice("\(sound.announcement)") }
        let engineOutput: MIDIOutput
        switch (preset.output, sound) {
        case (.fluidsynth, let sound?): engineOutput = sound.output
        case (.both, let sound?): engineOutput = FanOutOutput([output, sound.output])
        default: engineOutput = output
        }
        var kept: ImprovModel?
        if preset.learn == .keep {
            switch LiveLearner.loadKept(path: keptModelPath, base: model) {
            case .loaded(let m): kept = m; logger.notice("learning: the player's adapted model from \(keptModelPath)")
            case .absent: logger.info("learning: no adapted model at \(keptModelPath) yet; starting from the base")
            case .refused(let reason): logger.warning("learning: \(reason)")
            }
        }
        engine = Engine(model: model, settings: settings, output: TappedOutput(engineOutput, tap: tap), learnedStart: kept)
        startSettings = settings
        connections = Connections(inputs: preset.inputs, outputs: preset.outputs, sequencer: sequencer, log: logger)
        connections.connectMissing(quiet: false)
        publish()
    }

    public var address: String { "\(sequencer.clientID):\(sequencer.inputPort)" }
    public var tempoBPM: Double { clock.tempoBPM }

    /// The status line systemd shows.
    public var status: String { "\(engine.settings.mode.rawValue) in \(engine.settings.key), \(Int(tempoBPM.rounded())) BPM" }

    /// Runs until `shouldStop` says so; then silences everything and drains. A reload request
    /// re-reads the preset and the model here; `readReload` hands in one read off this thread
    /// (SIGHUP's path). A bad one is refused and the old one plays on.
    public func run(shouldStop: () -> Bool, reloadRequested: () -> Bool = { false },
                    readReload: () -> Result<ReloadFiles.Read, any Error>? = { nil }) throws {
        try start()
        while !shouldStop() {
            if reloadRequested() { reload() }
            if let read = readReload() { reload(with: read) }
            try turn(shouldStop: shouldStop)
        }
        stop()
    }

    /// Starts the engine and the queue, silences what a daemon killed before may have left
    /// sounding, and reports ready.
    public func start() throws {
        engine.start()
        try sequencer.startQueue()
        // A daemon killed before (SIGKILL, a crash, a power cut) may have left notes sounding
        // at the synth: end them before playing anything.
        for channel in Set([preset.chordChannel, preset.melodyChannel] + (preset.passThrough ? [preset.passThroughChannel] : [])).sorted() {
            try sequencer.sendNow(.channel(.allNotesOff(channel: channel)))
        }
        if preset.sendClock { output.schedule(MIDIMessage.start, atTick: 0) }
        try sequencer.drain()
        running = true
        let line = "improv \(preset.name): \(engine.settings.mode.rawValue) in \(preset.key) at \(Int(tempoBPM)) BPM; "
            + "input \(sequencer.clientID):\(sequencer.inputPort), output \(sequencer.clientID):\(sequencer.outputPort)"
        log.notice("\(line)")
        publish()
        // Ready only now: ports open, queue running, model loaded.
        notifier?.ready(status: status)
    }

    /// One turn of the loop: changes asked for, input up to the next slice deadline (50 ms at
    /// most), the engine up to the queue's tick, clock out, drain. A stop asked for while it
    /// waited ends the turn there: the notes go off before any more planning.
    public func turn(shouldStop: () -> Bool = { false }) throws {
        notifier?.pingIfDue()
        // A preset chosen on the control page first: a request's changes come after it.
        let asked = control.take()
        if let read = asked.reload { reload(with: read) }
        for change in asked.changes { apply(change) }
        if asked.reload != nil || !asked.changes.isEmpty { control.applied(through: asked.through) }
        let now = try sequencer.currentTick()
        checkBehind(at: now)
        // The next tempo change of the player's map is a deadline too (a whole beat).
        let deadline = min(engine.nextDeadline, clock.nextPlayerTempoChange ?? .max)
        let wait = Double(max(0, deadline - now)) / clock.ticksPerMs
        for event in try sequencer.read(timeoutMs: Int(min(50, max(1, wait.rounded(.up))))) { handle(event) }
        if shouldStop() { return }
        if clock.followsPlayer { clock.reached(tick: try sequencer.currentTick()) }
        if sequencer.inputOverruns != overrunsSeen { inputOverflowed() }
        let tick = try sequencer.currentTick()
        engine.advance(to: tick)
        tap.now = tick
        if tap.ring != nil, tick / ClockSync.ppq != tap.beat {
            tap.beat = tick / ClockSync.ppq
            tap.ring?.record(DaemonEvent(kind: .beat, tick: tap.beat * ClockSync.ppq, value: engine.formPosition(ofSlice: max(0, engine.finishedThrough + 1))))
        }
        clock.sendClock(through: engine.plannedThrough * 240 + 240, to: output)
        try sequencer.drain()
        // The snapshot allocates (names, connections): ten a second is plenty for a reader.
        if sequencer.seconds - publishedAt >= 0.1 { publish() }
    }

    /// The queue reached a slice the engine had not planned yet: the loop was held up (an
    /// overloaded machine, a stalled disk) and that slice's notes come late. Counted, and said
    /// once a second at most.
    func checkBehind(at tick: Int) {
        let due = (engine.plannedThrough + 1) * engine.settings.grid.ticksPerSlice
        guard running, tick >= due else { return }
        lateTurns += 1
        guard sequencer.seconds - behindLogged >= 1 else { return }
        behindLogged = sequencer.seconds
        let ms = Int((Double(tick - due) / clock.ticksPerMs).rounded())
        log.warning("improv fell behind the music by \(ms) ms (\(lateTurns) times so far): its notes came late; is the machine overloaded?")
    }

    /// Panic and stop: every note off, reaching the output before this returns.
    public func stop() {
        notifier?.stopping()
        engine.stop()
        if preset.sendClock { output.schedule(MIDIMessage.stop, atTick: 0); output.sendNow(MIDIMessage.stop) }
        do { try sequencer.drain() } catch { log.warning("drain at stop: \(error)") }
        log.notice("stopped; all notes off sent")
        running = false
        saveLearned()
        publish()
    }

    /// With `learn = "keep"`, the adapted model is written (atomically) for the next start.
    func saveLearned() {
        guard preset.learn == .keep, let learner = engine.learner, learner.phrasesLearned > 0 else { return }
        let path = keptModelPath
        do {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try learner.save(to: path)
            log.notice("learning: kept the adapted model (\(learner.phrasesLearned) phrases) in \(path)")
        } catch {
            log.error("learning: could not keep the adapted model: \(error)")
        }
    }

    /// Re-reads the preset and the model, here, and takes them (`reload(with:)`).
    @discardableResult
    public func reload() -> Bool { reload(with: reloadFiles.read()) }

    /// Takes a preset and model read for a reload (SIGHUP). What a running session can take is
    /// applied: the model, mode, sampling and tempo; the rest (ports, channels, key) needs a
    /// restart. A file that did not read, or a model of another shape, is refused, and the old
    /// ones play on. Returns whether it took.
    @discardableResult
    public func reload(with read: Result<ReloadFiles.Read, any Error>) -> Bool {
        notifier?.reloading()
        defer { notifier?.ready(status: status) }
        do {
            let files = try read.get()
            let newPreset = files.preset ?? preset
            let newModel = files.model
            let newSettings = Engine.Settings(preset: newPreset)
            try engine.reload(model: newModel)
            engine.setSampling(newSettings.sampling)
            if newSettings.mode != engine.settings.mode { engine.setMode(newSettings.mode) }
            if newPreset.tempoBPM != tempoBPM { clock.setTempo(newPreset.tempoBPM) }
            engine.setListening(develop: newPreset.develop, register: newPreset.followRegister, dynamics: newPreset.followDynamics)
            if newPreset.followSwing != engine.settings.followSwing || (!newPreset.followSwing && newPreset.swing != engine.swing) {
                engine.setSwing(newPreset.followSwing ? nil : newPreset.swing)
            }
            // The one mapping from preset to engine: what the running engine cannot take is named.
            var later = Engine.Settings(preset: newPreset, seed: engine.settings.seed).differencesNeedingRestart(from: startSettings)
            if newPreset.clientName != preset.clientName { later.append("client name") }
            if newPreset.inputs != preset.inputs || newPreset.outputs != preset.outputs { later.append("connections") }
            if !later.isEmpty { log.notice("reload: \(later.joined(separator: ", ")) change at the next start") }
            controllers = ControllerMap(preset: newPreset)
            log.notice("reloaded \(files.presetFile ?? presetPath ?? "the built-in preset") and \(files.modelFile ?? "the built-in model")")
            playingPresetName = newPreset.name
            if let file = files.presetFile { playingPresetFile = file }
            reloads += 1
            publish()
            return true
        } catch {
            log.error("reload refused, the old preset and model play on: \(error)")
            return false
        }
    }

    /// The kernel's input FIFO overflowed (a flood of input): what waited in it was lost, perhaps
    /// a note-off, so the player's held notes are released; else improv would wait forever for
    /// the player to stop.
    func inputOverflowed() {
        overrunsSeen = sequencer.inputOverruns
        engine.playerGone(atTick: (try? sequencer.currentTick()) ?? 0)
        if sequencer.seconds - overrunLogged >= 1 {
            overrunLogged = sequencer.seconds
            log.warning("input overflowed (\(overrunsSeen) times so far): events lost, the player's notes released")
        }
    }

    /// One event from the sequencer: the player's MIDI, or a peer coming or going.
    public func handle(_ event: SequencerEvent) {
        switch event.kind {
        case .midi(let message):
            handle(message, tick: event.tick)
        case .portExit(let addr):
            lost(where: { $0 == addr }, what: "port \(addr)")
        case .clientExit(let client):
            lost(where: { $0.client == client }, what: "client \(client)")
        case .clientStart, .portStart:
            connections.connectMissing(quiet: true)
            portsListedAt = -Double.infinity
        case .portSubscribed(let sender, let dest):
            connections.announced(sender: sender, dest: dest, made: true)
            log.info("connected \(sender) -> \(dest)")
        case .portUnsubscribed(let sender, let dest):
            connections.announced(sender: sender, dest: dest, made: false)
            log.info("disconnected \(sender) -> \(dest)")
        case .other:
            break
        }
    }

    func handle(_ message: MIDIMessage, tick: Int) {
        if case .channel(let m) = message { tap.heard(m, tick: tick) }
        switch message {
        case .channel(.noteOn(let c, let k, let v)):
            if v > 0, clock.followsPlayer { clock.playerNoteOn(atTick: tick) }
            engine.noteOn(channel: c, key: k, velocity: v, tick: tick)
        case .channel(.noteOff(let c, let k, _)): engine.noteOff(channel: c, key: k, tick: tick)
        case .channel(.controlChange(_, 123, _)), .channel(.controlChange(_, 120, _)):
            log.notice("panic (all notes off from the input)")
            engine.panic()
        case .channel(.controlChange(_, let cc, let value)):
            control(cc, value)
        case .channel(.programChange), .channel(.pitchBend):
            break
        case .clock, .start, .stop, .continue:
            if clock.heard(message) == .stopped { engine.panic() }
        }
    }

    /// The preset's controller map: temperature, mode, tempo, panic, learning reset.
    func control(_ cc: UInt8, _ value: UInt8) {
        switch controllers.action(controller: cc, value: value) {
        case .temperature(let t)?: setTemperature(t)
        case .mode(let mode)?: setMode(mode)
        case .tempo(let bpm)?: clock.setTempo(bpm)
        case .panic?:
            log.notice("panic (controller \(cc))")
            engine.panic()
        case .learnReset? where engine.learner != nil:
            engine.resetLearning()
            log.notice("learning reset: back to the base model (controller \(cc))")
        case .tap?:
            clock.tap(atTick: (try? sequencer.currentTick()) ?? 0)
        case .learnReset?, nil:
            break
        }
    }

    func setTemperature(_ t: Float) {
        var s = engine.settings.sampling
        s.temperature = t
        engine.setSampling(s)
        log.info("\(String(format: "temperature %.2f", s.temperature))")
    }

    func setMode(_ mode: Session.Mode) {
        guard mode != engine.settings.mode else { return }
        engine.setMode(mode)
        log.info("mode \(mode.rawValue)")
    }

    /// A change asked for through `control`, applied on the loop's thread.
    func apply(_ change: DaemonChange) {
        defer { publish() }
        if change.reload { reload() }
        if let mode = change.mode { setMode(mode) }
        // Checked against the preset's range (0.05 to 10) by whoever made the change.
        if let t = change.temperature { setTemperature(Float(t)) }
        if let k = change.topK {
            var s = engine.settings.sampling
            s.topK = max(0, k)
            engine.setSampling(s)
            log.info("top-k \(s.topK)")
        }
        if change.learnReset, engine.learner != nil {
            engine.resetLearning()
            log.notice("learning reset: back to the base model (control)")
        }
        if let bpm = change.tempoBPM { clock.setTempo(min(400, max(20, bpm))) }
        if let mode = change.learn, mode != engine.settings.learn {
            engine.setLearning(mode)
            log.notice("learning \(mode == .off ? "off: the base model plays" : "on (\(mode.rawValue)), from the base model")")
        }
        if change.keyAuto {
            engine.setKey(nil)
            log.info("key: following the player's (now \(engine.heardKey))")
        } else if let key = change.key {
            engine.setKey(key)
            log.info("key \(key)")
        }
        if change.swingAuto {
            engine.setSwing(nil)
            log.info("swing: following the player's")
        } else if let swing = change.swing {
            engine.setSwing(swing)
            log.info("\(String(format: "swing %.2f", engine.swing))")
        }
        if change.develop != nil || change.followRegister != nil || change.followDynamics != nil {
            engine.setListening(develop: change.develop, register: change.followRegister, dynamics: change.followDynamics)
            let s = engine.settings
            log.info("\(String(format: "listening: develop %.2f", s.develop)), register \(s.followRegister ? "followed" : "fixed"), dynamics \(s.followDynamics ? "followed" : "even")")
        }
        if change.panic {
            log.notice("panic (control)")
            engine.panic()
        }
        for (part, playing) in change.band.sorted(by: { $0.key.rawValue < $1.key.rawValue }) where engine.setBand(part, playing: playing) {
            log.info("band: \(part) \(playing ? "on" : "off")")
        }
        for c in change.connections {
            if c.connect { connections.want(c.spec, input: c.input) } else { connections.unwant(c.spec, input: c.input) }
            portsListedAt = -Double.infinity
        }
    }

    /// A connected peer went away: log it, release what the player held, keep running; the
    /// connection is made again when the peer comes back.
    func lost(where matches: (PortAddress) -> Bool, what: String) {
        portsListedAt = -Double.infinity
        if connections.lost(where: matches, what: what) {
            engine.playerGone(atTick: (try? sequencer.currentTick()) ?? 0)
        }
    }

    /// Hands the state to `control` for other threads to read.
    func publish() {
        publishedAt = sequencer.seconds
        var s = DaemonState()
        s.presetName = playingPresetName
        s.presetFile = playingPresetFile ?? presetPath
        s.running = running
        s.mode = engine.settings.mode
        s.key = engine.heardKey
        s.heardKey = engine.listener.keyHeard
        s.heardColour = engine.settings.followKey ? engine.listener.colour : nil
        s.tempoBPM = tempoBPM
        s.temperature = Double(engine.settings.sampling.temperature)
        s.topK = engine.settings.sampling.topK
        s.keyAuto = engine.settings.followKey
        s.swing = engine.swing
        s.swingAuto = engine.settings.followSwing
        s.develop = engine.settings.develop
        s.followRegister = engine.settings.followRegister
        s.followDynamics = engine.settings.followDynamics
        s.followsPlayer = clock.followsPlayer
        s.learning = engine.settings.learn.rawValue
        s.phrasesLearned = engine.learner?.phrasesLearned ?? 0
        s.call = engine.callFigures.count > 0 ? engine.callFigures : nil
        s.tick = (try? sequencer.currentTick()) ?? 0
        let slice = engine.formPosition(ofSlice: max(0, engine.finishedThrough + 1))
        s.formSlice = slice
        s.formBar = slice / engine.slicesPerBar
        s.connections = connections.snapshot
        for part in Band.Part.allCases where engine.bandHas(part) { s.band[part] = engine.bandPlays(part) }
        // The system's ports, for a control page to offer: looked at every 2 s while one watches.
        if tap.ring != nil {
            if sequencer.seconds - portsListedAt >= 2 {
                portsListedAt = sequencer.seconds
                ports = ((try? sequencer.ports()) ?? []).filter { $0.address.client != sequencer.clientID }
            }
            s.ports = ports
        }
        s.reloads = reloads
        s.inputOverruns = sequencer.inputOverruns
        control.publish(s)
    }
}
