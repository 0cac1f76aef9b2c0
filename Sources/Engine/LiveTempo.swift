import MusicCore

/// Following the player's tempo live (`clock.follow = "player"`): the driver's queue (the ALSA
/// queue, FluidSynth's sequencer) runs in musical ticks, and its tempo is steered so that the
/// queue's beats fall on the player's (docs/tempo-following.md).
///
/// The player's note-ons arrive stamped in queue ticks. As long as the queue has taken every
/// tempo this hands out, a queue tick read back through the tracker's map is the nominal tick
/// (real time at the preset's tempo) the tracker wants, so the tracker never hears its own
/// corrections. What the engine planned ahead sits on the queue in queue ticks and follows
/// every later change until it sounds. A fixed-size struct: nothing here allocates.
public struct LiveTempo: Sendable {
    public private(set) var tracker: BeatTracker
    /// The preset's tempo (quarters a minute).
    public let nominalBPM: Double
    /// The tempo the queue was last told to take.
    public private(set) var queueBPM: Double
    /// The queue tick where playback's tempo changes next (a whole beat), nil if none.
    public private(set) var nextChange: Int?
    /// The same point in nominal ticks (the tracker's own value: converting back could round it
    /// to before the change, and the change would fall due for ever).
    private var nextChangeNominal = 0

    /// Changes smaller than this share of the tempo are not worth a call to the sequencer.
    static let resolution = 1e-4

    public init(grid: TimeGrid, options: BeatTracker.Options = BeatTracker.Options()) {
        tracker = BeatTracker(grid: grid, options: options)
        nominalBPM = grid.tempoBPM
        queueBPM = grid.tempoBPM
    }

    /// A note-on of the player's at `queueTick`. Returns the tempo the queue must take now, or
    /// nil when it stays.
    public mutating func noteOn(atQueueTick queueTick: Int) -> Double? {
        let nominal = tracker.tick(atMusicalTick: queueTick)
        guard tracker.onset(atTick: nominal) != .sameOnset else { return nil }
        return retime(atNominal: nominal)
    }

    /// The queue has reached `queueTick`: the tempo to take if a change fell due, else nil.
    public mutating func reached(queueTick: Int) -> Double? {
        guard let change = nextChange, queueTick >= change else { return nil }
        return retime(atNominal: nextChangeNominal)
    }

    /// The player's tempo now (quarters a minute), as the tracker hears it.
    public var playerBPM: Double { nominalBPM * tracker.tempoRatio }

    private mutating func retime(atNominal nominal: Int) -> Double? {
        let change = tracker.nextTempoChange(afterTick: nominal)
        nextChangeNominal = change ?? 0
        nextChange = change.map { tracker.musicalTick(atTick: $0) }
        let bpm = nominalBPM * tracker.playbackTempoRatio(atTick: nominal)
        guard abs(bpm - queueBPM) > queueBPM * Self.resolution else { return nil }
        queueBPM = bpm
        return bpm
    }
}
