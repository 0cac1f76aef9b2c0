import SeededRandom
import StandardMIDI
import Testing

/// Cut and damaged files never crash the reader: each parses or throws MIDIFileError.
@Suite struct TruncationSweepTests {
    static func sample(seed: UInt64) -> [UInt8] {
        RandomMIDI.file(seed: seed, profile: .anything, format: 1, maxEventsPerTrack: 40).serialized()
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func everyPrefixOfAValidFile(seed: UInt64) throws {
        var bytes = Self.sample(seed: seed)
        // Keep the sweep quick: the prefix count is what matters, not huge metas.
        if bytes.count > 6000 { bytes = Self.sample(seed: seed + 100) }
        #expect(bytes.count > 100)
        let full = try MIDIFile(bytes: bytes, name: "full.mid")
        #expect(!full.tracks.isEmpty)
        for length in 0..<bytes.count {
            // The last track chunk runs to the end of the file, so every proper
            // prefix is missing part of it and must be refused.
            guard let error = parseError(Array(bytes.prefix(length)), name: "prefix.mid") else {
                Issue.record("prefix of \(length) of \(bytes.count) bytes parsed")
                continue
            }
            #expect(error.file == "prefix.mid")
            #expect(error.offset >= 0 && error.offset <= length)
        }
    }

    @Test func everyPrefixOfAHandWrittenFile() {
        let bytes = SMF.file(format: 1, tracks: [
            [0x00, 0xFF, 0x51, 0x03, 0x07, 0xA1, 0x20, 0x00, 0xF0, 0x02, 0x01, 0xF7] + SMF.endOfTrack,
            [0x00, 0x90, 0x3C, 0x40, 0x81, 0x00, 0x3C, 0x00, 0x00, 0xFF, 0x03, 0x01, 0x41] + SMF.endOfTrack,
        ])
        for length in 0..<bytes.count {
            #expect(parseError(Array(bytes.prefix(length))) != nil, "prefix \(length)")
        }
        #expect(parseError(bytes) == nil)
    }

    @Test func damagedFiles() throws {
        var rng = SeededGenerator(seed: 99)
        let originals = [Self.sample(seed: 7), Self.sample(seed: 8), SMF.file(tracks: [[0x00, 0x90, 0x3C, 0x40] + SMF.endOfTrack])]
        var parsed = 0, refused = 0
        for round in 0..<3000 {
            var bytes = originals[round % originals.count]
            for _ in 0..<rng.int(1...4) {
                let index = rng.int(0...(bytes.count - 1))
                switch rng.int(0...4) {
                case 0: bytes[index] = rng.uint8()
                case 1: bytes[index] ^= 0x80
                case 2: bytes.insert(rng.pick([0x00, 0x7F, 0x80, 0xF0, 0xFF, 0x2F]), at: index)
                case 3: if bytes.count > 1 { bytes.remove(at: index) }
                default: bytes[index] = rng.pick([0x00, 0xFF, 0x80, 0x7F])
                }
            }
            do {
                let file = try MIDIFile(bytes: bytes, name: "damaged.mid")
                parsed += 1
                // Whatever parses must also write and read back the same.
                if file.validationProblem() == nil {
                    #expect(try MIDIFile(bytes: file.serialized(), name: "rewritten") == file)
                }
            } catch {
                refused += 1
                #expect(error.file == "damaged.mid")
                #expect(error.offset >= 0 && error.offset <= bytes.count)
            }
        }
        #expect(parsed > 0 && refused > 0)
    }
}
