import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import MusicCore
@testable import Pictures
import StandardMIDI
import XCTest

/// Reads an SVG as XML and collects what a test looks at.
final class SVGReader: NSObject, XMLParserDelegate {
    var notes: [[String: String]] = []
    var chordTexts: [String] = []
    var root: String?
    private var inChord = false

    static func read(_ svg: String) throws -> SVGReader {
        let reader = SVGReader()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = reader
        guard parser.parse() else { throw parser.parserError ?? NSError(domain: "svg", code: 1) }
        return reader
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        if root == nil { root = name }
        if name == "rect", attributes["class"] == "note" { notes.append(attributes) }
        inChord = name == "text" && attributes["class"] == "chord"
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inChord { chordTexts.append(string) }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        inChord = false
    }
}

final class PianoRollSVGTests: XCTestCase {
    func testAChorusShowsEveryNoteAndTheFormsChords() throws {
        let midi = Score(slices: EckCorpus.chorus(77), key: .c).midiFile()
        let roll = PianoRollSVG(midi: try MIDIFile(bytes: midi.serialized(), name: "mem"), title: "chorus <77> & more")
        let svg = try SVGReader.read(roll.render())
        XCTAssertEqual(svg.root, "svg")
        XCTAssertEqual(svg.notes.count, 96, "48 chord notes and 48 melody notes, each drawn")
        XCTAssertEqual(svg.notes.filter { $0["data-part"] == "melody" }.count, 48)
        XCTAssertEqual(Set(svg.notes.compactMap { $0["fill"] }).count, 2, "chords and melody in their own colours")
        XCTAssertEqual(svg.chordTexts, ChordForm.eckBlues.bars.map { $0[0].description })
        // Notes sit where their ticks say: the melody's first note at the left edge of bar 1.
        let xs = svg.notes.compactMap { Double($0["x"] ?? "") }
        XCTAssertEqual(xs.min(), 44.0)
    }

    func testAJamShowsThePlayerApartFromImprov() throws {
        func track(_ name: String, _ notes: [(UInt8, UInt8, UInt64, UInt64)]) -> MIDITrack {
            var events = [MIDITrackEvent(tick: 0, event: .trackName(name))]
            for (ch, key, on, off) in notes {
                events.append(MIDITrackEvent(tick: on, event: .noteOn(channel: ch, key: key, velocity: 90)))
                events.append(MIDITrackEvent(tick: off, event: .noteOff(channel: ch, key: key, velocity: 0)))
            }
            return MIDITrack(events: events.sorted { $0.tick < $1.tick })
        }
        let session = MIDIFile(format: 1, ticksPerQuarter: 480, tracks: [
            MIDITrack(events: [MIDITrackEvent(tick: 0, event: .trackName("improv jam"))]),
            track("Player", [(2, 60, 0, 400), (2, 63, 480, 900)]),
            track("improv", [(0, 48, 3840, 7680), (0, 52, 3840, 7680), (1, 67, 3840, 4300), (1, 70, 4320, 4700)]),
        ])
        let svg = try SVGReader.read(PianoRollSVG(midi: session, title: "jam").render())
        XCTAssertEqual(svg.notes.count, 6)
        XCTAssertEqual(svg.notes.filter { $0["data-part"] == "player's call" }.count, 2)
        XCTAssertEqual(svg.notes.filter { $0["data-part"] == "improv melody" }.count, 2)
        XCTAssertEqual(svg.notes.filter { $0["data-part"] == "improv chords" }.count, 2)
        XCTAssertEqual(Set(svg.notes.compactMap { $0["fill"] }).count, 3)
    }
}

final class ActivationsAndChartTests: XCTestCase {
    func testHeatmapHasACellPerSliceAndCell() throws {
        let piece = EckCorpus.chorus(3)
        let cells = (0..<piece.count).map { t in (0..<6).map { c in Float(sin(Double(t + c))) } }
        let svg = ActivationsSVG(piece: piece, cells: cells, chordCells: 2, title: "t").render()
        var count = 0, labels = 0
        let reader = SVGReader()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = reader
        XCTAssertTrue(parser.parse())
        count = svg.components(separatedBy: "class=\"cell\"").count - 1
        labels = svg.components(separatedBy: ">melody ").count - 1
        XCTAssertEqual(count, 96 * 6)
        XCTAssertEqual(labels, 4, "two chord cells, four melody cells")
        XCTAssertEqual(ActivationsSVG.color(1), "#ff0000")
        XCTAssertEqual(ActivationsSVG.color(-1), "#0000ff")
        XCTAssertEqual(ActivationsSVG.color(0), "#ffffff")
    }

    func testBarChartHasABarPerModelAndFigure() throws {
        let svg = BarChartSVG(title: "eval", groups: ["a", "b"], series: [("LSTM", [1, 0.3]), ("Markov", [0.1, 2])]).render()
        let parser = XMLParser(data: Data(svg.utf8))
        XCTAssertTrue(parser.parse())
        XCTAssertEqual(svg.components(separatedBy: "class=\"bar\"").count - 1, 4)
        XCTAssertTrue(svg.contains("data-model=\"Markov\" data-figure=\"b\" data-value=\"2.0\""))
    }
}
