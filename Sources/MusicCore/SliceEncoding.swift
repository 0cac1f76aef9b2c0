/// The localist multi-hot encoding of slices for the network, with its pitch ranges.
///
/// The ranges travel with the data (they are stored in every model file), so a model
/// trained on other ranges decodes its own outputs correctly.
///
/// Input layout, chord part (size `chordInputSize`):
///     [0 ..< chordCount]   one unit per chord pitch chordLow ..< chordLow+chordCount
///     [chordCount]         chord struck in this slice
/// Input layout, melody part (size `melodyInputSize`):
///     [0 ..< melodyCount]  one unit per melody pitch melodyLow ..< melodyLow+melodyCount
///     [melodyCount]        rest
///     [melodyCount + 1]    melody note struck in this slice
/// Melody classes (the melody's one choice per slice, `melodyClassCount` of them):
///     k < melodyCount                 attack of melodyLow + k
///     melodyCount <= k < 2*melodyCount hold of melodyLow + k - melodyCount
///     2 * melodyCount                  rest
/// Chord targets use the chord input layout.
public struct SliceEncoding: Hashable, Sendable, Codable {
    public var chordLow: UInt8
    public var chordCount: Int
    public var melodyLow: UInt8
    public var melodyCount: Int

    /// The paper's ranges: 12 chord notes and 13 melody notes (Figure 1), here C3-B3 and C4-C5.
    public static let eck = SliceEncoding(chordLow: 48, chordCount: 12, melodyLow: 60, melodyCount: 13)

    public init(chordLow: UInt8, chordCount: Int, melodyLow: UInt8, melodyCount: Int) {
        precondition(chordCount >= 1 && Int(chordLow) + chordCount <= 128, "chord range outside MIDI")
        precondition(melodyCount >= 12 && Int(melodyLow) + melodyCount <= 128,
                     "melody range must span an octave to fold notes into it")
        self.chordLow = chordLow
        self.chordCount = chordCount
        self.melodyLow = melodyLow
        self.melodyCount = melodyCount
    }

    public var chordInputSize: Int { chordCount + 1 }
    public var melodyInputSize: Int { melodyCount + 2 }
    public var melodyClassCount: Int { 2 * melodyCount + 1 }
    public var chordRange: ClosedRange<UInt8> { chordLow...UInt8(Int(chordLow) + chordCount - 1) }
    public var melodyRange: ClosedRange<UInt8> { melodyLow...UInt8(Int(melodyLow) + melodyCount - 1) }

    // MARK: Folding into range

    /// Moves a melody pitch by octaves into the melody range.
    public func foldMelody(_ pitch: UInt8) -> UInt8 { Self.fold(pitch, into: melodyRange) ?? pitch }

    /// Moves a chord pitch by octaves into the chord range; nil when its pitch class has no
    /// place there (only possible with a chord range narrower than an octave).
    public func foldChord(_ pitch: UInt8) -> UInt8? { Self.fold(pitch, into: chordRange) }

    static func fold(_ pitch: UInt8, into range: ClosedRange<UInt8>) -> UInt8? {
        var p = Int(pitch)
        while p < Int(range.lowerBound) { p += 12 }
        while p > Int(range.upperBound) { p -= 12 }
        return p >= Int(range.lowerBound) ? UInt8(p) : nil
    }

    /// The slice with every pitch folded into this encoding's ranges.
    public func folded(_ slice: Slice) -> Slice {
        var out = slice
        var chord = PitchSet()
        for p in slice.chord { if let f = foldChord(p) { chord.insert(f) } }
        out.chord = chord
        if chord.isEmpty { out.chordOnset = false }
        switch slice.melody {
        case .rest: break
        case .attack(let p): out.melody = .attack(foldMelody(p))
        case .hold(let p): out.melody = .hold(foldMelody(p))
        }
        return out
    }

    // MARK: Slice <-> vectors (no allocation: callers pass their buffers)

    /// Writes the chord units of a slice (pitches must lie in range; others are left out).
    public func encodeChord(_ slice: Slice, into out: UnsafeMutableBufferPointer<Float>) {
        precondition(out.count >= chordInputSize)
        for i in 0..<chordInputSize { out[i] = 0 }
        for p in slice.chord where chordRange.contains(p) { out[Int(p - chordLow)] = 1 }
        if slice.chordOnset && !slice.chord.isEmpty { out[chordCount] = 1 }
    }

    public func encodeMelody(_ slice: Slice, into out: UnsafeMutableBufferPointer<Float>) {
        precondition(out.count >= melodyInputSize)
        for i in 0..<melodyInputSize { out[i] = 0 }
        switch slice.melody {
        case .rest:
            out[melodyCount] = 1
        case .attack(let p):
            if melodyRange.contains(p) { out[Int(p - melodyLow)] = 1; out[melodyCount + 1] = 1 } else { out[melodyCount] = 1 }
        case .hold(let p):
            if melodyRange.contains(p) { out[Int(p - melodyLow)] = 1 } else { out[melodyCount] = 1 }
        }
    }

    /// The melody class of a slice (see the layout above); out-of-range pitches count as rest.
    public func melodyClass(_ event: MelodyEvent) -> Int {
        switch event {
        case .rest: return 2 * melodyCount
        case .attack(let p): return melodyRange.contains(p) ? Int(p - melodyLow) : 2 * melodyCount
        case .hold(let p): return melodyRange.contains(p) ? melodyCount + Int(p - melodyLow) : 2 * melodyCount
        }
    }

    public func melodyEvent(forClass k: Int) -> MelodyEvent {
        precondition(k >= 0 && k < melodyClassCount, "melody class out of range")
        if k < melodyCount { return .attack(melodyLow + UInt8(k)) }
        if k < 2 * melodyCount { return .hold(melodyLow + UInt8(k - melodyCount)) }
        return .rest
    }

    /// Reads a chord from units: a unit is on when its value is >= 0.5 (binary in, binary out).
    public func decodeChord(_ units: UnsafeBufferPointer<Float>) -> (chord: PitchSet, onset: Bool) {
        var chord = PitchSet()
        for i in 0..<chordCount where units[i] >= 0.5 { chord.insert(chordLow + UInt8(i)) }
        return (chord, !chord.isEmpty && units[chordCount] >= 0.5)
    }

    /// Reads a melody event back from melody input units.
    public func decodeMelody(_ units: UnsafeBufferPointer<Float>) -> MelodyEvent {
        var best = -1
        for i in 0..<melodyCount where units[i] >= 0.5 && (best < 0 || units[i] > units[best]) { best = i }
        if best < 0 { return .rest }
        let p = melodyLow + UInt8(best)
        return units[melodyCount + 1] >= 0.5 ? .attack(p) : .hold(p)
    }

    /// Convenience for tests and offline tools (allocates).
    public func encode(_ slice: Slice) -> (chord: [Float], melody: [Float]) {
        var c = [Float](repeating: 0, count: chordInputSize)
        var m = [Float](repeating: 0, count: melodyInputSize)
        c.withUnsafeMutableBufferPointer { encodeChord(slice, into: $0) }
        m.withUnsafeMutableBufferPointer { encodeMelody(slice, into: $0) }
        return (c, m)
    }

    public func decode(chord: [Float], melody: [Float]) -> Slice {
        let c = chord.withUnsafeBufferPointer { decodeChord($0) }
        let m = melody.withUnsafeBufferPointer { decodeMelody($0) }
        return Slice(chord: c.chord, chordOnset: c.onset, melody: m)
    }
}

extension SliceEncoding {
    /// Ranges that hold every pitch of a piece unfolded (each at least the minimum width), for
    /// showing someone's file as it is. An empty part keeps the paper's range.
    public static func covering(chords: [Note], melody: [Note]) -> SliceEncoding {
        func range(_ notes: [Note], fallbackLow: UInt8, minimum: Int) -> (UInt8, Int) {
            guard let lo = notes.map(\.pitch).min(), let hi = notes.map(\.pitch).max() else { return (fallbackLow, minimum) }
            let count = max(minimum, Int(hi) - Int(lo) + 1)
            let low = min(Int(lo), 128 - count)
            return (UInt8(low), count)
        }
        let c = range(chords, fallbackLow: eck.chordLow, minimum: 12)
        let m = range(melody, fallbackLow: eck.melodyLow, minimum: 13)
        return SliceEncoding(chordLow: c.0, chordCount: c.1, melodyLow: m.0, melodyCount: m.1)
    }
}
