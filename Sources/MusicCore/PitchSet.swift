/// A set of MIDI pitches 0...127 as a 128-bit mask: a chord in one slice.
///
/// A value type of two words, so slices can be copied and compared on the
/// real-time path without allocating.
public struct PitchSet: Hashable, Sendable, Sequence, CustomStringConvertible {
    public private(set) var low: UInt64 = 0   // pitches 0...63
    public private(set) var high: UInt64 = 0  // pitches 64...127

    public init() {}

    public init<S: Sequence>(_ pitches: S) where S.Element == UInt8 {
        for p in pitches { insert(p) }
    }

    public var isEmpty: Bool { low == 0 && high == 0 }
    public var count: Int { low.nonzeroBitCount + high.nonzeroBitCount }

    public func contains(_ pitch: UInt8) -> Bool {
        pitch < 64 ? (low >> UInt64(pitch)) & 1 == 1 : pitch < 128 && (high >> UInt64(pitch - 64)) & 1 == 1
    }

    public mutating func insert(_ pitch: UInt8) {
        precondition(pitch < 128, "MIDI pitch out of range: \(pitch)")
        if pitch < 64 { low |= 1 << UInt64(pitch) } else { high |= 1 << UInt64(pitch - 64) }
    }

    public mutating func remove(_ pitch: UInt8) {
        if pitch < 64 { low &= ~(1 << UInt64(pitch)) } else if pitch < 128 { high &= ~(1 << UInt64(pitch - 64)) }
    }

    /// Lowest pitch in the set, if any.
    public var lowest: UInt8? {
        if low != 0 { return UInt8(low.trailingZeroBitCount) }
        if high != 0 { return UInt8(64 + high.trailingZeroBitCount) }
        return nil
    }

    /// The set of pitch classes (0 = C ... 11 = B) as a 12-bit mask.
    public var pitchClassMask: UInt16 {
        var mask: UInt16 = 0
        for p in self { mask |= 1 << UInt16(p % 12) }
        return mask
    }

    public func makeIterator() -> Iterator { Iterator(low: low, high: high) }

    public struct Iterator: IteratorProtocol {
        var low: UInt64
        var high: UInt64
        public mutating func next() -> UInt8? {
            if low != 0 {
                let p = low.trailingZeroBitCount
                low &= low &- 1
                return UInt8(p)
            }
            if high != 0 {
                let p = high.trailingZeroBitCount
                high &= high &- 1
                return UInt8(64 + p)
            }
            return nil
        }
    }

    public var description: String { "[" + map { PitchName.name(of: $0) }.joined(separator: " ") + "]" }
}
