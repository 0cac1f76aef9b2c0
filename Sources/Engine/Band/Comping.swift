import MIDI
import MusicCore

/// Chords in real voicings (shell, guide-tone, rootless or close; see `VoicingKind`), led from
/// chord to chord with the least motion, struck on a comping rhythm drawn bar by bar from a
/// few figures (the Charleston and its relatives in swing; longer chords in ballads; on the
/// beats in straight time). A chord that starts mid-bar is always struck.
public struct Comping: Sendable {
    public enum Rhythm: String, Sendable, CaseIterable {
        /// Short chords on the Charleston and its variants.
        case swing
        /// Held chords, one or two a bar.
        case ballad
        /// Chords on the beats and backbeats (folk, rock).
        case straight
    }

    public var channel: UInt8
    public var program: UInt8
    public var voicing: VoicingKind
    public var rhythm: Rhythm
    public var velocity: Int

    /// The voicing sounding (or last sounded) and the chord it belongs to.
    private(set) var current = PitchSet()
    private var currentChord: ChordTones?
    /// The figure of this bar: a bit per slice where a chord is struck.
    private var figure: UInt32 = 0
    private var rng = SeededGenerator(seed: 0)

    /// Channel 5 (index 4) and GM program 1 (Acoustic Grand, index 0) by default.
    public init(channel: UInt8 = 4, program: UInt8 = 0, voicing: VoicingKind = .rootless,
                rhythm: Rhythm = .swing, velocity: Int = 64) {
        self.channel = channel
        self.program = program
        self.voicing = voicing
        self.rhythm = rhythm
        self.velocity = velocity
    }

    mutating func prepare(seed: UInt64) {
        rng = SeededGenerator(seed: seed)
        reset()
    }

    mutating func reset() {
        current = PitchSet()
        currentChord = nil
        figure = 0
    }

    mutating func play(slice s: Int, formSlice f: Int, chart: BandChart, tick: (Int) -> Int,
                       notes: inout BandNotes, to output: MIDIOutput) {
        let b = chart.sliceInBar(f)
        if b == 0 { figure = Self.figure(rhythm, chart.meter, pick: rng.next()) }
        let starts = chart.chordStarts(at: f)
        if starts { notes.endAll(channel: channel, tick: tick(s), to: output) }
        guard figure & (1 << UInt32(b)) != 0 || (starts && b != 0) else { return }

        let chord = chart.chord(at: f)
        if currentChord != chord || current.isEmpty {
            current = ChordVoicing.lead(to: chord, kind: voicing, from: current, rng: &rng)
            currentChord = chord
        }
        // Until the next strike or chord, at most two slices in swing and straight time.
        var length = 1
        while b + length < chart.slicesPerBar && figure & (1 << UInt32(b + length)) == 0
                && !chart.chordStarts(at: f + length) {
            length += 1
        }
        if rhythm != .ballad { length = min(length, 2) }
        let accent = b % chart.slicesPerBeat != 0 ? 6 : 0
        let t = tick(s)
        for k in current {
            notes.start(channel: channel, key: k, velocity: rng.velocity(velocity + accent, spread: 5),
                        slice: s, length: length, tick: t, to: output)
        }
    }

    /// The comping figure of a bar: a bit per slice of the bar where a chord is struck.
    static func figure(_ rhythm: Rhythm, _ meter: Meter, pick: UInt64) -> UInt32 {
        let n = meter.slicesPerBar
        func one(_ figures: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32)) -> UInt32 {
            switch pick % 6 {
            case 0: return figures.0
            case 1: return figures.1
            case 2: return figures.2
            case 3: return figures.3
            case 4: return figures.4
            default: return figures.5
            }
        }
        switch (rhythm, n, meter.isCompound) {
        // 4/4 and 2/2, slices 0-7. Charleston (1, &2) twice as likely as each variant.
        case (.swing, 8, _): return one((0b0000_1001, 0b0000_1001, 0b0001_0010, 0b0100_0100, 0b0010_1001, 0b1000_1000))
        case (.ballad, 8, _): return one((0b0000_0001, 0b0001_0001, 0b0001_0001, 0b0000_0001, 0b0100_0001, 0b0001_1000))
        case (.straight, 8, _): return one((0b0101_0101, 0b0101_0101, 0b0100_0100, 0b0110_1101, 0b0101_1001, 0b0100_0101))
        // 3/4, slices 0-5: the waltz's 2 and 3, beat 1 and the "and" of 2, ...
        case (.swing, 6, false): return one((0b01_0100, 0b00_1001, 0b01_0001, 0b01_0010, 0b01_0100, 0b00_1100))
        case (.ballad, 6, false): return one((0b00_0001, 0b00_0001, 0b01_0001, 0b00_0101, 0b00_0001, 0b01_0001))
        case (.straight, 6, false): return one((0b01_0101, 0b01_0100, 0b01_0101, 0b01_0100, 0b01_0001, 0b01_0101))
        // 6/8, slices 0-5 in two beats of three.
        case (.swing, 6, true): return one((0b00_1001, 0b10_0100, 0b00_1000, 0b10_1001, 0b00_1001, 0b10_0001))
        case (.ballad, 6, true): return one((0b00_0001, 0b00_1001, 0b00_0001, 0b00_1001, 0b00_0001, 0b00_1001))
        case (.straight, 6, true): return one((0b00_1001, 0b10_1101, 0b00_1001, 0b10_1001, 0b00_1101, 0b00_1001))
        // 12/8, slices 0-11 in four beats of three: the slow blues' chords on 2 and 4, ...
        case (.swing, 12, true): return one((0b0010_0000_1000, 0b0010_0100_1000, 0b0010_0000_1001, 0b1000_0010_0000, 0b0010_0000_1000, 0b0010_0100_1001))
        case (.ballad, 12, true): return one((0b0000_0000_0001, 0b0000_0100_0001, 0b0000_0100_0001, 0b0000_0000_0001, 0b0010_0000_0001, 0b0000_0100_0001))
        case (.straight, 12, true): return one((0b0010_0100_1001, 0b0010_0000_1000, 0b0010_0100_1001, 0b1010_0100_1001, 0b0010_0100_1001, 0b0010_0000_1001))
        default:
            // Any other meter: the downbeat and the middle beat (or the second beat).
            let beats = meter.beatsPerBar
            let middle = beats > 1 ? (beats / 2) * meter.slicesPerBeat : 0
            return 1 | (1 << UInt32(middle))
        }
    }
}
