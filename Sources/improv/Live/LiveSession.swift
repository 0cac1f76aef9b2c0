import ALSASequencer
import Composer
import Engine
import Foundation
import LSTMModel
import MusicCore
import Presets

/// improv live on the ALSA sequencer: the player's port in, the engine, the answer out.
///
/// One thread runs the loop: it waits for input (poll) at most until the engine's next slice
/// deadline, hands the player's events to the engine with the ticks the kernel stamped on them,
/// lets the engine finish slices up to the queue's current tick, and drains the output. The
/// output events sit on improv's queue at their ticks: the kernel plays them on time, whatever
/// this thread is doing.
final class LiveSession {
    let preset: Preset
    let sequencer: Sequencer
    let inputPort: Int
    let outputPort: Int
    let output: ALSAEngineOutput
    /// FluidSynth, when the preset's sound.output asks for it.
    let synth: LiveSynth?
    let engine: Engine
    private(set) var tempoBPM: Double
    private var clock = ClockFollower()
    /// With `clock.follow = "player"`: the player's beat, steering the queue's tempo.
    private var follow: LiveTempo?
    /// The tempo last written to the log while following (it changes at every note).
    private var loggedFollowBPM = 0.0
    /// Wanted connections (as the preset names them) and where they are connected now.
    private var inputs: [String: SequencerAddress?] = [:]
    private var outputs: [String: SequencerAddress?] = [:]
    /// Clocks sent through this tick (when sending clock).
    private var clockSentThrough = -1
    private let started = Date()
    /// Input overflows already dealt with, and when one was last logged.
    private var overrunsSeen = 0
    private var overrunLogged = Date.distantPast
    /// systemd's notify socket, when run as a Type=notify service.
    let notifier = SystemdNotifier()
    /// Where the preset and the model came from, for SIGHUP reloads (nil: built in).
    var presetPath: String?
    var modelPath: String?

    init(preset: Preset, model: ImprovModel, seed: UInt64? = nil) throws {
        self.preset = preset
        tempoBPM = preset.tempoBPM
        sequencer = try Sequencer(clientName: preset.clientName)
        // Room for a burst of input (the kernel's default of 200 is 20 ms of a 10,000 events/s flood).
        try sequencer.setInputPool(size: 2000)
        inputPort = try sequencer.createInputPort(name: "in")
        outputPort = try sequencer.createOutputPort(name: "out")
        try sequencer.createQueue(ppq: 480, tempoBPM: preset.tempoBPM)
        _ = try sequencer.subscribeToAnnouncements()
        output = ALSAEngineOutput(sequencer: sequencer, port: outputPort)
        synth = preset.output == .alsa ? nil : try LiveSynth(preset: preset)
        if let synth { Log.notice("FluidSynth on \(preset.audioDriver.rawValue)\(preset.audioDevice.map { " (\($0))" } ?? "") with \(synth.soundfont)") }
        let engineOutput: MIDIOutput
        switch preset.output {
        case .alsa: engineOutput = output
        case .fluidsynth: engineOutput = synth!.output
        case .both: engineOutput = FanOutOutput([output, synth!.output])
        }
        var settings = Engine.Settings(preset: preset)
        if let seed { settings.seed = seed }
        var kept: ImprovModel?
        if preset.learn == .keep {
            let path = Self.keptModelPath
            switch LiveLearner.loadKept(path: path, base: model) {
            case .loaded(let m): kept = m; Log.notice("learning: the player's adapted model from \(path)")
            case .absent: Log.info("learning: no adapted model at \(path) yet; starting from the base")
            case .refused(let reason): Log.warning("learning: \(reason)")
            }
        }
        engine = Engine(model: model, settings: settings, output: engineOutput, learnedStart: kept)
        if preset.followPlayer {
            follow = LiveTempo(grid: settings.grid)
            loggedFollowBPM = preset.tempoBPM
            Log.notice("following the player's tempo, from \(Int(preset.tempoBPM.rounded())) BPM")
        }
        for spec in preset.inputs { inputs[spec] = .some(nil) }
        for spec in preset.outputs { outputs[spec] = .some(nil) }
        connectMissing(quiet: false)
    }

    var address: String { "\(sequencer.clientID):\(inputPort)" }

    /// The status line systemd shows.
    var status: String { "\(engine.settings.mode.rawValue) in \(engine.settings.key), \(Int(tempoBPM.rounded())) BPM" }

    /// Runs until `shouldStop` says so; then silences everything and drains. A reload request
    /// (SIGHUP) re-reads the preset and the model; a bad one is refused and the old one plays on.
    func run(shouldStop: () -> Bool, reloadRequested: () -> Bool = { false }) throws {
        engine.start()
        try sequencer.start()
        // A daemon killed before (SIGKILL, a crash, a power cut) may have left notes sounding
        // at the synth: end them before playing anything.
        for channel in Set([preset.chordChannel, preset.melodyChannel] + (preset.passThrough ? [preset.passThroughChannel] : [])) {
            try sequencer.sendDirect(.allNotesOff(channel: channel), from: outputPort)
        }
        if preset.sendClock { output.schedule(ALSASequencer.MIDIMessage.start, atTick: 0) }
        try sequencer.drain()
        Log.notice("improv \(preset.name): \(engine.settings.mode.rawValue) in \(preset.key) at \(Int(tempoBPM)) BPM; "
                   + "input \(sequencer.clientID):\(inputPort), output \(sequencer.clientID):\(outputPort)")
        // Ready only now: ports open, queue running, model loaded.
        notifier?.send("READY=1\nSTATUS=\(status)")
        while !shouldStop() {
            notifier?.pingIfDue()
            if reloadRequested() { reload() }
            let now = Int(try sequencer.currentTick())
            let ticksPerMs = 480 * tempoBPM / 60_000
            // The next tempo change of the player's map is a deadline too (a whole beat).
            let deadline = min(engine.nextDeadline, follow?.nextChange ?? Int.max)
            let wait = Double(max(0, deadline - now)) / ticksPerMs
            for event in try sequencer.read(timeoutMs: Int32(min(50, max(1, wait.rounded(.up))))) { handle(event) }
            if let bpm = follow?.reached(queueTick: Int(try sequencer.currentTick())) { followTempo(bpm) }
            if sequencer.inputOverruns != overrunsSeen { inputOverflowed() }
            engine.advance(to: Int(try sequencer.currentTick()))
            if preset.sendClock { sendClock(through: engine.plannedThrough * 240 + 240) }
            try sequencer.drain()
        }
        stop()
    }

    /// Panic and stop: every note off, reaching the output before this returns.
    func stop() {
        notifier?.send("STOPPING=1")
        engine.stop()
        if preset.sendClock { output.schedule(ALSASequencer.MIDIMessage.stop, atTick: 0); try? sequencer.sendDirect(.stop, from: outputPort) }
        do { try sequencer.drain() } catch { Log.warning("drain at stop: \(error)") }
        Log.notice("stopped; all notes off sent")
        saveLearned()
    }

    /// Where `learn = "keep"` keeps the player's adapted model: systemd's StateDirectory
    /// ($STATE_DIRECTORY), else $XDG_STATE_HOME/improv, else ~/.local/state/improv.
    static var keptModelPath: String {
        let env = ProcessInfo.processInfo.environment
        let dir = env["STATE_DIRECTORY"].flatMap { $0.split(separator: ":").first.map(String.init) }
            ?? env["XDG_STATE_HOME"].map { $0 + "/improv" }
            ?? (env["HOME"] ?? "/var/lib") + "/.local/state/improv"
        return dir + "/adapted.safetensors"
    }

    /// With `learn = "keep"`, the adapted model is written (atomically) for the next start.
    func saveLearned() {
        guard preset.learn == .keep, let learner = engine.learner, learner.phrasesLearned > 0 else { return }
        let path = Self.keptModelPath
        do {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try learner.save(to: path)
            Log.notice("learning: kept the adapted model (\(learner.phrasesLearned) phrases) in \(path)")
        } catch {
            Log.error("learning: could not keep the adapted model: \(error)")
        }
    }

    /// Re-reads the preset and the model (SIGHUP). What a running session can take is applied:
    /// the model, mode, sampling and tempo; the rest (ports, channels, key) needs a restart.
    func reload() {
        var monotonic = timespec()
        clock_gettime(CLOCK_MONOTONIC, &monotonic)
        notifier?.send("RELOADING=1\nMONOTONIC_USEC=\(Int(monotonic.tv_sec) * 1_000_000 + Int(monotonic.tv_nsec) / 1000)")
        do {
            let newPreset = try presetPath.map { try Preset.load(path: $0) } ?? preset
            let newModel = try (modelPath ?? newPreset.modelFile).map { try ImprovModel.load(path: $0) } ?? ImprovModel.builtIn()
            let newSettings = Engine.Settings(preset: newPreset)
            try engine.reload(model: newModel)
            engine.setSampling(newSettings.sampling)
            if newSettings.mode != engine.settings.mode { engine.setMode(newSettings.mode) }
            if newPreset.tempoBPM != tempoBPM { setTempo(newPreset.tempoBPM) }
            if newPreset.key != preset.key || newPreset.clientName != preset.clientName
                || newPreset.chordChannel != preset.chordChannel || newPreset.melodyChannel != preset.melodyChannel {
                Log.notice("reload: key, client name and channels change at the next start")
            }
            Log.notice("reloaded \(presetPath ?? "the built-in preset") and \(modelPath ?? newPreset.modelFile ?? "the built-in model")")
        } catch {
            Log.error("reload refused, the old preset and model play on: \(error)")
        }
        notifier?.send("READY=1\nSTATUS=\(status)")
    }

    /// The kernel's input FIFO overflowed (a flood of input): what waited in it was lost, perhaps
    /// a note-off, so the player's held notes are released; else improv would wait forever for
    /// the player to stop.
    func inputOverflowed() {
        overrunsSeen = sequencer.inputOverruns
        engine.playerGone(atTick: Int((try? sequencer.currentTick()) ?? 0))
        if Date().timeIntervalSince(overrunLogged) >= 1 {
            overrunLogged = Date()
            Log.warning("input overflowed (\(overrunsSeen) times so far): events lost, the player's notes released")
        }
    }

    func handle(_ event: InputEvent) {
        let tick = Int(event.tick)
        switch event.kind {
        case .midi(let message):
            handle(message, tick: tick)
        case .portExit(let addr):
            lost(where: { $0 == addr }, what: "port \(addr)")
        case .clientExit(let client):
            lost(where: { $0.client == client }, what: "client \(client)")
        case .clientStart, .portStart:
            connectMissing(quiet: true)
        case .portSubscribed(let sender, let dest):
            Log.info("connected \(sender) -> \(dest)")
        case .portUnsubscribed(let sender, let dest):
            Log.info("disconnected \(sender) -> \(dest)")
        default:
            break
        }
    }

    func handle(_ message: ALSASequencer.MIDIMessage, tick: Int) {
        switch message {
        case .noteOn(let c, let k, let v):
            if v > 0, let bpm = follow?.noteOn(atQueueTick: tick) { followTempo(bpm) }
            engine.noteOn(channel: c, key: k, velocity: v, tick: tick)
        case .noteOff(let c, let k, _): engine.noteOff(channel: c, key: k, tick: tick)
        case .allNotesOff, .allSoundOff:
            Log.notice("panic (all notes off from the input)")
            engine.panic()
        case .controlChange(_, let cc, let value):
            control(cc, value)
        case .clock where preset.followClock:
            let seconds = Date().timeIntervalSince(started)
            if let bpm = clock.clock(at: seconds, current: tempoBPM) { setTempo(bpm) }
        case .start where preset.followClock, .continue where preset.followClock:
            clock.reset()
            do { try sequencer.continue() } catch { Log.warning("\(error)") }
            Log.info("external clock: \(message == .start ? "start" : "continue")")
        case .stop where preset.followClock:
            clock.reset()
            engine.panic()
            do { try sequencer.stop() } catch { Log.warning("\(error)") }
            Log.info("external clock: stop")
        default:
            break
        }
    }

    /// The preset's controller map: temperature, mode, tempo, panic, learning reset.
    func control(_ cc: UInt8, _ value: UInt8) {
        if cc == preset.temperatureController {
            var s = engine.settings.sampling
            s.temperature = Float(0.2 + 1.8 * Double(value) / 127)
            engine.setSampling(s)
            Log.info(String(format: "temperature %.2f", s.temperature))
        } else if cc == preset.modeController {
            let mode: Session.Mode = value < 43 ? .callAndResponse : value < 86 ? .backing : .duet
            if mode != engine.settings.mode {
                engine.setMode(mode)
                Log.info("mode \(mode.rawValue)")
            }
        } else if cc == preset.tempoController {
            setTempo(40 + Double(value))
        } else if cc == preset.panicController, value >= 64 {
            Log.notice("panic (controller \(cc))")
            engine.panic()
        } else if cc == preset.learnResetController, value >= 64, engine.learner != nil {
            engine.resetLearning()
            Log.notice("learning reset: back to the base model (controller \(cc))")
        }
    }

    /// The queue (and FluidSynth's sequencer) take the tempo the player's map asks for; what is
    /// queued follows. Logged when it has moved 2% since the last line.
    func followTempo(_ bpm: Double) {
        do {
            try sequencer.setTempo(bpm: bpm)
            try synth?.setTempo(bpm)
            tempoBPM = bpm
        } catch {
            Log.warning("tempo: \(error)")
        }
        guard let player = follow?.playerBPM, abs(player - loggedFollowBPM) >= loggedFollowBPM * 0.02 else { return }
        loggedFollowBPM = player
        Log.info(String(format: "following the player at %.1f BPM", player))
    }

    func setTempo(_ bpm: Double) {
        // A tempo set by hand (controller, reload) is the new start for following the player:
        // the next note is on its nearest beat.
        if follow != nil {
            var grid = engine.settings.grid
            grid.tempoBPM = bpm
            follow = LiveTempo(grid: grid)
        }
        do {
            try sequencer.setTempo(bpm: bpm)
            try synth?.setTempo(bpm)
            tempoBPM = bpm
            Log.info(String(format: "tempo %.1f BPM", bpm))
        } catch {
            Log.warning("tempo: \(error)")
        }
    }

    /// MIDI clock out: 24 a quarter note, scheduled on the queue like the notes.
    func sendClock(through tick: Int) {
        let step = 480 / 24
        var t = (clockSentThrough / step + 1) * step
        while t <= tick {
            output.schedule(ALSASequencer.MIDIMessage.clock, atTick: t)
            clockSentThrough = t
            t += step
        }
    }

    /// A connected peer went away: log it, release what the player held, keep running; the
    /// connection is made again when the peer comes back.
    func lost(where matches: (SequencerAddress) -> Bool, what: String) {
        for (spec, addr) in inputs where addr.map(matches) == true {
            Log.warning("input \(spec) (\(what)) went away; waiting for it to come back")
            inputs[spec] = .some(nil)
            engine.playerGone(atTick: Int((try? sequencer.currentTick()) ?? 0))
        }
        for (spec, addr) in outputs where addr.map(matches) == true {
            Log.warning("output \(spec) (\(what)) went away; waiting for it to come back")
            outputs[spec] = .some(nil)
        }
    }

    /// Connects every wanted peer that is not connected now.
    func connectMissing(quiet: Bool) {
        for (spec, addr) in inputs where addr == nil {
            do {
                inputs[spec] = try sequencer.connect(from: spec, toInputPort: inputPort)
                Log.notice("input \(spec) connected")
            } catch {
                if !quiet { Log.warning("input \(spec): \(error); connecting when it appears") }
            }
        }
        for (spec, addr) in outputs where addr == nil {
            do {
                outputs[spec] = try sequencer.connect(outputPort: outputPort, to: spec)
                Log.notice("output \(spec) connected")
            } catch {
                if !quiet { Log.warning("output \(spec): \(error); connecting when it appears") }
            }
        }
    }
}
