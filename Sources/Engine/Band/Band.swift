import MIDI
import MusicCore

/// Which parts of the rhythm section play (each optional, on its own channel and program).
public struct BandParts: Sendable {
    public var drums: DrumPart?
    public var bass: WalkingBass?
    public var comping: Comping?
    public var countIn: CountIn?

    public init(drums: DrumPart? = nil, bass: WalkingBass? = nil, comping: Comping? = nil, countIn: CountIn? = nil) {
        self.drums = drums
        self.bass = bass
        self.comping = comping
        self.countIn = countIn
    }

    /// Drums, walking bass and rootless comping in swing.
    public static let jazz = BandParts(drums: DrumPart(style: .swing), bass: WalkingBass(), comping: Comping())
}

/// The rhythm section: plays slice after slice of a form (a chart in the session's key) on the
/// parts it has, writing note-ons and note-offs through a MIDIOutput; every note gets its
/// note-off (at the tick of the slice it ends in, or at `stop`, or at once on `silenceNow`).
///
/// Timing comes from the caller: `tick(s)` gives the tick of session slice `s`, swing included
/// (Performer's `tick(ofSlice:)`, or a clock that follows the player). The band asks for the
/// slice it plays and the next one (fill strokes between slices). Playing a slice never allocates.
public struct Band: Sendable {
    public private(set) var parts: BandParts
    public let form: ChordForm
    private let chart: BandChart

    public init(parts: BandParts, form: ChordForm, seed: UInt64) {
        self.parts = parts
        self.form = form
        chart = BandChart(form)
        // One generator a part, so that leaving a part out changes nothing in the others.
        self.parts.drums?.prepare(seed: seed &+ 1)
        self.parts.bass?.prepare(seed: seed &+ 2)
        self.parts.comping?.prepare(seed: seed &+ 3)
    }

    private var notes = BandNotes()

    /// A part of the band that can be switched off and on while the session runs.
    public enum Part: UInt8, Sendable, CaseIterable {
        case drums, bass, comping, click
        var bit: UInt8 { 1 << rawValue }
    }

    /// The parts switched off: they start no new note (what they sound ends at its note-off).
    private var silenced: UInt8 = 0

    /// Whether the band has `part` (the preset gave it one) and it is on.
    public func isPlaying(_ part: Part) -> Bool { has(part) && silenced & part.bit == 0 }

    public func has(_ part: Part) -> Bool {
        switch part {
        case .drums: parts.drums != nil
        case .bass: parts.bass != nil
        case .comping: parts.comping != nil
        case .click: parts.countIn?.clickThroughout == true
        }
    }

    /// Switches a part the band has on or off; a part switched on starts afresh (the bass's
    /// line, the comping's voice leading). Returns false when the band has no such part.
    @discardableResult
    public mutating func set(_ part: Part, playing: Bool) -> Bool {
        guard has(part) else { return false }
        if playing {
            if silenced & part.bit != 0 {
                if part == .bass { parts.bass?.reset() }
                if part == .comping { parts.comping?.reset() }
            }
            silenced &= ~part.bit
        } else {
            silenced |= part.bit
        }
        return true
    }

    /// Slices of count-in before the form: the integrator starts the form this many slices in
    /// and passes `formSlice = s - countInSlices`.
    public var countInSlices: Int { (parts.countIn?.bars ?? 0) * chart.slicesPerBar }

    /// Program changes for the parts (the kit's on the drum channel), at `tick`.
    public func setUp(atTick tick: Int, to output: MIDIOutput) {
        if let d = parts.drums { output.schedule(.programChange(channel: d.channel, program: d.program), atTick: tick) }
        if let b = parts.bass { output.schedule(.programChange(channel: b.channel, program: b.program), atTick: tick) }
        if let c = parts.comping { output.schedule(.programChange(channel: c.channel, program: c.program), atTick: tick) }
    }

    /// Plays session slice `s`, which is slice `formSlice` of the form (wrapping round it;
    /// negative: the count-in, `-countInSlices ..< 0`, clicks only; earlier, nothing).
    public mutating func play(slice s: Int, formSlice: Int, tick: (Int) -> Int, to output: MIDIOutput) {
        notes.endDue(bySlice: s, tick: tick(s), to: output)
        if formSlice < 0 {
            if formSlice >= -countInSlices, let c = parts.countIn {
                c.countIn(slice: s, formSlice: formSlice, chart: chart, tick: tick, notes: &notes, to: output)
            }
            return
        }
        if silenced & Part.click.bit == 0 {
            parts.countIn?.click(slice: s, formSlice: formSlice, chart: chart, tick: tick, notes: &notes, to: output)
        }
        if silenced & Part.drums.bit == 0 {
            parts.drums?.play(slice: s, formSlice: formSlice, chart: chart, tick: tick, notes: &notes, to: output)
        }
        if silenced & Part.bass.bit == 0 {
            parts.bass?.play(slice: s, formSlice: formSlice, chart: chart, tick: tick, notes: &notes, to: output)
        }
        if silenced & Part.comping.bit == 0 {
            parts.comping?.play(slice: s, formSlice: formSlice, chart: chart, tick: tick, notes: &notes, to: output)
        }
    }

    /// Ends everything the band sounds at `tick`; the parts start afresh when played again.
    public mutating func stop(atTick tick: Int, to output: MIDIOutput) {
        notes.endAll(tick: tick, to: output)
        parts.bass?.reset()
        parts.comping?.reset()
    }

    /// Panic: note-offs now for everything the synth may sound from the band, then
    /// all-notes-off on its channels. Drop the scheduled events first.
    public mutating func silenceNow(_ output: MIDIOutput) {
        notes.silenceNow(output)
        parts.bass?.reset()
        parts.comping?.reset()
    }

    /// Notes whose note-off has played by `tick` are over (keeps panic's list short).
    public mutating func forget(through tick: Int) { notes.forget(through: tick) }

    /// Notes sounding now (started, note-off not yet scheduled).
    public var soundingCount: Int { notes.soundingCount }
}
