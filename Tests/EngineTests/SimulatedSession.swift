import Composer
@testable import Engine
import MusicCore

/// A MIDI output that records what it is given, as a synth on the queue would play it.
final class RecordingOutput: MIDIOutput {
    struct Event: Equatable {
        var tick: Int
        var message: MIDIMessage
        var immediate: Bool
        /// The clock when it was handed over.
        var at: Int
    }

    var now = 0
    var events: [Event] = []

    func schedule(_ message: MIDIMessage, atTick tick: Int) {
        events.append(Event(tick: tick, message: message, immediate: false, at: now))
    }

    func sendNow(_ message: MIDIMessage) { events.append(Event(tick: now, message: message, immediate: true, at: now)) }

    func dropScheduled() { events.removeAll { !$0.immediate && $0.tick > now } }

    /// What a listener hears, in time order (note-offs first at a tick, as the engine writes them).
    var played: [Event] { events.enumerated().sorted { ($0.element.tick, $0.offset) < ($1.element.tick, $1.offset) }.map(\.element) }

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
            case .noteOff(let c, let k):
                if let start = open.removeValue(forKey: Int(c) * 128 + Int(k)) { out.append((c, k, start, e.tick)) }
            case .controlChange(let c, 123, _):
                for id in open.keys where id / 128 == Int(c) { out.append((c, UInt8(id % 128), open[id]!, e.tick)); open[id] = nil }
            default: break
            }
        }
        return (out.map { (channel: $0.0, key: $0.1, start: $0.2, end: $0.3) }, open.count)
    }
}

extension SimulatedSession {
    /// Ends the session at the current tick, as a shutdown does.
    func stop() { engine.stop() }
}

/// One scripted player note.
struct PlayerNote {
    var key: UInt8
    var start: Int
    var end: Int
    var velocity: UInt8 = 90
}

/// Drives an engine in simulated time: the clock wakes at each of the engine's deadlines and
/// at each player event, as the real driver does.
struct SimulatedSession {
    let engine: Engine
    let output: RecordingOutput

    init(settings: Engine.Settings, model: ImprovModel? = nil) throws {
        output = RecordingOutput()
        engine = Engine(model: try model ?? ImprovModel.builtIn(), settings: settings, output: output)
        engine.start()
    }

    /// Plays `notes` and runs the clock to `endTick`; `at` runs actions at given ticks.
    func run(_ notes: [PlayerNote], until endTick: Int, actions: [(tick: Int, action: (Engine) -> Void)] = []) {
        var events: [(tick: Int, order: Int, run: () -> Void)] = []
        for n in notes {
            events.append((n.start, 1, { engine.noteOn(channel: 0, key: n.key, velocity: n.velocity, tick: n.start) }))
            events.append((n.end, 0, { engine.noteOff(channel: 0, key: n.key, tick: n.end) }))
        }
        for a in actions { events.append((a.tick, 2, { a.action(engine) })) }
        events.sort { ($0.tick, $0.order) < ($1.tick, $1.order) }
        var i = 0
        while true {
            let deadline = engine.nextDeadline
            let nextEvent = i < events.count ? events[i].tick : Int.max
            let t = min(deadline, nextEvent)
            if t > endTick { break }
            output.now = t
            if nextEvent <= deadline {
                engine.advance(to: t)
                events[i].run()
                i += 1
            } else {
                engine.advance(to: t)
            }
        }
        output.now = endTick
        engine.advance(to: endTick)
    }
}

/// Quarter notes on the given pitches, one after another from `bar`.
func quarters(_ pitches: [UInt8], fromBar bar: Int = 0, ppq: Int = 480) -> [PlayerNote] {
    pitches.enumerated().map { i, p in
        PlayerNote(key: p, start: bar * 4 * ppq + i * ppq, end: bar * 4 * ppq + i * ppq + ppq - 20)
    }
}
