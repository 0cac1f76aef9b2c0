import StandardMIDI

/// How to tell the chord part from the melody part in someone else's MIDI file.
public enum PartSplit: Hashable, Sendable {
    /// Tracks named "Chords"/"Melody" (as improv writes them); else, with notes on several
    /// tracks, the lowest-sounding track is the chords and the highest the melody; else `.pitch(60)`.
    case auto
    /// Track numbers (0-based, as in the file).
    case track(chords: Int, melody: Int)
    /// MIDI channels (0-based).
    case channel(chords: UInt8, melody: UInt8)
    /// Notes below the split pitch are chords, the rest melody.
    case pitch(UInt8)
}

/// General MIDI programs (0-based) and channels improv uses when it writes a score.
public struct PartVoices: Hashable, Sendable {
    public var chordChannel: UInt8 = 0
    public var melodyChannel: UInt8 = 1
    public var chordProgram: UInt8 = 0    // Acoustic Grand Piano
    public var melodyProgram: UInt8 = 66  // Tenor Sax
    public init() {}
}

extension Score {
    /// Reads the two parts out of a MIDI file.
    public init(midi: MIDIFile, split: PartSplit = .auto) {
        // An odd PPQ cannot hold an eighth note in whole ticks: double the time base.
        let scale: UInt64 = midi.ticksPerQuarter % 2 == 0 ? 1 : 2
        let spans = midi.noteSpans()
        func note(_ s: MIDINoteSpan) -> Note {
            Note(pitch: s.key, velocity: s.velocity, channel: s.channel,
                 start: Int(clamping: s.start * scale), duration: Int(clamping: (s.end - s.start) * scale))
        }
        var chordSpans: [MIDINoteSpan] = []
        var melodySpans: [MIDINoteSpan] = []
        switch Self.resolve(split, midi: midi, spans: spans) {
        case .track(let c, let m):
            chordSpans = spans.filter { $0.track == c }
            melodySpans = spans.filter { $0.track == m }
        case .channel(let c, let m):
            chordSpans = spans.filter { $0.channel == c }
            melodySpans = spans.filter { $0.channel == m }
        case .pitch(let p):
            chordSpans = spans.filter { $0.key < p }
            melodySpans = spans.filter { $0.key >= p }
        case .auto:
            preconditionFailure("resolve never returns .auto")
        }
        var key: Key?
        for track in midi.tracks {
            for e in track.events {
                if case .keySignature(let sharps, let minor) = e.event, key == nil { key = Key(signatureSharps: Int(sharps), minor: minor) }
            }
        }
        self.init(ticksPerQuarter: Int(midi.ticksPerQuarter) * Int(scale),
                  tempoBPM: TimeGrid.bpm(microsecondsPerQuarter: midi.tempoMicrosecondsPerQuarter),
                  key: key, chords: chordSpans.map(note), melody: melodySpans.map(note))
        meter = midi.firstMeter ?? .fourFour
    }

    /// Turns `.auto` into a concrete split for this file.
    static func resolve(_ split: PartSplit, midi: MIDIFile, spans: [MIDINoteSpan]) -> PartSplit {
        guard split == .auto else { return split }
        let names = midi.tracks.map { $0.name?.lowercased() ?? "" }
        if let c = names.firstIndex(where: { $0.contains("chord") }),
           let m = names.firstIndex(where: { $0.contains("melody") }) {
            return .track(chords: c, melody: m)
        }
        var sums: [Int: (total: Int, count: Int)] = [:]
        for s in spans { sums[s.track, default: (0, 0)].total += Int(s.key); sums[s.track, default: (0, 0)].count += 1 }
        if sums.count >= 2 {
            let means = sums.map { (track: $0.key, mean: Double($0.value.total) / Double($0.value.count)) }
                .sorted { ($0.mean, $0.track) < ($1.mean, $1.track) }
            return .track(chords: means.first!.track, melody: means.last!.track)
        }
        return .pitch(60)
    }

    /// A format-1 file: a conductor track (tempo, time signature, key), then "Chords" and "Melody" tracks
    /// on their own channels with their General MIDI programs.
    public func midiFile(voices: PartVoices = PartVoices(), name: String = "improv") -> MIDIFile {
        var conductor: [MIDITrackEvent] = [
            MIDITrackEvent(tick: 0, event: .trackName(name)),
            MIDITrackEvent(tick: 0, event: .tempo(microsecondsPerQuarter: grid.microsecondsPerQuarter)),
            MIDITrackEvent(tick: 0, event: .timeSignature(numerator: UInt8(meter.count), denominatorPower: UInt8(meter.unit.trailingZeroBitCount),
                                                      clocksPerClick: UInt8(meter.isCompound ? 36 : 96 / meter.unit), thirtySecondsPerQuarter: 8)),
        ]
        if let key {
            conductor.append(MIDITrackEvent(tick: 0, event: .keySignature(sharps: Int8(key.signatureSharps), minor: key.minor)))
        }
        return MIDIFile(format: 1, ticksPerQuarter: UInt16(ticksPerQuarter), tracks: [
            MIDITrack(events: conductor),
            MIDITrack(events: Self.events(name: "Chords", notes: chords, channel: voices.chordChannel, program: voices.chordProgram)),
            MIDITrack(events: Self.events(name: "Melody", notes: melody, channel: voices.melodyChannel, program: voices.melodyProgram)),
        ])
    }

    /// Track events for notes: note-offs sort before note-ons at the same tick, so a note
    /// struck again right where it ends is not cut short by its own note-off.
    static func events(name: String, notes: [Note], channel: UInt8, program: UInt8) -> [MIDITrackEvent] {
        var timed: [(tick: Int, order: Int, event: MIDIEvent)] = []
        timed.reserveCapacity(notes.count * 2)
        for n in notes {
            timed.append((n.start, 1, .noteOn(channel: channel, key: n.pitch, velocity: max(1, n.velocity))))
            timed.append((n.end, 0, .noteOff(channel: channel, key: n.pitch, velocity: 0)))
        }
        timed.sort { ($0.tick, $0.order) < ($1.tick, $1.order) }
        return [MIDITrackEvent(tick: 0, event: .trackName(name)),
                MIDITrackEvent(tick: 0, event: .programChange(channel: channel, program: program))]
            + timed.map { MIDITrackEvent(tick: UInt64($0.tick), event: $0.event) }
    }
}

extension MIDIFile {
    /// The distinct meters of the file's time signatures, in the order they first sound
    /// (empty when it has none; signatures improv cannot slice, such as 7/16, are left out).
    public var meters: [Meter] {
        var timed: [(tick: UInt64, meter: Meter)] = []
        for track in tracks {
            for e in track.events {
                if case .timeSignature(let n, let d, _, _) = e.event, let m = Meter(midiNumerator: Int(n), denominatorPower: Int(d)) {
                    timed.append((e.tick, m))
                }
            }
        }
        var out: [Meter] = []
        for t in timed.sorted(by: { $0.tick < $1.tick }) where !out.contains(t.meter) { out.append(t.meter) }
        return out
    }

    /// True when a time signature of the file has no whole number of eighths a bar.
    public var hasUnsliceableMeter: Bool {
        tracks.contains { t in t.events.contains { e in
            if case .timeSignature(let n, let d, _, _) = e.event { return Meter(midiNumerator: Int(n), denominatorPower: Int(d)) == nil }
            return false
        } }
    }
}
