import Foundation
import StandardMIDI
import XCTest

/// `improv eval --calls DIR`, run as a user runs it, on the calls shipped in calls/.
final class EvalCallsTests: XCTestCase {
    /// The repository's calls/ folder (this file is Tests/ImprovCLITests/EvalCallsTests.swift).
    var shippedCalls: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("calls")
    }

    func json(_ text: String) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "a JSON object: \(text.prefix(200))")
    }

    static let figures = ["inKey", "pitchClassCorrelation", "intervalReuse", "novelty", "rhythmReuse", "registerDistance",
                          "distinctVelocities", "answerNotes", "callNotes", "answerDurations", "callDurations"]

    func testEveryShippedCallIsMeasuredWithBothBaselines() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: shippedCalls.path).filter { $0.hasSuffix(".mid") }.sorted()
        XCTAssertGreaterThanOrEqual(files.count, 8, "calls/ ships 8 to 10 calls")
        let r = try CLI.run(["eval", "--calls", shippedCalls.path, "--seeds", "2", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let doc = try json(r.stdout)
        XCTAssertEqual(doc["seeds"] as? [Int], [1, 2])
        let calls = try XCTUnwrap(doc["calls"] as? [[String: Any]])
        XCTAssertEqual(calls.compactMap { $0["file"] as? String }, files, "every call file, in order")
        for call in calls {
            let name = call["file"] as? String ?? "?"
            let seeds = try XCTUnwrap(call["seeds"] as? [[String: Any]], name)
            XCTAssertEqual(seeds.compactMap { $0["seed"] as? Int }, [1, 2], name)
            for run in seeds {
                let answer = try XCTUnwrap(run["measures"] as? [String: Any], name)
                for f in Self.figures { XCTAssertNotNil(answer[f], "\(name): \(f)") }
                let inKey = try XCTUnwrap(answer["inKey"] as? Double)
                XCTAssertTrue((0...1).contains(inKey), "\(name): in key \(inKey)")
                XCTAssertGreaterThan(answer["answerNotes"] as? Int ?? 0, 0, "\(name), seed \(run["seed"] ?? "?"): improv answers")
                XCTAssertNotNil(run["randomWalk"] as? [String: Any], name)
            }
            let echo = try XCTUnwrap(call["echo"] as? [String: Any], name)
            XCTAssertEqual(echo["intervalReuse"] as? Double, 1, "\(name): the echo reuses every interval pattern")
            XCTAssertEqual(echo["rhythmReuse"] as? Double, 1, name)
            XCTAssertEqual(echo["novelty"] as? Double, 0, name)
            XCTAssertEqual(echo["registerDistance"] as? Double, 0, name)
            XCTAssertNotNil(call["mean"] as? [String: Any], name)
            XCTAssertNotNil(call["key"] as? String, name)
        }
        let mean = try XCTUnwrap(doc["mean"] as? [String: Any])
        XCTAssertEqual(mean["count"] as? Int, files.count, "the mean is over the calls")
        let echo = try XCTUnwrap(doc["echo"] as? [String: Any]), walk = try XCTUnwrap(doc["randomWalk"] as? [String: Any])
        XCTAssertEqual(echo["intervalReuse"] as? Double, 1)
        XCTAssertEqual(echo["novelty"] as? Double, 0)
        XCTAssertLessThan(walk["intervalReuse"] as? Double ?? 1, 0.5, "a random walk reuses little of the calls")
        XCTAssertEqual(walk["inKey"] as? Double, 1, "the walk stays on the key's pentatonic")
        XCTAssertEqual((doc["skipped"] as? [Any])?.count, 0, "no shipped call is skipped")

        // The table: a row per call, the mean and both baselines.
        let table = try CLI.run(["eval", "--calls", shippedCalls.path, "--seeds", "1"])
        XCTAssertEqual(table.status, 0, table.stderr)
        for f in files { XCTAssertTrue(table.stdout.contains(f), "\(f) has a row") }
        for row in ["mean (improv)", "echo", "random walk"] { XCTAssertTrue(table.stdout.contains(row), "row \(row): \(table.stdout)") }
    }

    /// A call of `keys`, quarter notes at PPQ 96 (the reader moves it to improv's 480).
    func writeCall(_ keys: [UInt8], to url: URL) throws {
        var events: [MIDITrackEvent] = []
        for (i, key) in keys.enumerated() {
            events.append(MIDITrackEvent(tick: UInt64(i * 96), event: .noteOn(channel: 0, key: key, velocity: UInt8(70 + i))))
            events.append(MIDITrackEvent(tick: UInt64(i * 96 + 90), event: .noteOff(channel: 0, key: key, velocity: 0)))
        }
        try MIDIFile(format: 0, ticksPerQuarter: 96, tracks: [MIDITrack(events: events)]).write(path: url.path)
    }

    func testABrokenFileStopsTheRunAndIsNamed() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeCall([60, 62, 64, 67, 64], to: dir.appendingPathComponent("a-good.mid"))
        try Data("MThd\u{0}\u{0}\u{0}\u{6}\u{0}".utf8).write(to: dir.appendingPathComponent("b-broken.midi"))
        let r = try CLI.run(["eval", "--calls", dir.path, "--seeds", "1"])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("b-broken.midi"), "the broken file is named: \(r.stderr)")
        XCTAssertTrue(r.stderr.contains("byte"), "and where it breaks: \(r.stderr)")
        XCTAssertEqual(r.stdout, "", "no figures from a half-read folder")
    }

    func testAFolderWithoutCallsIsAnError() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("not a call".utf8).write(to: dir.appendingPathComponent("notes.txt"))
        let r = try CLI.run(["eval", "--calls", dir.path])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("no MIDI files"), r.stderr)
        let missing = try CLI.run(["eval", "--calls", dir.appendingPathComponent("nowhere").path])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.stderr.contains("nowhere"), missing.stderr)
        XCTAssertNotEqual(try CLI.run(["eval", "--json"]).status, 0, "--json without --calls is refused")
    }

    func testACallWithNoMelodyIsSkippedAndReported() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeCall([60, 62, 64, 67, 64, 62], to: dir.appendingPathComponent("melody.mid"))
        try writeCall([48, 52, 55, 53], to: dir.appendingPathComponent("left-hand-only.mid"))
        let r = try CLI.run(["eval", "--calls", dir.path, "--seeds", "1", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let doc = try json(r.stdout)
        XCTAssertEqual((doc["calls"] as? [[String: Any]])?.compactMap { $0["file"] as? String }, ["melody.mid"])
        let skipped = try XCTUnwrap(doc["skipped"] as? [[String: Any]])
        XCTAssertEqual(skipped.compactMap { $0["file"] as? String }, ["left-hand-only.mid"])
        XCTAssertTrue((skipped.first?["reason"] as? String ?? "").contains("C4"), "\(skipped)")
        let table = try CLI.run(["eval", "--calls", dir.path, "--seeds", "1"])
        XCTAssertEqual(table.status, 0, table.stderr)
        XCTAssertTrue(table.stdout.contains("skipped left-hand-only.mid"), table.stdout)
    }
}
