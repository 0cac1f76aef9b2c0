import StandardMIDI
import Testing

/// Write → read on generated files: the value read equals the value written,
/// and writing it again gives the same bytes.
@Suite struct RoundTripTests {
    static let seeds: [UInt64] = Array(0..<150)

    @Test(arguments: seeds)
    func formatZero(seed: UInt64) throws {
        try roundTrip(RandomMIDI.file(seed: seed, profile: .anything, format: 0))
    }

    @Test(arguments: seeds)
    func formatOne(seed: UInt64) throws {
        try roundTrip(RandomMIDI.file(seed: 10_000 + seed, profile: .anything, format: 1))
    }

    @Test(arguments: Array(UInt64(0)..<20))
    func midoProfile(seed: UInt64) throws {
        try roundTrip(RandomMIDI.file(seed: 20_000 + seed, profile: .mido))
    }

    func roundTrip(_ file: MIDIFile, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(file.validationProblem() == nil, sourceLocation: sourceLocation)
        let bytes = file.serialized()
        let back = try MIDIFile(bytes: bytes, name: "round-trip")
        #expect(back == file, sourceLocation: sourceLocation)
        #expect(back.serialized() == bytes, sourceLocation: sourceLocation)
        #expect(back.noteSpans() == file.noteSpans(), sourceLocation: sourceLocation)
    }

    @Test func generatedFilesCoverWhatTheyShould() throws {
        // Guard against a generator that silently stops producing the hard cases.
        var sawRunningStatusRun = false, sawLongDelta = false, sawBigMeta = false, sawSeveralTracks = false
        var sawFormatZero = false
        for seed in Self.seeds {
            for file in [RandomMIDI.file(seed: seed, profile: .anything, format: 0),
                         RandomMIDI.file(seed: 10_000 + seed, profile: .anything, format: 1)] {
                sawFormatZero = sawFormatZero || file.format == 0
                sawSeveralTracks = sawSeveralTracks || file.tracks.count >= 3
                for track in file.tracks {
                    for (previous, next) in zip(track.events, track.events.dropFirst()) {
                        if next.tick - previous.tick == UInt64(VariableLengthQuantity.maxValue) { sawLongDelta = true }
                        if case .noteOn(let c1, _, _) = previous.event, case .noteOn(let c2, _, _) = next.event, c1 == c2 {
                            sawRunningStatusRun = true
                        }
                    }
                    for e in track.events { if case .meta(_, let data) = e.event, data.count > 16383 { sawBigMeta = true } }
                }
            }
        }
        #expect(sawRunningStatusRun && sawLongDelta && sawBigMeta && sawSeveralTracks && sawFormatZero)
    }
}
