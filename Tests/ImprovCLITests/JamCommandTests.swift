import Foundation
import MusicCore
#if canImport(FoundationXML)
import FoundationXML
#endif
import StandardMIDI
import XCTest

final class JamCommandTests: XCTestCase {
    func testJamOnTheDefaultsAnswersBothLicks() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("jam.mid").path
        let r = try CLI.run(["jam", "--midi", out, "--seed", "3"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let file = try MIDIFile.read(path: out)
        XCTAssertEqual(file.tracks.map(\.name), ["improv jam", "Player", "improv melody", "improv chords"], "each part on a track of its own")
        let spans = file.noteSpans()
        let player = spans.filter { $0.channel == 2 }
        let improv = spans.filter { $0.channel != 2 }
        XCTAssertEqual(player.count, 18, "the shipped call: two licks")
        // Each lick is answered after it: improv plays between the licks and after the second.
        XCTAssertTrue(improv.contains { $0.start >= 2 * 1920 && $0.start < 8 * 1920 })
        XCTAssertTrue(improv.contains { $0.start >= 10 * 1920 })
        XCTAssertFalse(improv.contains { $0.start < player.map(\.end).filter { $0 < 4 * 1920 }.max()! }, "improv waits for the call")
        XCTAssertTrue(improv.allSatisfy { $0.end > $0.start }, "every note ends")
        // The same seed gives the same jam.
        let again = dir.appendingPathComponent("again.mid").path
        XCTAssertEqual(try CLI.run(["jam", "--midi", again, "--seed", "3"]).status, 0)
        XCTAssertEqual(FileManager.default.contents(atPath: out), FileManager.default.contents(atPath: again))
    }

    func testABackingJamEndsCleanlyAndWritesTheCallOnce() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for seed in 1...3 {
            let out = dir.appendingPathComponent("backing\(seed).mid").path
            let r = try CLI.run(["jam", "--preset", "blues-backing", "--midi", out, "--seed", "\(seed)"])
            XCTAssertEqual(r.status, 0, r.stderr)
            let file = try MIDIFile.read(path: out)
            var ons = 0, zeroLength = 0, orphans = 0, onChannel3 = 0
            for track in file.tracks {
                var open: [Int: UInt64] = [:]
                for e in track.events {
                    switch e.event {
                    case .noteOn(let c, let k, let v) where v > 0:
                        ons += 1
                        if c == 2 { onChannel3 += 1 }
                        open[Int(c) * 128 + Int(k)] = e.tick
                    case .noteOff(let c, let k, _), .noteOn(let c, let k, _):
                        guard let start = open.removeValue(forKey: Int(c) * 128 + Int(k)) else { orphans += 1; continue }
                        if start == e.tick { zeroLength += 1 }
                    default: break
                    }
                }
                XCTAssertTrue(open.isEmpty, "seed \(seed), \(track.name ?? "?"): every note ends")
            }
            XCTAssertGreaterThan(ons, 50)
            XCTAssertEqual(zeroLength, 0, "seed \(seed): no note struck and stopped at the final tick")
            XCTAssertEqual(orphans, 0, "seed \(seed): no note-off without its note-on")
            XCTAssertEqual(onChannel3, 18, "seed \(seed): the call once on channel 3, not again through pass-through")
        }
    }

    func testACallIn34IsAnsweredOnItsBarLinesAtItsTempo() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // Two bars of 3/4 in G at 90 BPM: half note and quarter, then a dotted half.
        var events: [MIDITrackEvent] = [
            MIDITrackEvent(tick: 0, event: .timeSignature(numerator: 3, denominatorPower: 2, clocksPerClick: 24, thirtySecondsPerQuarter: 8)),
            MIDITrackEvent(tick: 0, event: .tempo(microsecondsPerQuarter: 666_667)),
        ]
        for (key, start, length) in [(67 as UInt8, 0, 2), (71, 2, 1), (74, 3, 3), (72, 6, 2), (71, 8, 1), (67, 9, 3)] {
            events.append(MIDITrackEvent(tick: UInt64(start * 480), event: .noteOn(channel: 0, key: key, velocity: 80)))
            events.append(MIDITrackEvent(tick: UInt64((start + length) * 480 - 30), event: .noteOff(channel: 0, key: key, velocity: 0)))
        }
        let callPath = dir.appendingPathComponent("waltz.mid").path
        try MIDIFile(format: 0, ticksPerQuarter: 480, tracks: [MIDITrack(events: events)]).write(path: callPath)
        let out = dir.appendingPathComponent("jam.mid").path
        let r = try CLI.run(["jam", "--call", callPath, "--midi", out, "--seed", "2"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("3/4: playing the form folk-waltz"), r.stderr)
        let file = try MIDIFile.read(path: out)
        XCTAssertEqual(file.firstMeter, .threeFour, "the session is written in 3/4")
        XCTAssertEqual(try XCTUnwrap(file.firstTempoBPM), 90, accuracy: 0.01, "at the call's tempo")
        let improv = file.noteSpans().filter { $0.channel != 2 }
        let first = try XCTUnwrap(improv.map(\.start).min())
        XCTAssertEqual(first % 1440, 0, "the answer starts on a 3/4 bar line (tick \(first))")
        XCTAssertEqual(Set(improv.filter { $0.channel == 0 }.map(\.start)).allSatisfy { $0 % 480 == 0 }, true, "chords change on beats")
    }

    func testJamFollowsThePresetsKeyAndAnswersACallFile() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let preset = dir.appendingPathComponent("p.toml").path
        try "[session]\nkey = \"Bb\"\ntempo = 100\n".write(toFile: preset, atomically: true, encoding: .utf8)
        // A call of four quarter notes in Bb, in a file at another PPQ.
        var events: [MIDITrackEvent] = []
        let keys: [UInt8] = [70, 73, 75, 77]
        for (i, key) in keys.enumerated() {
            events.append(MIDITrackEvent(tick: UInt64(i * 96), event: .noteOn(channel: 0, key: key, velocity: 80)))
            events.append(MIDITrackEvent(tick: UInt64(i * 96 + 90), event: .noteOff(channel: 0, key: key, velocity: 0)))
        }
        let call = MIDIFile(format: 0, ticksPerQuarter: 96, tracks: [MIDITrack(events: events)])
        let callPath = dir.appendingPathComponent("call.mid").path
        try call.write(path: callPath)
        let out = dir.appendingPathComponent("jam.mid").path
        let r = try CLI.run(["jam", "--call", callPath, "--preset", preset, "--midi", out])
        XCTAssertEqual(r.status, 0, r.stderr)
        let score = Score(midi: try MIDIFile.read(path: out), split: .channel(chords: 0, melody: 1))
        XCTAssertEqual(score.key, Key("Bb"))
        XCTAssertEqual(score.tempoBPM, 100, accuracy: 0.01)
        XCTAssertFalse(score.melody.isEmpty)
        XCTAssertTrue(score.melody.allSatisfy { (66...81).contains($0.pitch) }, "the answer in the call's register (Bb4-F5, a third either way): \(score.melody.map(\.pitch))")
        XCTAssertEqual(score.melody.map(\.start).min(), 2 * 1920, "answer on bar 3 (the call in bar 1, a bar of silence)")
    }
}

final class PictureCommandTests: XCTestCase {
    func testPlotJamActivationsAndEvalWriteSVG() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let mid = dir.appendingPathComponent("jam.mid").path, jamSVG = dir.appendingPathComponent("jam.svg").path
        XCTAssertEqual(try CLI.run(["jam", "--midi", mid, "--svg", jamSVG]).status, 0)
        let plotSVG = dir.appendingPathComponent("plot.svg").path
        let p = try CLI.run(["plot", mid, "--out", plotSVG])
        XCTAssertEqual(p.status, 0, p.stderr)
        let notes = try MIDIFile.read(path: mid).noteSpans().count
        for path in [jamSVG, plotSVG] {
            let svg = try String(contentsOfFile: path, encoding: .utf8)
            XCTAssertTrue(XMLParser(data: Data(svg.utf8)).parse(), "\(path) is XML")
            XCTAssertEqual(svg.components(separatedBy: "class=\"note\"").count - 1, notes, "every note drawn")
            XCTAssertTrue(svg.contains("player&apos;s call") || svg.contains("player's call"))
        }
        let act = dir.appendingPathComponent("act.svg").path
        XCTAssertEqual(try CLI.run(["activations", "--bars", "4", "--out", act]).status, 0)
        let actSVG = try String(contentsOfFile: act, encoding: .utf8)
        XCTAssertTrue(XMLParser(data: Data(actSVG.utf8)).parse(), "the heatmap is XML")
        XCTAssertEqual(actSVG.components(separatedBy: "class=\"cell\"").count - 1, 48 * (8 + 32), "the built-in model's 48 cells (4x4 chord, 8x4 melody) over prime and 4 bars")
        let chart = dir.appendingPathComponent("eval.svg").path
        XCTAssertEqual(try CLI.run(["eval", "--choruses", "5", "--svg", chart]).status, 0)
        let chartSVG = try String(contentsOfFile: chart, encoding: .utf8)
        XCTAssertTrue(XMLParser(data: Data(chartSVG.utf8)).parse(), "the chart is XML")
        XCTAssertEqual(chartSVG.components(separatedBy: "class=\"bar\"").count - 1, 16, "4 models x 4 figures")
    }
}

/// Collects the notes' attributes and the header line of a piano roll.
private final class RollReader: NSObject, XMLParserDelegate {
    var notes: [[String: String]] = []
    var header = ""
    private var inHeader = false
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        if name == "rect", attributes["class"] == "note" { notes.append(attributes) }
        inHeader = name == "text" && attributes["class"] == "header"
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) { if inHeader { header += string } }
    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) { inHeader = false }
}

final class BackingJamPictureTests: XCTestCase {
    /// blues-backing (F, 132 BPM, the player passed through): the picture of its jam draws
    /// every note of the player's part in the player's colour and no note of improv's so, and
    /// names the session's key, tempo and meter.
    func testABackingJamsPictureColoursThePlayerAsThePlayer() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let mid = dir.appendingPathComponent("b.mid").path, svgPath = dir.appendingPathComponent("b.svg").path
        let r = try CLI.run(["jam", "--preset", "blues-backing", "--midi", mid, "--svg", svgPath, "--seed", "2"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let file = try MIDIFile.read(path: mid)
        let player = try XCTUnwrap(file.tracks.firstIndex { $0.name == "Player" })
        let spans = file.noteSpans()
        let reader = RollReader()
        let parser = XMLParser(data: try Data(contentsOf: URL(fileURLWithPath: svgPath)))
        parser.delegate = reader
        XCTAssertTrue(parser.parse(), "the picture is XML")
        XCTAssertEqual(reader.notes.count, spans.count, "every note drawn")
        let playerFill = try XCTUnwrap(reader.notes.first { $0["data-part"] == "player's call" }?["fill"])
        XCTAssertEqual(reader.notes.filter { $0["fill"] == playerFill }.count, spans.filter { $0.track == player }.count)
        XCTAssertGreaterThan(spans.filter { $0.track != player }.count, 20, "improv played")
        XCTAssertTrue(reader.header.contains("key F"), reader.header)
        XCTAssertTrue(reader.header.contains("tempo 132 BPM"), reader.header)
        XCTAssertTrue(reader.header.contains("meter 4/4"), reader.header)
    }
}

final class ABCCommandTests: XCTestCase {
    func testGeneratedPieceAsABCWithTheFormsChords() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let mid = dir.appendingPathComponent("g.mid").path, abc = dir.appendingPathComponent("g.abc").path
        XCTAssertEqual(try CLI.run(["generate", "--bars", "12", "--seed", "2", "--out", mid]).status, 0)
        let r = try CLI.run(["abc", mid, "--out", abc])
        XCTAssertEqual(r.status, 0, r.stderr)
        let text = try String(contentsOfFile: abc, encoding: .utf8)
        XCTAssertTrue(text.hasPrefix("X:1\n"), text)
        XCTAssertTrue(text.contains("M:4/4") && text.contains("L:1/8") && text.contains("K:C"), text)
        // The form's chords stand above the melody, bar by bar: the prime bar, then the form goes on.
        let chords = text.components(separatedBy: "\"").enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
        XCTAssertEqual(Array(chords.prefix(4)), ["C7", "F7", "C7", "C7"])
    }
}
