import MusicCore

/// What improv hears in the player's playing, kept up to date note by note: key and mode with
/// their colour, register, dynamics, rhythmic density and swing, and the notes of the current
/// call (which the answer develops).
///
/// Pitches are the ones the player played (not moved into the model's key). Fixed-size tables,
/// allocated once: hearing a note never allocates.
public struct Listener: Sendable {
    /// The flavour of a key beyond major and minor, from the notes the player leans on.
    public enum Colour: String, Sendable, CaseIterable {
        /// Major (ionian).
        case major
        /// Major with the blue notes (b3, b7) leaned on: the blues and mixolydian sound.
        case blues
        /// Natural, harmonic or melodic minor.
        case minor
        /// Minor with a natural 6th.
        case dorian
    }

    /// A note the player played, in slices (end is Int.max while it sounds).
    public struct HeardNote: Hashable, Sendable {
        public var pitch: UInt8
        public var velocity: UInt8
        public var startTick: Int
        public var startSlice: Int
        public var endSlice: Int
    }

    public let grid: TimeGrid
    /// Notes below this struck together are the player's chords (left hand): they count for the
    /// key, not for register, dynamics or motifs.
    public var splitPitch: UInt8?
    /// A key the preset fixes (nil: follow the player).
    public var fixedKey: Key?

    public private(set) var key: Key
    public private(set) var colour: Colour
    /// How many times the heard key changed (for tests and status).
    public private(set) var keyChanges = 0

    /// Pitch-class weights, decaying so that the last phrases count most.
    private var profile = [Double](repeating: 0, count: 12)
    private var scratch = [Double](repeating: 0, count: 12)
    /// A different key must lead the current one on this many notes in a row to take over.
    public var keyPatience = 4
    /// ... and by this much correlation.
    public var keyMargin = 0.05
    private var challenger: Key?
    private var challengerRun = 0
    private var notesHeard = 0
    private var lastOnsetSlice = -1

    /// The notes heard, a ring of the last `notes.count` (chord tones are told apart when read).
    private var notes: [HeardNote]
    private var noteCount = 0
    /// Index in `notes` of each key's sounding note (-1 none), to close it at its note-off.
    private var soundingIndex = [Int](repeating: -1, count: 128)

    public init(grid: TimeGrid, splitPitch: UInt8?, fixedKey: Key?, startKey: Key = .c, capacity: Int = 128) {
        self.grid = grid
        self.splitPitch = splitPitch
        self.fixedKey = fixedKey
        key = fixedKey ?? startKey
        colour = (fixedKey ?? startKey).minor ? .minor : .major
        notes = [HeardNote](repeating: HeardNote(pitch: 0, velocity: 0, startTick: 0, startSlice: 0, endSlice: 0),
                            count: max(16, capacity))
    }

    // MARK: Hearing

    public mutating func noteOn(pitch: UInt8, velocity: UInt8, tick: Int) {
        guard pitch < 128, velocity > 0 else { return }
        let s = grid.nearestSlice(max(0, tick))
        // Notes below the split count for the key too, lighter (most are the left hand's chords,
        // which repeat the harmony); a phrase's first note and notes on the bar line weigh more
        // (they are where tonics sit).
        let low = splitPitch.map { pitch < $0 } ?? false
        decayProfile(by: 0.96)
        let phraseStart = lastOnsetSlice < 0 || s - lastOnsetSlice > grid.meter.slicesPerBar
        let accent = (s % grid.meter.slicesPerBar == 0 ? 0.5 : 0) + (phraseStart && !low ? 1 : 0)
        profile[Int(pitch) % 12] += (low ? 0.5 : 1) + accent
        lastOnsetSlice = max(lastOnsetSlice, s)
        notesHeard += 1
        // Into the ring (chord tones among them are told apart when the notes are read).
        let i = noteCount % notes.count
        let old = notes[i]
        if noteCount >= notes.count, soundingIndex[Int(old.pitch)] == i { soundingIndex[Int(old.pitch)] = -1 }
        notes[i] = HeardNote(pitch: pitch, velocity: velocity, startTick: tick, startSlice: s, endSlice: Int.max)
        soundingIndex[Int(pitch)] = i
        noteCount += 1
        updateKey()
    }

    public mutating func noteOff(pitch: UInt8, tick: Int) {
        guard pitch < 128 else { return }
        let i = soundingIndex[Int(pitch)]
        guard i >= 0 else { return }
        soundingIndex[Int(pitch)] = -1
        let start = notes[i].startTick
        let span = grid.quantize(start: start, end: tick)
        notes[i].endSlice = span.upperBound
        // A long note weighs more for the key (a phrase's last note is often its tonic).
        profile[Int(pitch) % 12] += 0.25 * Double(min(8, span.count - 1))
    }

    /// Every sounding note ends (panic, the player's port went away, a stuck key).
    public mutating func releaseAll(atTick tick: Int) {
        for p in 0..<128 where soundingIndex[p] >= 0 { noteOff(pitch: UInt8(p), tick: tick) }
    }

    private mutating func decayProfile(by f: Double) {
        for i in 0..<12 { profile[i] *= f }
    }

    // MARK: Key and mode

    /// The best key for a histogram, and the current key's score on it.
    private func bestKey(_ histogram: [Double]) -> (key: Key, r: Double, current: Double) {
        var best = key, bestR = -2.0
        for tonic in 0..<12 {
            for m in 0..<2 {
                let r = KeyEstimate.correlation(histogram, tonic: tonic, minor: m == 1)
                if r > bestR { bestR = r; best = Key(tonic: tonic, minor: m == 1) }
            }
        }
        return (best, bestR, KeyEstimate.correlation(histogram, tonic: key.tonic, minor: key.minor))
    }

    /// The key the player's notes fit best, even while a key is fixed (`key` is then the fixed
    /// one): what the control page shows as heard.
    public var keyHeard: Key { fixedKey == nil || notesHeard < 4 ? key : bestKey(profile).key }

    /// Until a key is established (a first phrase), the best key is taken at once; after, a
    /// new key must lead for `keyPatience` notes in a row, so a passing note does not flip it.
    private mutating func updateKey() {
        guard fixedKey == nil, notesHeard >= 4 else { return updateColour() }
        let (best, bestR, currentR) = bestKey(profile)
        let established = keyChanges > 0 && notesHeard >= 16
        if best != key && bestR > currentR + (established ? keyMargin : 0) {
            if best == challenger { challengerRun += 1 } else { challenger = best; challengerRun = 1 }
            if challengerRun >= (established ? keyPatience : 1) { take(best) }
        } else {
            challenger = nil
            challengerRun = 0
        }
        updateColour()
    }

    /// A call is over: a whole phrase is evidence enough. The key that fits the notes that
    /// started in `range` best (by duration, bar lines and the phrase's first note weighing
    /// more) is taken when it fits them clearly better than the current one.
    public mutating func settleKey(over range: Range<Int>? = nil) {
        guard notesHeard >= 4 else { return }
        for i in 0..<12 { scratch[i] = range == nil ? profile[i] : 0 }
        if let range {
            let kept = min(noteCount, notes.count)
            var first = true, count = 0
            for j in 0..<kept {
                let note = notes[(noteCount - kept + j) % notes.count]
                guard range.contains(note.startSlice) else { continue }
                let length = note.endSlice == Int.max ? 1 : max(1, note.endSlice - note.startSlice)
                scratch[Int(note.pitch) % 12] += 1 + 0.25 * Double(min(8, length - 1))
                    + (note.startSlice % grid.meter.slicesPerBar == 0 ? 0.5 : 0) + (first ? 1 : 0)
                first = false
                count += 1
            }
            guard count >= 4 else { return updateColour() }
        }
        let (best, bestR, currentR) = bestKey(scratch)
        if fixedKey == nil && best != key && bestR > currentR + keyMargin { take(best) }
        // The call's own weights stand for the key from now on (the colour is read from them).
        if range != nil { for i in 0..<12 { profile[i] = scratch[i] } }
        updateColour()
    }

    private mutating func take(_ k: Key) {
        key = k
        keyChanges += 1
        challenger = nil
        challengerRun = 0
    }

    /// The colour, from the notes leaned on relative to the tonic: a minor-sounding line with
    /// neither sixth is the blues (minor pentatonic over dominant chords), with a natural sixth
    /// dorian, with the flat sixth minor; a major line leaning on b3 and b7 is the blues too.
    /// The key fixed from now on (nil: followed again, starting from the one it has).
    public mutating func fix(key newKey: Key?) {
        fixedKey = newKey
        challenger = nil
        challengerRun = 0
        if let newKey, newKey != key {
            key = newKey
            keyChanges += 1
        }
        updateColour()
    }

    private mutating func updateColour() {
        let t = key.tonic
        func w(_ degree: Int) -> Double { profile[(t + degree) % 12] }
        var total = 0.0
        for i in 0..<12 { total += profile[i] }
        guard total > 0 else { return colour = key.minor ? .minor : .major }
        let heard = 0.04 * total
        if key.minor {
            colour = w(8) >= heard && w(8) >= w(9) ? .minor : w(9) >= heard ? .dorian : .blues
        } else {
            colour = w(3) + w(10) > 0.5 * (w(4) + w(11)) && w(3) + w(10) > 2 * heard ? .blues : .major
        }
    }

    /// The pitch classes (relative to the tonic) that belong to the key in its colour, blue
    /// notes included; an answer keeps to these.
    public var scaleMask: UInt16 {
        switch colour {
        case .major: return Self.majorScale
        case .blues:
            // The blues scale, and the major third, second or sixth only when the player used them.
            var mask = Self.bluesScale
            if weight(ofDegree: 2) >= 0.15 { mask |= 1 << 2 }
            if weight(ofDegree: 4) >= 0.15 { mask |= 1 << 4 }
            if weight(ofDegree: 9) >= 0.15 { mask |= 1 << 9 }
            return mask
        case .minor: return Self.minorScale
        case .dorian: return Self.dorianScale
        }
    }

    static let majorScale = Scale.mask([0, 2, 4, 5, 7, 9, 11])
    /// The blues scale: minor pentatonic and the flat fifth.
    static let bluesScale = Scale.mask([0, 3, 5, 6, 7, 10])
    /// Natural minor with the harmonic minor's leading tone.
    static let minorScale = Scale.mask([0, 2, 3, 5, 7, 8, 10, 11])
    static let dorianScale = Scale.mask([0, 2, 3, 5, 7, 9, 10])
    /// Pitch classes lowered in improv's chords for a minor player (see Engine.loweredChordTones).
    static let minorLowered = Scale.mask([4, 9])
    static let dorianLowered = Scale.mask([4])

    /// The profile's weight of a pitch class (relative to the tonic), 0...1 of the heaviest.
    public func weight(ofDegree degree: Int) -> Double {
        var top = 0.0
        for i in 0..<12 { top = max(top, profile[i]) }
        return top > 0 ? profile[((key.tonic + degree) % 12 + 12) % 12] / top : 0
    }

    // MARK: The call

    /// The melody notes heard that started in slices `range` (oldest first), at most
    /// `into.count` of them, written into `into`; returns how many.
    public func notes(startingIn range: Range<Int>, into out: UnsafeMutableBufferPointer<HeardNote>) -> Int {
        let kept = min(noteCount, notes.count)
        var n = 0
        for j in 0..<kept where n < out.count {
            let index = (noteCount - kept + j) % notes.count
            guard range.contains(notes[index].startSlice), isMelody(index, kept: kept) else { continue }
            out[n] = notes[index]
            n += 1
        }
        return n
    }

    /// Whether ring entry `index` is a melody note: the highest of the notes struck in its slice,
    /// and, below the split, struck alone (notes struck together down there are the left hand's chord).
    private func isMelody(_ index: Int, kept: Int) -> Bool {
        let note = notes[index]
        for j in 0..<kept {
            let other = notes[(noteCount - kept + j) % notes.count]
            guard (noteCount - kept + j) % notes.count != index, other.startSlice == note.startSlice else { continue }
            if other.pitch > note.pitch { return false }
            if let split = splitPitch, note.pitch < split { return false }
        }
        return true
    }

    /// Register, dynamics, density and swing of the notes that started in `range`.
    public func figures(startingIn range: Range<Int>) -> Figures {
        var f = Figures()
        let kept = min(noteCount, notes.count)
        var sum = 0.0, vsum = 0.0
        var lo = 127, hi = 0
        var swingSum = 0.0, swingPairs = 0
        var previous: HeardNote?
        for j in 0..<kept {
            let index = (noteCount - kept + j) % notes.count
            let note = notes[index]
            guard range.contains(note.startSlice), isMelody(index, kept: kept) else { continue }
            f.count += 1
            sum += Double(note.pitch)
            vsum += Double(note.velocity)
            lo = min(lo, Int(note.pitch))
            hi = max(hi, Int(note.pitch))
            // An eighth pair: an on-beat note, then one in the same beat's second half.
            if let p = previous, p.startSlice % 2 == 0, note.startSlice == p.startSlice + 1 {
                let beatStart = grid.tick(ofSlice: p.startSlice)
                let ratio = Double(note.startTick - beatStart) / Double(grid.ticksPerQuarter)
                if (0.4...0.85).contains(ratio) { swingSum += ratio; swingPairs += 1 }
            }
            previous = note
        }
        guard f.count > 0 else { return f }
        f.meanPitch = sum / Double(f.count)
        f.lowPitch = UInt8(lo)
        f.highPitch = UInt8(hi)
        f.meanVelocity = vsum / Double(f.count)
        f.onsetsPerBar = Double(f.count) / max(1, Double(range.count) / Double(grid.meter.slicesPerBar))
        f.swing = swingPairs > 0 ? min(0.75, max(0.5, swingSum / Double(swingPairs))) : nil
        return f
    }

    public struct Figures: Sendable, Hashable {
        public var count = 0
        public var meanPitch = 66.0
        public var lowPitch: UInt8 = 60
        public var highPitch: UInt8 = 72
        public var meanVelocity = 90.0
        public var onsetsPerBar = 0.0
        /// Share of the beat before the off-beat eighth (0.5 straight, 0.67 triplet), when heard.
        public var swing: Double?
    }
}
