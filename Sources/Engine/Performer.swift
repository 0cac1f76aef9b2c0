import MIDI
import MusicCore

/// Turns the slices improv plays into MIDI events at their ticks: swing on the off-beat
/// eighths, velocities that follow the player, a comping rhythm for the chords in backing
/// mode, and a note-off for every note-on. Slices come in order, one at a time; nothing here
/// allocates.
public struct Performer {
    public var grid: TimeGrid
    /// Share of each beat given to its first eighth: 0.5 straight, 2/3 triplet swing.
    public var swing: Double
    /// Semitones from the model's key (C) to the session's key.
    public var transpose: Int
    public var chordChannel: UInt8
    public var melodyChannel: UInt8
    /// Strike the chord on a comping rhythm (backing) instead of only when it changes.
    public var comping = false
    public private(set) var ledger = NoteLedger()

    /// What improv sounds now: the melody note and the chord (pitches as sent).
    private var melodyKey: UInt8?
    private var chordKeys = PitchSet()
    /// The chord the model plays now (it may be silent between comping strikes).
    private var modelChord = PitchSet()

    /// The comping rhythm, per bar: chord struck on slice 0 and on the "and" of beat 2
    /// (slice 3), the Charleston figure of swing comping.
    static let compingStrikes: UInt8 = 0b0000_1001

    public init(grid: TimeGrid, swing: Double, transpose: Int, chordChannel: UInt8, melodyChannel: UInt8) {
        self.grid = grid
        self.swing = swing
        self.transpose = transpose
        self.chordChannel = chordChannel
        self.melodyChannel = melodyChannel
    }

    /// The tick at which slice `s` starts, with swing: an off-beat eighth starts `swing` of the
    /// way through its beat.
    public func tick(ofSlice s: Int) -> Int {
        // Compound meters (6/8, 12/8) already swing in threes: their eighths stay even.
        if grid.meter.isCompound { return s * grid.ticksPerSlice }
        let beat = s / 2
        let offbeat = s % 2 == 1 ? Int((swing * Double(grid.ticksPerQuarter)).rounded()) : 0
        return beat * grid.ticksPerQuarter + offbeat
    }

    /// The chord pitch as sent: moved from the model's key into the session's.
    func key(_ p: UInt8) -> UInt8? {
        let k = Int(p) + transpose
        return (0...127).contains(k) ? UInt8(k) : nil
    }

    /// Plays slice `s` for the parts improv sounds there: its chord in the model's key (moved by
    /// `transpose`; pitch classes in `lowered` a semitone down, which turns the blues' major
    /// chords minor for a minor player), its melody as sent (`melody`, already placed in the
    /// player's key and register) at `melodyVelocity`.
    public mutating func play(_ slice: Slice, at s: Int, parts: Session.Parts, melody: MelodyEvent,
                              melodyVelocity: UInt8, chordVelocity: UInt8, lowered: UInt16 = 0, to output: MIDIOutput) {
        let t = tick(ofSlice: s)

        // Chords: struck when the model strikes or changes them; in backing, on the comping
        // rhythm instead (struck on slice 0 and the "and" of beat 2, silent from slice 5).
        var chord = PitchSet()
        if parts.chords {
            for p in slice.chord {
                let down = lowered & (1 << UInt16(Int(p) % 12)) != 0 ? 1 : 0
                if let k = key(UInt8(max(0, Int(p) - down))) { chord.insert(k) }
            }
        }
        let changed = chord != modelChord
        modelChord = chord
        let per = grid.meter.slicesPerBar
        let inBar = s % per
        let strike: Bool
        var silence = chord.isEmpty
        if comping {
            // In 4/4 the Charleston; in other meters the downbeat and the second beat, silent after it.
            let onRhythm = per == 8 ? Self.compingStrikes & (1 << UInt8(inBar)) != 0
                : inBar == 0 || inBar == grid.meter.slicesPerBeat
            strike = !chord.isEmpty && (onRhythm || (changed && !chordKeys.isEmpty))
            silence = silence || inBar == (per == 8 ? 5 : grid.meter.slicesPerBeat + 1)
        } else {
            strike = !chord.isEmpty && (changed || slice.chordOnset)
        }
        if strike || silence {
            for k in chordKeys { noteOff(chordChannel, k, at: t, output) }
            chordKeys = PitchSet()
        }
        if strike {
            for k in chord { noteOn(chordChannel, k, chordVelocity, at: t, output) }
            chordKeys = chord
        }

        // Melody: one note at a time.
        var next: UInt8?
        var struck = false
        if parts.melody {
            switch melody {
            case .rest: next = nil
            case .attack(let p): next = p; struck = true
            case .hold(let p): next = p; struck = p != melodyKey
            }
        }
        if let current = melodyKey, struck || next != current {
            noteOff(melodyChannel, current, at: t, output)
            melodyKey = nil
        }
        if let n = next, struck || melodyKey == nil {
            noteOn(melodyChannel, n, max(1, melodyVelocity), at: t, output)
            melodyKey = n
        }
    }

    /// The melody note improv sounds now (as sent).
    public var soundingMelody: UInt8? { melodyKey }

    /// Ends everything improv sounds, at slice `s`.
    public mutating func release(at s: Int, to output: MIDIOutput) {
        let t = tick(ofSlice: s)
        if let m = melodyKey { noteOff(melodyChannel, m, at: t, output) }
        for k in chordKeys { noteOff(chordChannel, k, at: t, output) }
        melodyKey = nil
        chordKeys = PitchSet()
        modelChord = PitchSet()
    }

    /// Panic: every note improv may have sounding gets its note-off now, then all-notes-off on
    /// every channel it used. Scheduled events must already have been dropped.
    public mutating func silenceNow(_ output: MIDIOutput) {
        ledger.drain { channel, key in output.sendNow(.noteOff(channel: channel, key: key)) }
        for c in 0..<16 where ledger.usedChannels & (1 << UInt16(c)) != 0 {
            output.sendNow(.allNotesOff(channel: UInt8(c)))
        }
        melodyKey = nil
        chordKeys = PitchSet()
        modelChord = PitchSet()
    }

    /// Notes whose note-off has played by `tick` are over.
    public mutating func forget(through tick: Int) { ledger.expire(through: tick) }

    /// A player's note passed through (its note-off comes from the player, or from panic).
    public mutating func passThrough(_ message: ChannelMessage, to output: MIDIOutput) {
        switch message {
        case .noteOn(let c, let k, _): ledger.started(channel: c, key: k, endingAt: Int.max)
        case .noteOff(let c, let k, _): ledger.ended(channel: c, key: k)
        default: break
        }
        output.sendNow(message)
    }

    private mutating func noteOn(_ channel: UInt8, _ key: UInt8, _ velocity: UInt8, at tick: Int, _ output: MIDIOutput) {
        output.schedule(.noteOn(channel: channel, key: key, velocity: velocity), atTick: tick)
        ledger.started(channel: channel, key: key, endingAt: Int.max)
    }

    private mutating func noteOff(_ channel: UInt8, _ key: UInt8, at tick: Int, _ output: MIDIOutput) {
        output.schedule(.noteOff(channel: channel, key: key), atTick: tick)
        ledger.started(channel: channel, key: key, endingAt: tick)
    }
}
