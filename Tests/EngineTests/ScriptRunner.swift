import Composer
@testable import Engine
import Foundation
import LSTMModel
import MIDI
import MusicCore

/// An output that keeps every message with its tick, the clock when it was handed over, who
/// caused it and a sequence number (the order things happened in, whatever their ticks).
final class Tape: MIDIOutput {
    enum Source { case engine, player, panic }
    struct Entry {
        var seq: Int
        var tick: Int
        var message: ChannelMessage
        var immediate: Bool
        var handedOverAt: Int
        var source: Source
    }

    var now = 0
    /// Who is calling the engine now (set by the driver).
    var source = Source.engine
    private(set) var entries: [Entry] = []
    private(set) var nextSeq = 0

    func schedule(_ message: ChannelMessage, atTick tick: Int) { add(message, tick: tick, immediate: false) }
    func sendNow(_ message: ChannelMessage) { add(message, tick: now, immediate: true) }
    /// As an ALSA queue: what has not played yet is gone.
    func dropScheduled() { entries.removeAll { !$0.immediate && $0.tick > now } }

    private func add(_ message: ChannelMessage, tick: Int, immediate: Bool) {
        entries.append(Entry(seq: nextSeq, tick: tick, message: message, immediate: immediate, handedOverAt: now, source: source))
        nextSeq += 1
    }

    /// In the order they sound.
    var played: [Entry] { entries.sorted { ($0.tick, $0.seq) < ($1.tick, $1.seq) } }
}

/// One script run through the engine, as the live daemon drives it: at each wake-up (the next
/// slice deadline or the next input, maybe late) the input stamped so far is handed over, then
/// the clock advances. Runs until the call has had its chance to be answered, then stops.
struct ScriptRun {
    /// A panic or the final stop: its tick and the sequence numbers of what it sent.
    struct Silence {
        var tick: Int
        var seqFrom: Int
        var seqTo: Int
        var isStop: Bool
    }

    /// An answer the session decided on, in slices, and the tick it was decided at.
    struct Answer {
        var decidedAt: Int
        var start: Int
        var end: Int
    }

    let tape = Tape()
    var silences: [Silence] = []
    /// Sequence numbers at which the player struck a note the engine hears.
    var playerStrikes: [Int] = []
    var answers: [Answer] = []
    /// The settings in force during the final call (the mode may have changed).
    var finalSettings = Engine.Settings()
    var stopTick = 0
    var soundingAfterStop = 0

    static let slack = 16 * PlayerScript.bar

    init(_ script: PlayerScript, models: [ImprovModel]) {
        let engine = Engine(model: models[0], settings: script.settings, output: tape)
        var rng = SeededGenerator(seed: script.seed ^ 0x5EED)
        tape.source = .engine
        engine.start()
        let offset = script.settings.key.offsetFromC
        var clock = 0
        var i = 0
        var lastPhase = engine.session.phase
        let steps = script.steps
        while true {
            let nextInput = i < steps.count ? steps[i].tick : Int.max
            var wake = min(engine.nextDeadline, nextInput)
            if script.lateness > 0 { wake += Int.random(in: 0...script.lateness, using: &rng) }
            if i >= steps.count && done(engine, script, at: wake) { break }
            clock = wake
            tape.now = clock
            while i < steps.count && steps[i].tick <= clock {
                apply(steps[i], to: engine, models: models, offset: offset)
                i += 1
            }
            tape.source = .engine
            engine.advance(to: clock)
            let phase = engine.session.phase
            if phase != lastPhase, case .answering(let start, let end) = phase {
                answers.append(Answer(decidedAt: clock, start: start, end: end))
            }
            lastPhase = phase
        }
        finalSettings = engine.settings
        stopTick = clock
        tape.now = clock
        tape.source = .panic
        let from = tape.nextSeq
        engine.stop()
        silences.append(Silence(tick: clock, seqFrom: from, seqTo: tape.nextSeq, isStop: true))
        soundingAfterStop = engine.soundingNotes
    }

    mutating func apply(_ step: PlayerScript.Step, to engine: Engine, models: [ImprovModel], offset: Int) {
        switch step.event {
        case .noteOn(let c, let k, let v):
            tape.source = .player
            if v > 0, (0...127).contains(Int(k) - offset) { playerStrikes.append(tape.nextSeq) }
            engine.noteOn(channel: c, key: k, velocity: v, tick: step.tick)
        case .noteOff(let c, let k):
            tape.source = .player
            engine.noteOff(channel: c, key: k, tick: step.tick)
        case .panic, .clockStop:
            tape.source = .panic
            let from = tape.nextSeq
            engine.panic()
            silences.append(Silence(tick: tape.now, seqFrom: from, seqTo: tape.nextSeq, isStop: false))
        case .temperature(let t):
            var s = engine.settings.sampling
            s.temperature = t
            engine.setSampling(s)
        case .mode(let m):
            if m != engine.settings.mode { engine.setMode(m) }
        case .reload(let index, let mode):
            try! engine.reload(model: models[index])
            engine.setSampling(engine.settings.sampling)
            if mode != engine.settings.mode { engine.setMode(mode) }
        case .playerGone:
            engine.playerGone(atTick: tape.now)
        }
    }

    /// The call has had its chance: answered and the answer over (call-and-response), or the
    /// window in which improv must play has passed (the other modes).
    func done(_ engine: Engine, _ script: PlayerScript, at wake: Int) -> Bool {
        guard wake > script.callEnd else { return false }
        let s = engine.settings
        let tps = PlayerScript.tps
        if s.mode == .callAndResponse && s.callBars == 0 {
            if answers.contains(where: { $0.decidedAt > script.callEnd && $0.end * tps <= wake }) { return true }
            // No answer yet: run on, up to the slack (the check then says what is missing).
            return wake >= script.callEnd + Self.slack - 2 * PlayerScript.bar
        }
        return wake >= script.callEnd + Self.livenessWindow(s)
    }

    /// Outside plain call-and-response, how soon after the call improv must have played.
    static func livenessWindow(_ s: Engine.Settings) -> Int {
        guard s.mode == .callAndResponse else { return 2 * PlayerScript.bar }
        let cycle = s.callBars + (s.responseBars > 0 ? s.responseBars : s.callBars)
        return (cycle + 1) * PlayerScript.bar
    }
}

/// A second model for reloads: the built-in one with its weights nudged, so it plays music
/// but not the same music.
func nudgedModel(_ base: ImprovModel, seed: UInt64) -> ImprovModel {
    var rng = SeededGenerator(seed: seed)
    var parameters = base.network.parameters
    for i in parameters.indices { parameters[i] += Float.random(in: -0.05...0.05, using: &rng) }
    var model = base
    model.network = Network(topology: base.network.topology, parameters: parameters)
    return model
}
