import Foundation
import StandardMIDI
import Testing

/// Cross-checks with Python's mido, through Tests/interop/mido_tool.py.
/// These fail (not skip) when python3 or mido is missing.
@Suite struct MidoInteropTests {
    @Test func pythonAndMidoAreAvailable() throws {
        try MidoTool.requireAvailable()
    }

    /// (a) Files improv writes, read by mido: same notes, tempo, names and events.
    @Test(arguments: Array(UInt64(0)..<16))
    func midoReadsWhatImprovWrites(seed: UInt64) throws {
        try MidoTool.requireAvailable()
        let file = RandomMIDI.file(seed: 5_000 + seed, profile: .mido, format: seed % 4 == 0 ? 0 : 1)
        let directory = try makeScratchDirectory("improv-writes")
        defer { removeScratch(directory) }
        let path = directory.appendingPathComponent("improv-\(seed).mid").path
        try file.write(path: path)

        let mido = try MidoTool.dump(path)
        #expect(mido.format == Int(file.format))
        #expect(mido.ticks_per_beat == Int(file.ticksPerQuarter))
        #expect(mido.tempo == Int(file.tempoMicrosecondsPerQuarter))
        #expect(mido.track_names == file.tracks.map(\.name))
        #expect(mido.notes == spanRows(file.noteSpans()))
        #expect(mido.events == canonicalEvents(file))
    }

    /// (b) Files mido writes, read by improv: same notes, tempo, names and events.
    @Test(arguments: Array(UInt64(0)..<16))
    func improvReadsWhatMidoWrites(seed: UInt64) throws {
        try MidoTool.requireAvailable()
        let directory = try makeScratchDirectory("mido-writes")
        defer { removeScratch(directory) }
        let path = directory.appendingPathComponent("mido-\(seed).mid").path
        let mido = try MidoTool.generate(seed: seed, to: path)

        let file = try MIDIFile.read(path: path)
        #expect(Int(file.format) == mido.format)
        #expect(Int(file.ticksPerQuarter) == mido.ticks_per_beat)
        #expect(Int(file.tempoMicrosecondsPerQuarter) == mido.tempo)
        #expect(file.tracks.map(\.name) == mido.track_names)
        #expect(spanRows(file.noteSpans()) == mido.notes)
        #expect(canonicalEvents(file) == mido.events)

        // Rewriting a foreign file keeps it (improv's writer on mido's input).
        #expect(try MIDIFile(bytes: file.serialized(), name: "rewritten") == file)
    }

    /// Both formats and the interesting cases actually occur in the seeds used above.
    @Test func midoGeneratedSeedsCoverBothFormats() throws {
        try MidoTool.requireAvailable()
        let directory = try makeScratchDirectory("mido-formats")
        defer { removeScratch(directory) }
        var formats = Set<Int>()
        var sawOverlap = false
        for seed in UInt64(0)..<16 {
            let path = directory.appendingPathComponent("f\(seed).mid").path
            let report = try MidoTool.generate(seed: seed, to: path)
            formats.insert(report.format)
            // Two notes on the same track/channel/key that overlap in time.
            let notes = report.notes
            for (i, a) in notes.enumerated() {
                for b in notes[(i + 1)...] where a[0...2] == b[0...2] && b[4] < a[5] { sawOverlap = true }
            }
        }
        #expect(formats == [0, 1])
        #expect(sawOverlap)
    }
}
