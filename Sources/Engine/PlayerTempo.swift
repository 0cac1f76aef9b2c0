import MusicCore

/// Following the player's tempo in an offline jam: the call, played at its own drifting pace
/// in nominal ticks (real time at the preset's tempo), goes through a BeatTracker note by note,
/// as it would live; each note is handed on at its musical tick (its place in the player's
/// beats), and the map's history becomes the session file's tempo events, so the written jam
/// plays back with improv and the band on the player's beat.
public enum PlayerTempo {
    public struct Followed: Sendable {
        /// The call in musical ticks.
        public var notes: [PlayedNote]
        /// Tempo events for a file in musical ticks (MIDI's microseconds a quarter).
        public var tempo: [(tick: Int, microsecondsPerQuarter: UInt32)]
        /// The player's tempo at the end, over the preset's.
        public var finalTempoRatio: Double
    }

    public static func follow(_ call: [PlayedNote], grid: TimeGrid) -> Followed {
        var tracker = BeatTracker(grid: grid)
        var map = BeatMap(tracker)
        // Note-ons and note-offs in time order (offs first at a tick), each converted with the
        // map as it stood when it arrived.
        var events: [(tick: Int, on: Bool, index: Int)] = []
        for (i, n) in call.enumerated() { events.append((n.start, true, i)); events.append((n.end, false, i)) }
        events.sort { ($0.tick, $0.on ? 1 : 0) < ($1.tick, $1.on ? 1 : 0) }
        var out = call
        for e in events {
            if e.on {
                tracker.onset(atTick: e.tick)
                map.record(tracker)
                out[e.index].start = tracker.musicalTick(atTick: e.tick)
            } else {
                out[e.index].end = max(out[e.index].start + 1, tracker.musicalTick(atTick: e.tick))
            }
        }
        return Followed(notes: out, tempo: map.tempoEvents(nominalBPM: grid.tempoBPM), finalTempoRatio: tracker.tempoRatio)
    }
}
