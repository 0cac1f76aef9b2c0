import Foundation
import StandardMIDI
import Testing

/// Every input the MIDI fuzzer (fuzz/RESULTS.md) ever crashed on, in FuzzRegressions/, must
/// be a MIDIFileError naming the file (none so far: the folder holds what is found); every
/// seed of the fuzzer must read, and read back unchanged after writing.
@Suite struct FuzzRegressionTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func files(_ folder: String) throws -> [URL] {
        let dir = root.appendingPathComponent(folder)
        return try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
            .filter { !$0.hasPrefix(".") }.map { dir.appendingPathComponent($0) }
    }

    @Test func everyCrashInputIsAMIDIFileError() throws {
        for url in try Self.files("Tests/StandardMIDITests/FuzzRegressions") {
            let error = #expect(throws: MIDIFileError.self) { try MIDIFile.read(path: url.path) }
            #expect(error?.file == url.path)
        }
    }

    @Test func everySeedReadsAndRoundTrips() throws {
        let seeds = try Self.files("fuzz/corpus/midi")
        #expect(seeds.count >= 7)
        for url in seeds {
            let file = try MIDIFile.read(path: url.path)
            if file.validationProblem() == nil {
                #expect(try MIDIFile(bytes: file.serialized(), name: "again") == file, "\(url.path)")
            }
        }
    }
}
