import MIDI
import MusicCore

/// Clicks on the drum channel: `bars` bars of side stick before the form starts (the
/// downbeat accented), and, when `clickThroughout`, a metronome through the session (a high
/// wood block on the downbeat, a low one on the other beats). Beats are the meter's: dotted
/// quarters in compound time.
public struct CountIn: Sendable {
    public var bars: Int
    public var clickThroughout: Bool
    public var channel: UInt8

    public init(bars: Int = 1, clickThroughout: Bool = false, channel: UInt8 = DrumKey.channel) {
        precondition(bars >= 0, "count-in bars must be 0 or more")
        self.bars = bars
        self.clickThroughout = clickThroughout
        self.channel = channel
    }

    /// A count-in click at form slice `f` (negative: before the form, counting from -slices).
    func countIn(slice s: Int, formSlice f: Int, chart: BandChart, tick: (Int) -> Int,
                 notes: inout BandNotes, to output: MIDIOutput) {
        let b = ((f % chart.slicesPerBar) + chart.slicesPerBar) % chart.slicesPerBar
        guard b % chart.slicesPerBeat == 0 else { return }
        notes.start(channel: channel, key: DrumKey.sideStick, velocity: b == 0 ? 112 : 78,
                    slice: s, length: 1, tick: tick(s), to: output)
    }

    /// The metronome at form slice `f`, when it clicks throughout.
    func click(slice s: Int, formSlice f: Int, chart: BandChart, tick: (Int) -> Int,
               notes: inout BandNotes, to output: MIDIOutput) {
        guard clickThroughout else { return }
        let b = chart.sliceInBar(f)
        guard b % chart.slicesPerBeat == 0 else { return }
        notes.start(channel: channel, key: b == 0 ? DrumKey.highWoodBlock : DrumKey.lowWoodBlock,
                    velocity: b == 0 ? 100 : 76, slice: s, length: 1, tick: tick(s), to: output)
    }
}
