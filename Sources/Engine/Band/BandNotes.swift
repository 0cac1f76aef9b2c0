import MIDI
import MusicCore

/// The band's notes: each starts with a length in slices and gets its note-off when the slice
/// it ends in is played, at that slice's tick (so a clock that follows the player times the
/// note-off too). A NoteLedger keeps what the synth may still sound for panic.
/// Fixed size: starting and ending notes never allocates.
struct BandNotes: Sendable {
    /// offSlice[channel * 128 + key]: the session slice the sounding note ends at, or -1.
    private var offSlice = [Int](repeating: -1, count: 16 * 128)
    /// startTick[channel * 128 + key]: the tick the sounding note started at.
    private var startTick = [Int](repeating: -1, count: 16 * 128)
    /// The keys sounding, per channel.
    private var sounding = [PitchSet](repeating: PitchSet(), count: 16)
    /// Channels with a note sounding now (bit per channel).
    private var active: UInt16 = 0
    private(set) var ledger = NoteLedger()

    func isSounding(channel: UInt8, key: UInt8) -> Bool { sounding[Int(channel)].contains(key) }
    func keys(on channel: UInt8) -> PitchSet { sounding[Int(channel)] }
    var soundingCount: Int { sounding.reduce(0) { $0 + $1.count } }

    /// Starts a note at `tick` (of slice `s` or a little after it) that ends at slice `s + length`.
    /// A key struck again while it sounds is ended first, at the same tick; struck twice at
    /// the same tick (a crash's kick and the time's), it sounds once, as long as the longer.
    mutating func start(channel: UInt8, key: UInt8, velocity: UInt8, slice s: Int, length: Int,
                        tick: Int, to output: MIDIOutput) {
        let i = Int(channel) * 128 + Int(key)
        if offSlice[i] >= 0 && startTick[i] == tick {
            offSlice[i] = max(offSlice[i], s + max(1, length))
            return
        }
        if offSlice[i] >= 0 { output.schedule(.noteOff(channel: channel, key: key), atTick: tick) }
        startTick[i] = tick
        output.schedule(.noteOn(channel: channel, key: key, velocity: min(127, max(1, velocity))), atTick: tick)
        ledger.started(channel: channel, key: key, endingAt: Int.max)
        offSlice[i] = s + max(1, length)
        sounding[Int(channel)].insert(key)
        active |= 1 << UInt16(channel)
    }

    private mutating func end(_ channel: UInt8, _ key: UInt8, tick: Int, _ output: MIDIOutput) {
        output.schedule(.noteOff(channel: channel, key: key), atTick: tick)
        ledger.started(channel: channel, key: key, endingAt: tick)
        offSlice[Int(channel) * 128 + Int(key)] = -1
        sounding[Int(channel)].remove(key)
        if sounding[Int(channel)].isEmpty { active &= ~(1 << UInt16(channel)) }
    }

    /// Ends every note due by slice `s`, at `tick`.
    mutating func endDue(bySlice s: Int, tick: Int, to output: MIDIOutput) {
        guard active != 0 else { return }
        for c in 0..<16 where active & (1 << UInt16(c)) != 0 {
            let keys = sounding[c]
            for k in keys where offSlice[c * 128 + Int(k)] <= s { end(UInt8(c), k, tick: tick, output) }
        }
    }

    /// Ends every note on `channel` now, at `tick`.
    mutating func endAll(channel: UInt8, tick: Int, to output: MIDIOutput) {
        let keys = sounding[Int(channel)]
        for k in keys { end(channel, k, tick: tick, output) }
    }

    /// Ends every note the band sounds, at `tick`.
    mutating func endAll(tick: Int, to output: MIDIOutput) {
        for c in 0..<16 where active & (1 << UInt16(c)) != 0 { endAll(channel: UInt8(c), tick: tick, to: output) }
    }

    /// Panic: a note-off now for everything the synth may still sound (scheduled note-offs
    /// included, since the caller has dropped them), then all-notes-off on every channel used.
    mutating func silenceNow(_ output: MIDIOutput) {
        ledger.drain { channel, key in output.sendNow(.noteOff(channel: channel, key: key)) }
        for c in 0..<16 where ledger.usedChannels & (1 << UInt16(c)) != 0 {
            output.sendNow(.allNotesOff(channel: UInt8(c)))
        }
        for c in 0..<16 {
            for k in sounding[c] { offSlice[c * 128 + Int(k)] = -1 }
            sounding[c] = PitchSet()
        }
        active = 0
    }

    mutating func forget(through tick: Int) { ledger.expire(through: tick) }
}
