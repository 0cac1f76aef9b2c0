/// A sounding note: from its note-on to the note-off that ends it.
public struct MIDINoteSpan: Equatable, Hashable, Sendable {
    /// Index of the track in `MIDIFile.tracks`.
    public var track: Int
    public var channel: UInt8
    public var key: UInt8
    /// Note-on velocity.
    public var velocity: UInt8
    /// Ticks of the note-on and of the note-off (or the track's end).
    public var start: UInt64
    public var end: UInt64

    public init(track: Int, channel: UInt8, key: UInt8, velocity: UInt8, start: UInt64, end: UInt64) {
        self.track = track
        self.channel = channel
        self.key = key
        self.velocity = velocity
        self.start = start
        self.end = end
    }

    /// Sort order: start, track, channel, key, then end and velocity so that
    /// the order is total and does not depend on how spans were found.
    public static func precedes(_ a: MIDINoteSpan, _ b: MIDINoteSpan) -> Bool {
        (a.start, a.track, a.channel, a.key, a.end, a.velocity)
            < (b.start, b.track, b.channel, b.key, b.end, b.velocity)
    }
}

extension MIDIFile {
    /// Pairs note-ons with note-offs, per (track, channel, key), first in first
    /// out: a note-on (velocity > 0) opens a note, a note-off (or a note-on
    /// with velocity 0) closes the oldest open one. A note-off with no open
    /// note is ignored; a note still open at the end of its track closes at
    /// the track's last event tick. Sorted by `MIDINoteSpan.precedes`.
    public func noteSpans() -> [MIDINoteSpan] {
        var spans: [MIDINoteSpan] = []
        for (index, track) in tracks.enumerated() {
            spans += track.noteSpans(trackIndex: index)
        }
        spans.sort(by: MIDINoteSpan.precedes)
        return spans
    }
}

extension MIDITrack {
    /// The note spans of this one track (see `MIDIFile.noteSpans`), reported
    /// with `trackIndex` as their track, sorted the same way.
    public func noteSpans(trackIndex: Int = 0) -> [MIDINoteSpan] {
        struct NoteKey: Hashable { var channel: UInt8; var key: UInt8 }
        // A FIFO as an array plus a read index, so closing a note is O(1).
        struct OpenNotes { var pending: [(tick: UInt64, velocity: UInt8)] = []; var head = 0 }

        var open: [NoteKey: OpenNotes] = [:]
        var spans: [MIDINoteSpan] = []

        func close(_ noteKey: NoteKey, at tick: UInt64) {
            guard var notes = open[noteKey], notes.head < notes.pending.count else { return }
            let note = notes.pending[notes.head]
            notes.head += 1
            if notes.head == notes.pending.count { notes = OpenNotes() }
            open[noteKey] = notes
            spans.append(MIDINoteSpan(track: trackIndex, channel: noteKey.channel, key: noteKey.key,
                                      velocity: note.velocity, start: note.tick, end: max(tick, note.tick)))
        }

        for trackEvent in events {
            switch trackEvent.event {
            case .noteOn(let channel, let key, let velocity) where velocity > 0:
                open[NoteKey(channel: channel, key: key), default: OpenNotes()]
                    .pending.append((trackEvent.tick, velocity))
            case .noteOn(let channel, let key, _), .noteOff(let channel, let key, _):
                close(NoteKey(channel: channel, key: key), at: trackEvent.tick)
            default:
                break
            }
        }

        let end = endTick
        for noteKey in open.keys {
            while let notes = open[noteKey], notes.head < notes.pending.count {
                close(noteKey, at: end)
            }
        }
        spans.sort(by: MIDINoteSpan.precedes)
        return spans
    }
}
