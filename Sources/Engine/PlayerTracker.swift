import MusicCore

/// The player's notes as they arrive, stamped in ticks, read back as slices.
///
/// A note belongs to the slice nearest its start (a hair early or late lands on the beat) and
/// sounds until the slice nearest its end, at least one slice. A slice can be read once the
/// clock has passed its middle: by then every note that rounds into it has arrived.
/// Fixed-size tables: handling a note never allocates.
public struct PlayerTracker: Sendable {
    public let grid: TimeGrid
    /// Notes below this pitch are the player's chords (nil: the player plays melody only).
    public var splitPitch: UInt8?
    /// Per key: the slice the current or last note started in, and the slice it ends in
    /// (Int.max while held); -1 when never played.
    private var startSlice = [Int](repeating: -1, count: 128)
    private var endSlice = [Int](repeating: -1, count: 128)
    private var startTick = [Int](repeating: 0, count: 128)
    /// The last slice in which the player struck or held anything.
    public private(set) var lastActiveSlice = -1
    /// A running average of the player's velocities (dynamics follow the player).
    public private(set) var averageVelocity = 90.0
    /// The last slice in which the player struck a note.
    public private(set) var lastOnsetSlice = -1
    /// A note held this many slices past the player's last onset, with nothing else played, no
    /// longer counts as playing (a stuck key or a lost note-off must not hold a call open for
    /// ever); nil: held notes always count.
    public var heldNoteTimeout: Int?

    public init(grid: TimeGrid, splitPitch: UInt8? = nil, heldNoteTimeout: Int? = nil) {
        self.grid = grid
        self.splitPitch = splitPitch
        self.heldNoteTimeout = heldNoteTimeout
    }

    /// Past this slice, notes still held count as released (see `heldNoteTimeout`).
    var holdingCountsThrough: Int {
        guard let t = heldNoteTimeout, lastOnsetSlice >= 0 else { return Int.max }
        return lastOnsetSlice + t
    }

    public mutating func noteOn(key: UInt8, velocity: UInt8, tick: Int) {
        guard key < 128 else { return }
        if velocity == 0 { return noteOff(key: key, tick: tick) }
        let k = Int(key)
        startSlice[k] = grid.nearestSlice(max(0, tick))
        startTick[k] = tick
        endSlice[k] = Int.max
        averageVelocity += (Double(velocity) - averageVelocity) * 0.2
        lastActiveSlice = max(lastActiveSlice, startSlice[k])
        lastOnsetSlice = max(lastOnsetSlice, startSlice[k])
    }

    /// A note-off without its note-on (or a second one) changes nothing.
    public mutating func noteOff(key: UInt8, tick: Int) {
        guard key < 128 else { return }
        let k = Int(key)
        guard startSlice[k] >= 0, endSlice[k] == Int.max else { return }
        endSlice[k] = grid.quantize(start: startTick[k], end: tick).upperBound
        // A note released after it went stale was not being played all that time.
        lastActiveSlice = max(lastActiveSlice, min(endSlice[k] - 1, holdingCountsThrough))
    }

    /// True while the player holds any key.
    public var isHolding: Bool { endSlice.contains(Int.max) }

    /// The player's part in slice `s`: melody (most recently struck sounding note above the
    /// split, ties to the highest) and chord (sounding notes below the split, when two or more).
    public func slice(_ s: Int) -> Slice {
        var out = Slice()
        var best = -1, lowOnly = -1
        let stale = s > holdingCountsThrough
        for k in 0..<128 where startSlice[k] >= 0 && startSlice[k] <= s && s < endSlice[k] {
            if stale && endSlice[k] == Int.max { continue }
            if let split = splitPitch, k < Int(split) {
                out.chord.insert(UInt8(k))
                if startSlice[k] == s { out.chordOnset = true }
                lowOnly = k
            } else if best < 0 || startSlice[k] >= startSlice[best] {
                best = k
            }
        }
        // One note alone below the split, with no melody above it, is a low melody note, not a
        // chord (a left hand's chord is two notes or more).
        if out.chord.count == 1 && best < 0 {
            best = lowOnly
            out.chord = PitchSet()
            out.chordOnset = false
        }
        if best >= 0 {
            out.melody = startSlice[best] == s ? .attack(UInt8(best)) : .hold(UInt8(best))
        }
        return out
    }

    /// Slices since the player last played (0 while playing).
    public func silentSlices(before s: Int) -> Int {
        if isHolding {
            let through = holdingCountsThrough
            return s - 1 <= through ? 0 : s - 1 - max(through, lastActiveSlice)
        }
        return lastActiveSlice < 0 ? Int.max : max(0, s - lastActiveSlice - 1)
    }

    /// Forget every held note (panic, or a player port that went away).
    public mutating func releaseAll(atTick tick: Int) {
        for k in 0..<128 where endSlice[k] == Int.max { noteOff(key: UInt8(k), tick: tick) }
    }
}
