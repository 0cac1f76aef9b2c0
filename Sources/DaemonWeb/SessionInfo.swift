import ControlPage
import Daemon
import Engine
import Foundation
import MusicCore
import Presets

/// What stays fixed while the daemon runs, read once from it before its loop starts: the
/// preset, the form (in C, as the engine keeps it), the ports, which channel is which part.
struct SessionInfo: Sendable {
    let preset: Preset
    let form: ChordForm
    let slicesPerBar: Int
    let inputPort: String
    let outputPort: String
    /// The part each channel's notes are (nil: not one of improv's parts, e.g. the pass-through).
    let parts: [ControlEvent.Part?]
    /// The presets the page may load, by name, and their files.
    let presets: [String: String]

    init(daemon: LiveDaemon, presets: [String: String] = [:]) {
        self.presets = presets
        preset = daemon.preset
        form = daemon.engine.form.form
        slicesPerBar = daemon.engine.slicesPerBar
        inputPort = "\(daemon.sequencer.clientID):\(daemon.sequencer.inputPort)"
        outputPort = "\(daemon.sequencer.clientID):\(daemon.sequencer.outputPort)"
        var parts = [ControlEvent.Part?](repeating: nil, count: 16)
        let p = daemon.preset
        parts[9] = p.click && p.drums == .off ? .click : .drums
        if p.comping != .off { parts[Int(p.compingChannel & 15)] = .comping }
        if p.bass != .off { parts[Int(p.bassChannel & 15)] = .bass }
        parts[Int(p.chordChannel & 15)] = .chords
        parts[Int(p.melodyChannel & 15)] = .melody
        self.parts = parts
    }

    var beatsPerBar: Int { max(1, slicesPerBar / 2) }

    /// The chord at `slice` of the form, in `key` (the form is kept in C).
    func chord(atSlice slice: Int, key: Key) -> String {
        form.chord(atSlice: slice).transposed(by: key.offsetFromC).description
    }

    // MARK: State

    func controlState(_ d: DaemonState) -> ControlState {
        var s = ControlState()
        s.name = d.presetName
        // A preset the page can load is named as the page names it; another by its file.
        let running = d.presetFile.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        s.preset = presets.first { URL(fileURLWithPath: $0.value).standardizedFileURL.path == running }?.key ?? d.presetFile
        s.presets = presets.keys.sorted()
        s.mode = d.mode.rawValue
        s.key = d.key.description
        s.keyAuto = d.keyAuto
        s.tempo = d.tempoBPM
        s.tempoSource = d.followsPlayer ? "player" : preset.followClock ? "midi" : d.tempoBPM != preset.tempoBPM ? "control" : "preset"
        s.swing = d.swing
        s.swingAuto = d.swingAuto
        s.listen.develop = d.develop
        s.listen.register = d.followRegister
        s.listen.dynamics = d.followDynamics
        s.temperature = d.temperature
        s.topK = d.topK
        s.form.name = "\(preset.form)"
        let shift = d.key.offsetFromC
        s.form.bars = form.bars.map { bar in bar.map { $0.transposed(by: shift).description }.joined(separator: " ") }
        s.form.beatsPerBar = beatsPerBar
        s.form.bar = d.formBar
        s.form.barBeat = Double(d.formSlice % max(1, slicesPerBar)) / 2
        s.form.chord = chord(atSlice: d.formSlice, key: d.key)
        s.learning.mode = d.learning
        s.learning.phrases = d.phrasesLearned
        // The preset's parts, "off" while switched off.
        s.band.drums = d.band[.drums] == true ? preset.drums.rawValue : "off"
        s.band.bass = d.band[.bass] == true ? preset.bass.rawValue : "off"
        s.band.comping = d.band[.comping] == true ? preset.comping.rawValue : "off"
        s.band.compingRhythm = preset.compingRhythm.rawValue
        s.band.click = d.band[.click] == true
        if let call = d.call {
            // The listener's, even when the preset or the page fixed the key improv plays in.
            s.heard.key = d.heardKey.description
            s.heard.colour = d.heardColour?.rawValue
            s.heard.registerLow = Int(call.lowPitch)
            s.heard.registerHigh = Int(call.highPitch)
            s.heard.swing = call.swing
        }
        if d.followsPlayer {
            s.heard.tempo = d.tempoBPM
            s.heard.beat = Double(d.tick) / Double(TimeGrid.defaultTicksPerQuarter)
        }
        s.connections.input = inputPort
        s.connections.output = outputPort
        let names = Dictionary(d.ports.map { ($0.address.description, "\($0.clientName): \($0.portName)") }, uniquingKeysWith: { a, _ in a })
        for c in d.connections {
            guard let peer = c.peer else { continue }
            // One another client made is named by its address: the port listing names it.
            let port = ControlState.Port(address: peer, name: c.wanted ? c.spec : names[peer] ?? peer)
            if c.isInput { s.connections.inputs.append(port) } else { s.connections.outputs.append(port) }
        }
        // The ports one could connect: readable ones not already playing into improv, writable
        // ones improv does not already play to.
        let into = Set(s.connections.inputs.map(\.address)), outOf = Set(s.connections.outputs.map(\.address))
        for p in d.ports {
            let port = ControlState.Port(address: p.address.description, name: "\(p.clientName): \(p.portName)")
            if p.readable && !into.contains(port.address) { s.connections.readable.append(port) }
            if p.writable && !outOf.contains(port.address) { s.connections.writable.append(port) }
        }
        s.beat = Double(d.tick) / Double(TimeGrid.defaultTicksPerQuarter)
        return s
    }

    // MARK: Controls

    /// The request as one change of the daemon, or the first key it cannot take.
    func daemonChange(for request: ControlRequest, now: DaemonState) throws(ControlRejection) -> DaemonChange {
        var change = DaemonChange()
        for c in request.changes {
            switch c {
            case .mode(let m):
                guard let mode = Session.Mode(rawValue: m.rawValue) else { throw ControlRejection(key: "session.mode", reason: "the daemon has no mode \(m.rawValue)") }
                change.mode = mode
            case .tempo(let bpm):
                if now.followsPlayer || preset.followClock {
                    throw ControlRejection(key: "session.tempo", reason: "the tempo follows the \(now.followsPlayer ? "player" : "MIDI clock") (clock.follow); it cannot be set from here")
                }
                change.tempoBPM = bpm
            case .temperature(let t): change.temperature = t
            case .swing(let v):
                change.swing = v
                change.swingAuto = v == nil
            case .develop(let v): change.develop = v
            case .followRegister(let on): change.followRegister = on
            case .followDynamics(let on): change.followDynamics = on
            case .topK(let k): change.topK = k
            case .key(let k):
                change.key = k
                change.keyAuto = k == nil
            case .learn(let l):
                // "keep" writes the adapted model at the end and reads it at start: only a
                // preset that keeps can switch back to it.
                if l == .keep && preset.learn != .keep {
                    throw ControlRejection(key: "session.learn", reason: "\"keep\" reads the kept model at start; set it in the preset and restart improv (\"session\" or \"off\" can be switched here)")
                }
                change.learn = Engine.Learning(rawValue: l.rawValue)
            case .drums(let v): change.band[.drums] = try bandSwitch("band.drums", v.rawValue, preset.drums.rawValue, now)
            case .bass(let v): change.band[.bass] = try bandSwitch("band.bass", v.rawValue, preset.bass.rawValue, now)
            case .comping(let v): change.band[.comping] = try bandSwitch("band.comping", v.rawValue, preset.comping.rawValue, now)
            case .click(let on): change.band[.click] = try bandSwitch("band.click", on ? "true" : "false", preset.click ? "true" : "false", now)
            default:
                throw ControlRejection(key: c.presetKey, reason: "the running daemon cannot change this yet; set it in the preset and restart improv. It can change: session.mode, session.key, session.tempo, session.swing, session.learn, listen.develop, listen.register, listen.dynamics, sampling.temperature, sampling.top_k, band.drums, band.bass, band.comping and band.click (off, or back to the preset's), and take panic, learn_reset, preset, connect, disconnect")
            }
        }
        for a in request.actions {
            switch a {
            case .panic: change.panic = true
            case .learnReset:
                guard now.learning != "off" else { throw ControlRejection(key: "learn_reset", reason: "learning is off (session.learn = \"off\"): there is nothing to forget") }
                change.learnReset = true
            case .loadPreset:
                break  // read off the loop by the surface (DaemonSurface.apply)
            case .connect(let d, let spec):
                change.connections.append(.init(spec: spec, input: d == .input, connect: true))
            case .disconnect(let d, let spec):
                change.connections.append(.init(spec: spec, input: d == .input, connect: false))
            }
        }
        return change
    }
}

extension SessionInfo {
    /// A band part switched from the page: "off", or back to the preset's own style (the band is
    /// made at start; another style, or a part the preset has not, needs a restart).
    func bandSwitch(_ key: String, _ value: String, _ presets: String, _ now: DaemonState) throws(ControlRejection) -> Bool {
        let off = value == "off" || value == "false"
        guard presets != "off" && presets != "false" else {
            if off { return false }
            throw ControlRejection(key: key, reason: "the preset has no \(key.dropFirst(5)) part; set it in the preset and restart improv")
        }
        guard off || value == presets else {
            throw ControlRejection(key: key, reason: "the running band plays the preset's \(presets); it can be switched \"off\" and back to \"\(presets)\" here, another style needs a restart")
        }
        return !off
    }
}

extension ControlRequest.Change {
    /// The preset key the change is named by.
    var presetKey: String {
        switch self {
        case .mode: "session.mode"
        case .key: "session.key"
        case .tempo: "session.tempo"
        case .swing: "session.swing"
        case .learn: "session.learn"
        case .develop: "listen.develop"
        case .followRegister: "listen.register"
        case .followDynamics: "listen.dynamics"
        case .temperature: "sampling.temperature"
        case .topK: "sampling.top_k"
        case .drums: "band.drums"
        case .bass: "band.bass"
        case .comping: "band.comping"
        case .compingRhythm: "band.comping_rhythm"
        case .click: "band.click"
        }
    }
}
