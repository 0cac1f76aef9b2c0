/// The history of a `BeatTracker`'s map, for what is written after the fact: an offline jam's
/// MIDI file (its tempo events), the player's notes moved onto musical ticks. Not for the
/// per-slice path (it grows with each update).
///
/// Each piece runs from its nominal tick until the next piece starts; an update replaces the
/// pieces after its tick with the tracker's new ones, so the map is what playback did.
public struct BeatMap: Sendable {
    public typealias Piece = BeatTracker.Segment
    public private(set) var pieces: [Piece]
    /// The preset's beat, in nominal ticks (musical ticks are beats × this).
    public let nominalTicksPerBeat: Double

    public init(_ tracker: BeatTracker) {
        nominalTicksPerBeat = tracker.nominalTicksPerBeat
        pieces = []
        record(tracker)
    }

    /// Takes the tracker's map from its last update on (call after each `onset`).
    public mutating func record(_ tracker: BeatTracker) {
        let (steer, after) = tracker.segments
        while let last = pieces.last, last.startTick >= steer.startTick { pieces.removeLast() }
        pieces.append(steer)
        if after.startTick > steer.startTick { pieces.append(after) }
    }

    private func piece(atTick t: Double) -> Piece {
        var lo = 0, hi = pieces.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if pieces[mid].startTick <= t { lo = mid } else { hi = mid - 1 }
        }
        return pieces[lo]
    }

    private func piece(atPosition p: Double) -> Piece {
        var lo = 0, hi = pieces.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if pieces[mid].startPosition <= p { lo = mid } else { hi = mid - 1 }
        }
        return pieces[lo]
    }

    public func beatPosition(atTick tick: Double) -> Double {
        let p = piece(atTick: tick)
        return p.startPosition + (tick - p.startTick) / p.ticksPerBeat
    }

    public func tick(atBeatPosition position: Double) -> Double {
        let p = piece(atPosition: position)
        return p.startTick + (position - p.startPosition) * p.ticksPerBeat
    }

    /// A nominal tick as a musical tick (a MIDI file's tick once its tempo events are in).
    public func musicalTick(atTick tick: Int) -> Int {
        Int((beatPosition(atTick: Double(tick)) * nominalTicksPerBeat).rounded())
    }

    /// Tempo events for a file in musical ticks: where each piece starts, its tempo (MIDI's
    /// microseconds a quarter), given the preset's tempo in quarters a minute. Pieces before
    /// musical tick 0 are folded into one event at 0.
    public func tempoEvents(nominalBPM: Double) -> [(tick: Int, microsecondsPerQuarter: UInt32)] {
        var events: [(tick: Int, microsecondsPerQuarter: UInt32)] = []
        for p in pieces {
            let tick = max(0, Int((p.startPosition * nominalTicksPerBeat).rounded()))
            let bpm = nominalBPM * nominalTicksPerBeat / p.ticksPerBeat
            let us = UInt32((60_000_000 / bpm).rounded())
            if let last = events.last, last.tick == tick { events[events.count - 1].microsecondsPerQuarter = us }
            else if events.last?.microsecondsPerQuarter != us { events.append((tick, us)) }
        }
        return events
    }
}
