import StandardMIDI

/// A file's tempo map: tick → seconds, from every tempo event of every track.
public struct TempoMap: Sendable, Equatable {
    public let ticksPerQuarter: Int
    /// (tick, microseconds per quarter) from tick 0, ascending; the first applies from 0.
    public let segments: [(tick: UInt64, microsecondsPerQuarter: UInt32)]

    public init(_ file: MIDIFile) {
        ticksPerQuarter = Int(file.ticksPerQuarter)
        var changes: [(tick: UInt64, microsecondsPerQuarter: UInt32)] = []
        for track in file.tracks {
            for e in track.events { if case .tempo(let t) = e.event { changes.append((e.tick, t)) } }
        }
        changes.sort { $0.tick < $1.tick }   // stable: the lower track wins a tie
        var result: [(tick: UInt64, microsecondsPerQuarter: UInt32)] = [(0, changes.first?.microsecondsPerQuarter ?? 500_000)]
        for change in changes where change.tick > 0 {
            if result.last!.tick == change.tick { result[result.count - 1] = change } else { result.append(change) }
        }
        segments = result
    }

    public static func == (a: TempoMap, b: TempoMap) -> Bool {
        a.ticksPerQuarter == b.ticksPerQuarter && a.segments.elementsEqual(b.segments) { $0 == $1 }
    }

    /// Seconds from the start to `tick`.
    public func seconds(atTick tick: UInt64) -> Double {
        var seconds = 0.0
        for (i, segment) in segments.enumerated() {
            let end = i + 1 < segments.count ? min(segments[i + 1].tick, tick) : tick
            guard end > segment.tick else { break }
            seconds += Double(end - segment.tick) * Double(segment.microsecondsPerQuarter) / 1e6 / Double(ticksPerQuarter)
        }
        return seconds
    }
}

/// Plays a whole MIDI file (every track and channel, programs, controllers, bends, the
/// full tempo map) through FluidSynth's sequencer into a WAV file.
///
/// The sequencer counts milliseconds here (its resolution underneath anyway); each event's
/// time comes from the tempo map. Everything is queued first, then rendered.
@discardableResult
public func render(midi: MIDIFile, soundfont: String, settings: SynthSettings = SynthSettings(),
                   format: WAVSampleFormat = .int16, tail: TailPolicy = TailPolicy(),
                   to wavPath: String) throws(SynthError) -> RenderSummary {
    let synthesizer = try Synthesizer(settings: settings, offline: true)
    try synthesizer.loadSoundfont(path: soundfont)
    let sequencer = try SynthSequencer(synthesizer: synthesizer, ticksPerSecond: 1000)
    let tempo = TempoMap(midi)
    var events: [MIDITrackEvent] = []
    for track in midi.tracks { events.append(contentsOf: track.events.lazy.filter { $0.event.isChannelMessage }) }
    // Stable by tick: within a tick, file order (FluidSynth orders same-time events itself too).
    let ordered = events.enumerated().sorted { ($0.element.tick, $0.offset) < ($1.element.tick, $1.offset) }
    var cache: (tick: UInt64, ms: UInt32) = (.max, 0)
    for (_, e) in ordered {
        if cache.tick != e.tick {
            cache = (e.tick, UInt32(clamping: Int64((tempo.seconds(atTick: e.tick) * 1000).rounded())))
        }
        try sequencer.send(e.event, atTick: cache.ms)
    }
    let renderer = try OfflineRenderer(sequencer: sequencer, to: wavPath, format: format, tail: tail)
    return try renderer.finish()
}
