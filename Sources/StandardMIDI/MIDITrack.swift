/// One track (MTrk chunk) of a Standard MIDI File.
public struct MIDITrack: Equatable, Hashable, Sendable {
    /// Events at absolute ticks, in file order, ticks non-decreasing.
    /// End-of-Track is not stored: the writer adds it at the last event's tick.
    public var events: [MIDITrackEvent]

    public init(events: [MIDITrackEvent] = []) {
        self.events = events
    }

    /// The text of the first track-name meta event, if any.
    public var name: String? {
        for trackEvent in events {
            if case .trackName(let name) = trackEvent.event { return name }
        }
        return nil
    }

    /// Tick of the last event (0 for an empty track). Uses the maximum, so it
    /// stays right even if someone built a track out of order.
    public var endTick: UInt64 {
        events.reduce(0) { max($0, $1.tick) }
    }
}
