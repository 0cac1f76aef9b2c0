import Foundation
import XCTest

/// `improv train` and `improv eval` on a folder of real folk tunes (corpora/folk).
final class FolderTrainingTests: XCTestCase {
    static let folk = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("corpora/folk")

    func copy(_ sub: String, count: Int, to dir: URL) throws -> URL {
        let out = dir.appendingPathComponent(sub)
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let src = Self.folk.appendingPathComponent(sub)
        for name in try FileManager.default.contentsOfDirectory(atPath: src.path).filter({ $0.hasSuffix(".mid") }).sorted().prefix(count) {
            try FileManager.default.copyItem(at: src.appendingPathComponent(name), to: out.appendingPathComponent(name))
        }
        return out
    }

    func testTrainStopsByItselfSaysWhichEpochItKeptAndEvalScoresTheFolder() throws {
        try XCTSkipIf(ProcessInfo.processInfo.environment["IMPROV_CHECK"] == "1", "slow: make test runs it, make check does not")
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let corpus = try copy("3-4", count: 10, to: dir)
        let model = dir.appendingPathComponent("waltz.safetensors").path
        let r = try CLI.run(["train", "--corpus", corpus.path, "--out", model, "--patience", "3", "--threads", "1"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let last = try XCTUnwrap(r.stdout.split(separator: "\n").last.map(String.init))
        XCTAssertTrue(last.hasPrefix("kept epoch ") && last.contains("stopped because the held-out loss had not improved for 3 epochs"), last)
        XCTAssertTrue(r.stdout.contains("meter=3/4"), r.stdout)

        let e = try CLI.run(["eval", "--corpus", corpus.path, "--model", model])
        XCTAssertEqual(e.status, 0, e.stderr)
        for row in ["held-out pieces", "LSTM, decoded chords", "LSTM, threshold chords", "LSTM, Bernoulli chords", "Markov order 1", "Markov order 2"] {
            XCTAssertTrue(e.stdout.contains(row), e.stdout)
        }
        let j = try CLI.run(["eval", "--corpus", corpus.path, "--model", model, "--json"])
        XCTAssertEqual(j.status, 0, j.stderr)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(j.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(json["meter"] as? String, "3/4")
        XCTAssertEqual((json["rows"] as? [Any])?.count, 6)

        // generate plays the model's meter and its chords.
        let out = dir.appendingPathComponent("waltz.mid").path
        let g = try CLI.run(["generate", "--model", model, "--bars", "8", "--out", out])
        XCTAssertEqual(g.status, 0, g.stderr)
        let inspect = try CLI.run(["inspect", out])
        XCTAssertEqual(inspect.status, 0, inspect.stderr)
    }

    func testASwappedSplitWarns() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let corpus = try copy("4-4", count: 3, to: dir)
        // The folk files carry the melody on channel 1 and the chords on channel 2.
        let r = try CLI.run(["train", "--corpus", corpus.path, "--out", dir.appendingPathComponent("m.safetensors").path,
                             "--split", "channel:1,2", "--epochs", "1", "--threads", "1"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("warning: --split channel:1,2: in 3 of 3 files"), r.stdout)
        XCTAssertTrue(r.stdout.contains("swapped"), r.stdout)
        let right = try CLI.run(["train", "--corpus", corpus.path, "--out", dir.appendingPathComponent("m.safetensors").path,
                                 "--split", "channel:2,1", "--epochs", "1", "--threads", "1"])
        XCTAssertFalse(right.stdout.contains("warning"), right.stdout)
    }

    func testMixedMetersAreRefusedWithAClearMessage() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let mixed = dir.appendingPathComponent("mixed")
        try FileManager.default.createDirectory(at: mixed, withIntermediateDirectories: true)
        for sub in ["3-4", "6-8"] {
            let c = try copy(sub, count: 2, to: dir)
            for f in try FileManager.default.contentsOfDirectory(atPath: c.path) {
                try FileManager.default.copyItem(at: c.appendingPathComponent(f), to: mixed.appendingPathComponent(f))
            }
        }
        let r = try CLI.run(["train", "--corpus", mixed.path, "--out", dir.appendingPathComponent("m.safetensors").path])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("several meters") && r.stderr.contains("--meter"), r.stderr)
        let one = try CLI.run(["train", "--corpus", mixed.path, "--out", dir.appendingPathComponent("m.safetensors").path,
                               "--meter", "6/8", "--epochs", "1", "--threads", "1"])
        XCTAssertEqual(one.status, 0, one.stderr)
        XCTAssertTrue(one.stdout.contains("meter=6/8"), one.stdout)
    }
}
