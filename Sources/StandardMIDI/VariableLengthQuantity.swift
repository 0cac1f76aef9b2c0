/// MIDI variable-length quantities: 7 bits per byte, most significant group
/// first, high bit set on every byte but the last. Standard MIDI Files limit
/// them to 4 bytes, so the largest value is 0x0FFF_FFFF.
public enum VariableLengthQuantity {
    /// Largest value that fits in the 4 bytes the SMF spec allows.
    public static let maxValue: UInt32 = 0x0FFF_FFFF
    /// Longest encoding the SMF spec allows.
    public static let maxByteCount = 4

    public enum DecodeFailure: Error, Equatable, Sendable {
        /// The bytes ended while the last byte read still had its continuation bit set.
        case truncated
        /// The 4th byte has its continuation bit set (a 5th byte would be needed).
        case tooLong
    }

    /// Number of bytes `append` writes for `value` (values are clamped to `maxValue`).
    public static func encodedLength(_ value: UInt32) -> Int {
        let v = min(value, maxValue)
        if v < 1 << 7 { return 1 }
        if v < 1 << 14 { return 2 }
        if v < 1 << 21 { return 3 }
        return 4
    }

    /// Appends the encoding of `value`. Values above `maxValue` are clamped to
    /// `maxValue` rather than trapping; `MIDIFile.validate` reports them.
    public static func append(_ value: UInt32, to bytes: inout [UInt8]) {
        let v = min(value, maxValue)
        var shift = UInt32(7 * (encodedLength(v) - 1))
        while shift > 0 {
            bytes.append(UInt8(truncatingIfNeeded: v >> shift) | 0x80)
            shift -= 7
        }
        bytes.append(UInt8(truncatingIfNeeded: v) & 0x7F)
    }

    /// The encoding of `value` (clamped to `maxValue`).
    public static func encode(_ value: UInt32) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(maxByteCount)
        append(value, to: &bytes)
        return bytes
    }

    /// Decodes the quantity starting at `index`, reading no byte at or past
    /// `end` (nor past `bytes.count`). On success `index` is moved past it;
    /// on failure `index` is left unchanged.
    public static func decode(
        _ bytes: [UInt8], at index: inout Int, end: Int
    ) throws(DecodeFailure) -> UInt32 {
        let limit = min(end, bytes.count)
        var position = index
        var value: UInt32 = 0
        for _ in 0..<maxByteCount {
            guard position >= 0, position < limit else { throw .truncated }
            let byte = bytes[position]
            position += 1
            value = (value << 7) | UInt32(byte & 0x7F)
            if byte & 0x80 == 0 {
                index = position
                return value
            }
        }
        throw .tooLong
    }

    /// Decodes the quantity at the start of `bytes`; returns it and its length in bytes.
    public static func decode(_ bytes: [UInt8]) throws(DecodeFailure) -> (value: UInt32, length: Int) {
        var index = 0
        let value = try decode(bytes, at: &index, end: bytes.count)
        return (value, index)
    }
}
