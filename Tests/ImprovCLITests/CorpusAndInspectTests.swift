import Foundation
import MusicCore
import StandardMIDI
import XCTest

final class CorpusAndInspectTests: XCTestCase {
    func testCorpusWritesDistinctChorusesInTheKeyAsked() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLI.run(["corpus", "--out", dir.path, "--count", "5", "--seed", "3", "--key", "F"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".mid") }.sorted()
        XCTAssertEqual(files.count, 5)
        let expectedNumbers = EckCorpus.chorusNumbers(count: 5, seed: 3).sorted().map { String(format: "eck-blues-%04d.mid", $0) }
        XCTAssertEqual(files, expectedNumbers)
        var melodies = Set<[UInt8]>()
        for name in files {
            let midi = try MIDIFile.read(path: dir.appendingPathComponent(name).path)
            XCTAssertEqual(midi.tracks.count, 3)
            let score = Score(midi: midi)
            XCTAssertEqual(score.key, Key("F"))
            XCTAssertEqual(Set(score.chords.map(\.channel)), [0])
            XCTAssertEqual(Set(score.melody.map(\.channel)), [1])
            XCTAssertEqual(score.melody.count, 48)
            XCTAssertTrue(score.melody.allSatisfy { Scale.contains(Scale.bluesPentatonic, pitch: $0.pitch, key: Key("F")!) })
            // Back in C, it is exactly the corpus chorus its name says.
            let number = Int(name.dropFirst("eck-blues-".count).prefix(4))!
            XCTAssertEqual(score.transposed(by: -5).slices(encoding: .eck), EckCorpus.chorus(number))
            melodies.insert(score.melody.map(\.pitch))
        }
        XCTAssertEqual(melodies.count, 5)
    }

    func testCorpusIsByteForByteDeterministic() throws {
        let a = try CLI.temporaryDirectory(), b = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: a); try? FileManager.default.removeItem(at: b) }
        XCTAssertEqual(try CLI.run(["corpus", "--out", a.path, "--count", "3", "--seed", "8"]).status, 0)
        XCTAssertEqual(try CLI.run(["corpus", "--out", b.path, "--count", "3", "--seed", "8"]).status, 0)
        for name in try FileManager.default.contentsOfDirectory(atPath: a.path) {
            XCTAssertEqual(FileManager.default.contents(atPath: a.appendingPathComponent(name).path),
                           FileManager.default.contents(atPath: b.appendingPathComponent(name).path))
        }
    }

    func testCorpusRefusesBadArguments() throws {
        let r = try CLI.run(["corpus", "--out", "/tmp/x", "--key", "H"])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("--key"), r.stderr)
        XCTAssertNotEqual(try CLI.run(["corpus", "--out", "/tmp/x", "--count", "5000"]).status, 0)
    }

    func testInspectShowsKeyBarsAndChords() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        XCTAssertEqual(try CLI.run(["corpus", "--out", dir.path, "--count", "1", "--key", "Bb"]).status, 0)
        let file = try FileManager.default.contentsOfDirectory(atPath: dir.path)[0]
        let r = try CLI.run(["inspect", dir.appendingPathComponent(file).path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("key Bb, 120.0 BPM, 4/4, 12 bars (96 slices), 48 chord notes, 48 melody notes"), r.stdout)
        for label in [" 1 Bb7", " 2 Eb7", " 9 Cm7", " 10 F7"] { XCTAssertTrue(r.stdout.contains(label), label) }
    }

    func testInspectNamesABrokenFileAndTheOffset() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("broken.mid").path
        // A valid header, then a track chunk that claims more bytes than the file has.
        let bytes: [UInt8] = [0x4D, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0, 0, 0, 1, 0, 96,
                              0x4D, 0x54, 0x72, 0x6B, 0, 0, 0x10, 0, 0x00, 0x90, 60, 100]
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        let r = try CLI.run(["inspect", path])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains(path), r.stderr)
        XCTAssertTrue(r.stderr.contains("byte"), r.stderr)
    }
}
