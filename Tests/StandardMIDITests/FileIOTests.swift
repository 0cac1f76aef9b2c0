import Foundation
import StandardMIDI
import Testing

@Suite struct FileIOTests {
    let file = MIDIFile(ticksPerQuarter: 480, tracks: [MIDITrack(events: [
        at(0, .trackName("io")), at(0, .noteOn(channel: 0, key: 60, velocity: 90)),
        at(480, .noteOff(channel: 0, key: 60, velocity: 0)),
    ])])

    @Test func writeThenReadLeavesNoTemporaryFile() throws {
        let directory = try makeScratchDirectory("io")
        defer { removeScratch(directory) }
        let path = directory.appendingPathComponent("song.mid").path
        try file.write(path: path)
        #expect(try MIDIFile.read(path: path) == file)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["song.mid"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(file.serialized()))
    }

    @Test func writeReplacesAnExistingFile() throws {
        let directory = try makeScratchDirectory("io-replace")
        defer { removeScratch(directory) }
        let path = directory.appendingPathComponent("song.mid").path
        try Data(repeating: 0x41, count: 5000).write(to: URL(fileURLWithPath: path))
        try file.write(path: path)
        #expect(try MIDIFile.read(path: path) == file)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["song.mid"])
    }

    @Test func invalidFileIsNotWrittenAndTheOldOneStays() throws {
        let directory = try makeScratchDirectory("io-invalid")
        defer { removeScratch(directory) }
        let path = directory.appendingPathComponent("song.mid").path
        try file.write(path: path)
        let bad = MIDIFile(ticksPerQuarter: 96, tracks: [MIDITrack(events: [at(0, .noteOn(channel: 16, key: 1, velocity: 1))])])
        do {
            try bad.write(path: path)
            Issue.record("writing an invalid file succeeded")
        } catch let error as MIDIFileError {
            #expect(error.file == path)
            #expect(error.reason.contains("channel 16"))
        }
        #expect(try MIDIFile.read(path: path) == file)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["song.mid"])
    }

    @Test func writeIntoAMissingDirectoryNamesThePath() throws {
        let path = "/nonexistent-\(UUID().uuidString)/song.mid"
        do {
            try file.write(path: path)
            Issue.record("write into a missing directory succeeded")
        } catch let error as MIDIFileError {
            #expect(error.file == path)
            #expect(error.description.hasPrefix("\(path): byte 0: cannot write"))
        }
    }

    @Test func readErrorsNameThePath() throws {
        let missing = "/nonexistent-\(UUID().uuidString).mid"
        do {
            _ = try MIDIFile.read(path: missing)
            Issue.record("reading a missing file succeeded")
        } catch let error as MIDIFileError {
            #expect(error.file == missing)
            #expect(error.description.hasPrefix("\(missing): byte 0: cannot open"))
        }

        let directory = try makeScratchDirectory("io-bad")
        defer { removeScratch(directory) }
        let path = directory.appendingPathComponent("bad.mid").path
        try Data(SMF.header(format: 1, tracks: 2) + SMF.track(SMF.endOfTrack)).write(to: URL(fileURLWithPath: path))
        do {
            _ = try MIDIFile.read(path: path)
            Issue.record("reading a bad file succeeded")
        } catch let error as MIDIFileError {
            #expect(error == MIDIFileError(file: path, offset: 10, reason: "header declares 2 tracks but the file holds only 1"))
            #expect(error.description == "\(path): byte 10: header declares 2 tracks but the file holds only 1")
        }

        // A directory is not a file.
        #expect(throws: MIDIFileError.self) { try MIDIFile.read(path: directory.path) }
    }

    @Test func filesOverSixtyFourMebibytesAreRefused() throws {
        let directory = try makeScratchDirectory("io-big")
        defer { removeScratch(directory) }
        let path = directory.appendingPathComponent("big.mid").path
        // A sparse file: no 64 MiB is written to disk.
        #expect(FileManager.default.createFile(atPath: path, contents: Data(file.serialized())))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: UInt64(MIDIFile.maxFileSize) + 1)
        try handle.close()
        do {
            _ = try MIDIFile.read(path: path)
            Issue.record("a file over 64 MiB was read")
        } catch let error as MIDIFileError {
            #expect(error.file == path)
            #expect(error.reason.contains("64 MiB"))
        }
        // Exactly at the limit it is read (and then parsed: trailing bytes after the track are ignored).
        let handle2 = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle2.truncate(atOffset: UInt64(MIDIFile.maxFileSize))
        try handle2.close()
        #expect(try MIDIFile.read(path: path) == file)
    }
}
