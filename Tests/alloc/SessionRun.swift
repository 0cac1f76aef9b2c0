import Composer
import Engine
import MIDI
import MusicCore

/// A player's note-on (velocity above 0) or note-off, at its tick.
struct PlayerEvent {
    var tick: Int
    var order: Int
    var key: UInt8
    var velocity: UInt8

    /// The notes as events in the order the clock meets them (note-offs first at a tick).
    static func of(_ notes: [PlayedNote]) -> [PlayerEvent] {
        var events: [PlayerEvent] = []
        for n in notes {
            events.append(PlayerEvent(tick: n.start, order: 1, key: n.key, velocity: max(1, n.velocity)))
            events.append(PlayerEvent(tick: n.end, order: 0, key: n.key, velocity: 0))
        }
        return events.sorted { ($0.tick, $0.order) < ($1.tick, $1.order) }
    }
}

/// An engine session in simulated time, driven as the real-time driver drives it: woken at each
/// deadline and at each of the player's events. The driver reads only what was made before
/// it runs, so what it counts is the engine's.
struct SessionRun {
    let engine: Engine
    let output = PreallocatedOutput()
    let events: [PlayerEvent]
    var next = 0

    /// `watch`: what the engine's output goes through on its way (the daemon's event tap).
    init(settings: Engine.Settings, model: ImprovModel, notes: [PlayedNote], watch: (MIDIOutput) -> MIDIOutput = { $0 }) {
        engine = Engine(model: model, settings: settings, output: watch(output))
        events = PlayerEvent.of(notes)
        engine.start()
    }

    var ticksPerBar: Int { engine.settings.grid.ticksPerBar }

    mutating func run(until end: Int) {
        while true {
            let nextEvent = next < events.count ? events[next].tick : Int.max
            let t = min(engine.nextDeadline, nextEvent)
            if t > end { break }
            output.now = t
            engine.advance(to: t)
            if nextEvent == t {
                let e = events[next]
                if e.velocity > 0 {
                    engine.noteOn(channel: 0, key: e.key, velocity: e.velocity, tick: t)
                } else {
                    engine.noteOff(channel: 0, key: e.key, tick: t)
                }
                next += 1
            }
        }
        output.now = end
        engine.advance(to: end)
    }
}

/// A swung line of `bars` 4/4 bars from `bar` around `tonic` (a blues scale walked by a seeded
/// generator, some eighths left out), with a chord below the split on each bar's downbeat when
/// `chords`.
func bluesLine(bars: Int, fromBar bar: Int, tonic: Int, chords: Bool, seed: UInt64) -> [PlayedNote] {
    var rng = SeededGenerator(seed: seed)
    let scale = [0, 3, 5, 6, 7, 10, 12, 15]
    var notes: [PlayedNote] = []
    var degree = 2
    for e in 0..<(bars * 8) {
        let start = bar * 1920 + e / 2 * 480 + (e % 2 == 1 ? 298 : 0)
        degree = max(0, min(scale.count - 1, degree + Int(rng.next() % 3) - 1))
        if rng.next() % 5 != 0 {
            let velocity = UInt8(60 + rng.next() % 50)
            notes.append(PlayedNote(key: UInt8(tonic + scale[degree]), velocity: velocity, start: start, end: start + 150))
        }
        if chords && e % 8 == 0 {
            for d in [0, 4, 10] { notes.append(PlayedNote(key: UInt8(tonic - 12 + d), velocity: 70, start: start, end: start + 1800)) }
        }
    }
    return notes
}
