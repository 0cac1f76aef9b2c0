import SeededRandom
import StandardMIDI
import Testing

@Suite struct VariableLengthQuantityTests {
    typealias VLQ = VariableLengthQuantity

    static let knownEncodings: [(UInt32, [UInt8])] = [
        (0, [0x00]),
        (0x40, [0x40]),
        (127, [0x7F]),
        (128, [0x81, 0x00]),
        (0x2000, [0xC0, 0x00]),
        (0x3FFF, [0xFF, 0x7F]),
        (0x4000, [0x81, 0x80, 0x00]),
        (0x1F_FFFF, [0xFF, 0xFF, 0x7F]),
        (0x20_0000, [0x81, 0x80, 0x80, 0x00]),
        (0x0800_0000, [0xC0, 0x80, 0x80, 0x00]),
        (0x0FFF_FFFF, [0xFF, 0xFF, 0xFF, 0x7F]),
    ]

    @Test func encodesTheSpecExamples() {
        for (value, bytes) in Self.knownEncodings {
            #expect(VLQ.encode(value) == bytes, "encode(\(value))")
            #expect(VLQ.encodedLength(value) == bytes.count, "encodedLength(\(value))")
        }
    }

    @Test func decodesTheSpecExamples() throws {
        for (value, bytes) in Self.knownEncodings {
            let decoded = try VLQ.decode(bytes)
            #expect(decoded.value == value)
            #expect(decoded.length == bytes.count)
        }
    }

    @Test func roundTripsBoundaryAndRandomValues() throws {
        var values: [UInt32] = [0, 1, 127, 128, 0x3FFF, 0x4000, 0x1F_FFFF, 0x20_0000, 0x0FFF_FFFE, 0x0FFF_FFFF]
        var rng = SeededGenerator(seed: 7)
        for _ in 0..<5000 { values.append(UInt32(truncatingIfNeeded: rng.next()) & 0x0FFF_FFFF) }
        for value in values {
            let bytes = VLQ.encode(value)
            #expect(bytes.count <= 4)
            #expect(bytes.dropLast().allSatisfy { $0 & 0x80 != 0 } && bytes.last! & 0x80 == 0)
            let decoded = try VLQ.decode(bytes + [0x55])  // trailing byte not consumed
            #expect(decoded.value == value && decoded.length == bytes.count, "value \(value)")
        }
    }

    @Test func decodeAdvancesTheIndexWithinTheBounds() throws {
        let bytes: [UInt8] = [0x90, 0x81, 0x00, 0x7F]
        var index = 1
        #expect(try VLQ.decode(bytes, at: &index, end: bytes.count) == 128)
        #expect(index == 3)
        #expect(try VLQ.decode(bytes, at: &index, end: bytes.count) == 127)
        #expect(index == 4)
    }

    @Test func aFifthByteIsRefused() {
        #expect(throws: VLQ.DecodeFailure.tooLong) { try VLQ.decode([0xFF, 0xFF, 0xFF, 0xFF, 0x7F]) }
        #expect(throws: VLQ.DecodeFailure.tooLong) { try VLQ.decode([0x80, 0x80, 0x80, 0x80, 0x00]) }
        // The 4th byte's continuation bit alone is enough: no 5th byte is read.
        #expect(throws: VLQ.DecodeFailure.tooLong) { try VLQ.decode([0x81, 0x81, 0x81, 0x81]) }
    }

    @Test func truncatedInputIsRefusedAndTheIndexKept() {
        #expect(throws: VLQ.DecodeFailure.truncated) { try VLQ.decode([]) }
        #expect(throws: VLQ.DecodeFailure.truncated) { try VLQ.decode([0x81]) }
        #expect(throws: VLQ.DecodeFailure.truncated) { try VLQ.decode([0xFF, 0xFF, 0xFF]) }
        // `end` bounds the read even when the array goes on.
        var index = 0
        #expect(throws: VLQ.DecodeFailure.truncated) { try VLQ.decode([0x81, 0x00], at: &index, end: 1) }
        #expect(index == 0)
        index = 5
        #expect(throws: VLQ.DecodeFailure.truncated) { try VLQ.decode([0x00], at: &index, end: 9) }
    }

    @Test func nonMinimalEncodingsDecode() throws {
        // Leading zero groups are legal, if wasteful.
        #expect(try VLQ.decode([0x80, 0x00]) == (value: 0, length: 2))
        #expect(try VLQ.decode([0x80, 0x80, 0x81, 0x00]) == (value: 128, length: 4))
    }

    @Test func valuesAboveTheMaximumAreClamped() {
        #expect(VLQ.encode(0x1000_0000) == [0xFF, 0xFF, 0xFF, 0x7F])
        #expect(VLQ.encode(.max) == [0xFF, 0xFF, 0xFF, 0x7F])
        #expect(VLQ.encodedLength(.max) == 4)
    }
}
