import Composer
import MIDI
import MusicCore

/// A note the player plays, in engine ticks (the session's PPQ).
public struct PlayedNote: Hashable, Sendable {
    public var channel: UInt8
    public var key: UInt8
    public var velocity: UInt8
    public var start: Int
    public var end: Int

    public init(channel: UInt8 = 0, key: UInt8, velocity: UInt8 = 90, start: Int, end: Int) {
        self.channel = channel
        self.key = key
        self.velocity = velocity
        self.start = start
        self.end = end
    }
}

/// Everything a MIDI output is given, kept with the tick it sounds at: for offline jams
/// (written to MIDI and WAV) and for tests.
public final class EventRecorder: MIDIOutput {
    public struct Event: Hashable, Sendable {
        public var tick: Int
        public var message: ChannelMessage
        /// Sent at once (panic, pass-through) rather than scheduled.
        public var immediate: Bool
        /// The clock when the event was handed over.
        public var handedOverAt: Int
    }

    /// The clock as the driver last set it.
    public var now = 0
    public private(set) var events: [Event] = []

    public init() {}

    public func schedule(_ message: ChannelMessage, atTick tick: Int) {
        events.append(Event(tick: tick, message: message, immediate: false, handedOverAt: now))
    }

    public func sendNow(_ message: ChannelMessage) {
        events.append(Event(tick: now, message: message, immediate: true, handedOverAt: now))
    }

    public func dropScheduled() { events.removeAll { !$0.immediate && $0.tick > now } }

    /// Forgets everything recorded so far (keeps its storage).
    public func clear() { events.removeAll(keepingCapacity: true) }

    /// In the order they sound (events at one tick keep the order they were given in).
    public var played: [Event] {
        events.enumerated().sorted { ($0.element.tick, $0.offset) < ($1.element.tick, $1.offset) }.map(\.element)
    }
}

/// Runs an engine in simulated time: the clock wakes at each of the engine's deadlines and at
/// each of the player's events, as the real-time driver does, only as fast as the CPU goes.
public struct SimulatedClock {
    public let engine: Engine
    public let recorder: EventRecorder

    public init(engine: Engine, recorder: EventRecorder) {
        self.engine = engine
        self.recorder = recorder
    }

    /// Plays `notes` and runs the clock to `endTick`; `actions` run at their ticks.
    public func run(_ notes: [PlayedNote], until endTick: Int, actions: [(tick: Int, action: (Engine) -> Void)] = []) {
        // At one tick: the note-offs of notes that started before it, then note-ons, then the
        // note-offs of notes that start there too (zero-length), so a key struck again where it
        // ends, or a note with no length, is never left held.
        var events: [(tick: Int, order: Int, run: () -> Void)] = []
        for n in notes {
            events.append((n.start, 1, { engine.noteOn(channel: n.channel, key: n.key, velocity: n.velocity, tick: n.start) }))
            events.append((n.end, n.end > n.start ? 0 : 2, { engine.noteOff(channel: n.channel, key: n.key, tick: n.end) }))
        }
        for a in actions { events.append((a.tick, 3, { a.action(engine) })) }
        events.sort { ($0.tick, $0.order) < ($1.tick, $1.order) }
        var i = 0
        while true {
            let nextEvent = i < events.count ? events[i].tick : Int.max
            let t = min(engine.nextDeadline, nextEvent)
            if t > endTick { break }
            recorder.now = t
            engine.advance(to: t)
            if nextEvent == t {
                events[i].run()
                i += 1
            }
        }
        recorder.now = endTick
        engine.advance(to: endTick)
    }
}

extension Engine {
    /// A whole jam offline: the player's `call` notes, improv's answers, then a clean stop once
    /// the last answer is over (or, in backing and duet, two bars after the player's last note).
    /// Returns what improv played and the tick where the session ends.
    public static func jam(call: [PlayedNote], model: ImprovModel, settings: Settings) -> (events: [EventRecorder.Event], endTick: Int) {
        let recorder = EventRecorder()
        let engine = Engine(model: model, settings: settings, output: recorder)
        engine.start()
        let clock = SimulatedClock(engine: engine, recorder: recorder)
        let bar = engine.settings.grid.ticksPerBar
        let lastInput = call.map(\.end).max() ?? 0
        var end = (lastInput / bar + 2) * bar
        clock.run(call, until: end)
        if settings.mode == .callAndResponse {
            // Let the last answer finish (answers are never longer than 96 bars).
            while !engine.isIdle && end < lastInput + 96 * bar {
                end += bar
                clock.run([], until: end)
            }
        }
        recorder.now = end
        engine.stop()
        return (trimmed(recorder.played, end: end), end)
    }

    /// What a jam keeps of the recording: nothing starts where the session ends (notes planned
    /// for that tick would be struck and stopped at once, and could ring on in a synth that
    /// takes the note-off first), and no note-off is left without its note-on.
    static func trimmed(_ played: [EventRecorder.Event], end: Int) -> [EventRecorder.Event] {
        var sounding = [Int](repeating: 0, count: 16 * 128)
        return played.filter { e in
            switch e.message {
            case .noteOn(let c, let k, _):
                guard e.tick < end else { return false }
                sounding[Int(c & 15) * 128 + Int(k & 127)] += 1
                return true
            case .noteOff(let c, let k, _):
                let i = Int(c & 15) * 128 + Int(k & 127)
                guard sounding[i] > 0 else { return false }
                sounding[i] -= 1
                return true
            default:
                return true
            }
        }
    }

    /// Waiting for the player, nothing planned or sounding.
    public var isIdle: Bool {
        if case .waiting = session.phase, performer.ledger.soundingCount == 0 {
            return settings.mode == .callAndResponse
        }
        return false
    }
}
