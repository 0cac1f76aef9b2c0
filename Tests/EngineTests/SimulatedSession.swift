import Composer
@testable import Engine
import MusicCore

typealias PlayerNote = PlayedNote

extension EventRecorder {
    var noteOns: [(tick: Int, channel: UInt8, key: UInt8)] {
        played.compactMap { if case .noteOn(let c, let k, _) = $0.message { return ($0.tick, c, k) } else { return nil } }
    }

    /// Pairs every note-on with the next note-off of its channel and key; returns the notes
    /// and the note-ons left without a note-off (hanging notes).
    func notes() -> (notes: [(channel: UInt8, key: UInt8, start: Int, end: Int)], hanging: Int) {
        var open: [Int: Int] = [:]
        var out: [(UInt8, UInt8, Int, Int)] = []
        for e in played {
            switch e.message {
            case .noteOn(let c, let k, _):
                let id = Int(c) * 128 + Int(k)
                if let start = open[id] { out.append((c, k, start, e.tick)) }  // re-struck: ends the old one
                open[id] = e.tick
            case .noteOff(let c, let k, _):
                if let start = open.removeValue(forKey: Int(c) * 128 + Int(k)) { out.append((c, k, start, e.tick)) }
            case .controlChange(let c, 123, _):
                for id in open.keys where id / 128 == Int(c) { out.append((c, UInt8(id % 128), open[id]!, e.tick)); open[id] = nil }
            default: break
            }
        }
        return (out.map { (channel: $0.0, key: $0.1, start: $0.2, end: $0.3) }, open.count)
    }
}

/// An engine on the built-in model, with its recorder and simulated clock.
struct SimulatedSession {
    let engine: Engine
    let output: EventRecorder

    init(settings: Engine.Settings, model: ImprovModel? = nil) throws {
        output = EventRecorder()
        engine = Engine(model: try model ?? ImprovModel.builtIn(), settings: settings, output: output)
        engine.start()
    }

    func run(_ notes: [PlayedNote], until endTick: Int, actions: [(tick: Int, action: (Engine) -> Void)] = []) {
        SimulatedClock(engine: engine, recorder: output).run(notes, until: endTick, actions: actions)
    }

    /// Ends the session at the current tick, as a shutdown does.
    func stop() { engine.stop() }
}

/// Quarter notes on the given pitches, one after another from `bar`.
func quarters(_ pitches: [UInt8], fromBar bar: Int = 0, ppq: Int = 480) -> [PlayedNote] {
    pitches.enumerated().map { i, p in
        PlayedNote(key: p, start: bar * 4 * ppq + i * ppq, end: bar * 4 * ppq + i * ppq + ppq - 20)
    }
}
