import Foundation
import MusicCore
@testable import Pictures
import StandardMIDI
import XCTest

/// A track of notes (channel, key, on tick, off tick), named.
func track(_ name: String, _ notes: [(UInt8, UInt8, UInt64, UInt64)], extra: [MIDITrackEvent] = []) -> MIDITrack {
    var events = [MIDITrackEvent(tick: 0, event: .trackName(name))] + extra
    for (ch, key, on, off) in notes {
        events.append(MIDITrackEvent(tick: on, event: .noteOn(channel: ch, key: key, velocity: 90)))
        events.append(MIDITrackEvent(tick: off, event: .noteOff(channel: ch, key: key, velocity: 0)))
    }
    return MIDITrack(events: events.sorted { $0.tick < $1.tick })
}

/// A chord of `keys` on channel `ch` from `on` to `off`.
func chord(_ ch: UInt8, _ keys: [UInt8], _ on: UInt64, _ off: UInt64) -> [(UInt8, UInt8, UInt64, UInt64)] {
    keys.map { (ch, $0, on, off) }
}

final class PictureEscapingTests: XCTestCase {
    static let nasty = "a <b> & \"c\" 'd' </svg> \u{1}"

    func testATitleWithMarkupIsEscapedInEveryPicture() throws {
        let chorus = try MIDIFile(bytes: Score(slices: EckCorpus.chorus(5), key: .c).midiFile().serialized(), name: "mem")
        let piece = Array(EckCorpus.chorus(2).prefix(16))
        let pictures = [
            PianoRollSVG(midi: chorus, title: Self.nasty).render(),
            PianoRollSVG(parts: [.init(name: Self.nasty, color: "#000", notes: [Note(pitch: 60, start: 0, duration: 240)])],
                         ticksPerQuarter: 480, title: Self.nasty, chordNotes: []).render(),
            BarChartSVG(title: Self.nasty, groups: [Self.nasty], series: [(Self.nasty, [0.5])]).render(),
            ActivationsSVG(piece: piece, cells: piece.map { _ in [0.5, -0.5] }, chordCells: 1, title: Self.nasty).render(),
            LossPlotSVG(title: Self.nasty, epochs: [1, 2, 3], training: [3, .nan, 1], heldOut: [3, 2.5, .infinity]).render(),
        ]
        let read = try SVGCheck.read(pictures)
        let shown = Self.nasty.replacingOccurrences(of: "\u{1}", with: "\u{FFFD}")
        for (i, svg) in read.enumerated() {
            XCTAssertEqual(svg.root, "svg", "picture \(i)")
            XCTAssertEqual(svg.title, shown, "picture \(i): the document title is the text given")
            XCTAssertTrue(svg.texts.contains(shown), "picture \(i): the title drawn as text")
            XCTAssertFalse(pictures[i].contains("<b>"), "picture \(i): no raw markup from the title")
            XCTAssertFalse(pictures[i].contains("nan"), "picture \(i): no 'nan' where a number belongs")
        }
        // Names in attributes too: the part name of each note, the bar chart's data-model.
        XCTAssertEqual(read[1].notes.map(\.part), [shown])
        XCTAssertTrue(pictures[2].contains("data-model=\"a &lt;b&gt; &amp; &quot;c&quot; &apos;d&apos;"))
        XCTAssertEqual(read[2].legendTexts.map(\.text), [shown])
    }

    func testTheWriterFormatsNumbersAndEscapesOneWay() {
        XCTAssertEqual(SVGWriter.escape("<&>\"'"), "&lt;&amp;&gt;&quot;&apos;")
        XCTAssertEqual(SVGWriter.escape("tab\there\u{0}"), "tab\there\u{FFFD}")
        XCTAssertEqual(SVGWriter.number(44), "44.0")
        XCTAssertEqual(SVGWriter.number(-0.04), "0.0", "no negative zero")
        XCTAssertEqual(SVGWriter.number(2.25), "2.3")
        XCTAssertEqual(SVGWriter.number(-2.25), "-2.3")
        XCTAssertEqual(SVGWriter.number(.nan), "0.0")
        var w = SVGWriter(width: 10, height: 20, title: "t", fontSize: 9)
        w.open("g", ["id": "a&b"])
        w.element("text", ["x": 1.25, "n": 3], text: "x<y")
        w.close()
        XCTAssertEqual(w.finished(), """
            <svg xmlns="http://www.w3.org/2000/svg" width="10.0" height="20.0" viewBox="0 0 10.0 20.0" font-family="sans-serif" font-size="9.0">
            <title>t</title>
            <rect width="100%" height="100%" fill="white"/>
            <g id="a&amp;b"><text x="1.3" n="3">x&lt;y</text>
            </g>
            </svg>

            """)
    }
}

final class PictureLegendTests: XCTestCase {
    func assertLegendInside(_ svg: SVGCheck, _ label: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(svg.legend.isEmpty, "\(label): has a legend", file: file, line: line)
        for b in svg.legend {
            XCTAssertTrue(b.x >= 0 && b.y >= 0 && b.x + b.width <= svg.width && b.y + b.height <= svg.height,
                          "\(label): legend box \(b) inside \(svg.width) x \(svg.height)", file: file, line: line)
        }
        // Half the font size a character is less than any face draws: a text past this is cut off for sure.
        for t in svg.legendTexts {
            XCTAssertLessThanOrEqual(t.x + Double(t.text.count) * 5.5, svg.width, "\(label): legend text '\(t.text)' inside", file: file, line: line)
        }
    }

    func testTheLegendFitsInsideThePictureAtAnyWidth() throws {
        let names = ["player's call", "improv chords", "improv melody", "improv bass", "improv comping", "improv drums",
                     "a part with a rather long name from someone's DAW", "strings"]
        func roll(bars: Int, parts: Int) -> String {
            PianoRollSVG(parts: names.prefix(parts).enumerated().map { i, name in
                .init(name: name, color: "#123456", notes: [Note(pitch: UInt8(50 + i), start: 0, duration: bars * 1920)])
            }, ticksPerQuarter: 480, title: "t", chordNotes: []).render()
        }
        let pictures = [roll(bars: 1, parts: 8), roll(bars: 1, parts: 1), roll(bars: 3, parts: 6), roll(bars: 40, parts: 8),
                        BarChartSVG(title: "t", groups: ["a"], series: (0..<20).map { ("model number \($0) with a long name", [0.1]) }).render(),
                        LossPlotSVG(title: "t", epochs: [1], training: [1], heldOut: [1]).render()]
        for (i, svg) in try SVGCheck.read(pictures).enumerated() { assertLegendInside(svg, "picture \(i)") }
    }
}

final class PianoRollTruthTests: XCTestCase {
    func testChordNamesAreTheChordsThePartPlays() throws {
        // Am for a bar; D7 then G within bar 2; a lone note in bar 3 names no chord; an F7
        // voiced above C4 in bar 4. No form anywhere says so: only the notes do.
        let chords = chord(0, [57, 60, 64], 0, 1920) + chord(0, [50, 54, 57, 60], 1920, 2880) + chord(0, [55, 59, 62], 2880, 3840)
            + [(0, 48, 3840, 5760)] + chord(0, [65, 69, 72, 75], 5760, 7680)
        let file = MIDIFile(format: 1, ticksPerQuarter: 480, tracks: [
            MIDITrack(events: [MIDITrackEvent(tick: 0, event: .trackName("song"))]),
            track("Chords", chords),
            track("Melody", [(1, 76, 0, 480), (1, 74, 2000, 2400), (1, 79, 5760, 6000)]),
        ])
        let roll = PianoRollSVG(midi: file, title: "played")
        let svg = try SVGCheck.read(roll.render())
        XCTAssertEqual(svg.chords, ["Am", "D7", "G", "F7"])
        XCTAssertEqual(roll.chordNames(bars: 4), ["Am", "D7", nil, "F7"])
        // The F7 voiced above C4 is drawn as the chord part, not as melody.
        XCTAssertEqual(Set(svg.notes.filter { [72, 75].contains($0.pitch) }.map(\.part)), ["chords"])
    }

    func testAJamsPassedThroughPlayerNotesAreDrawnAsThePlayers() throws {
        // A backing jam as improv writes it: the player's notes on their track (channel 3) and,
        // passed through, again on improv's leftover track; improv's F7 comping above C4.
        let player = track("Player", [(2, 72, 0, 480), (2, 76, 480, 960), (2, 79, 960, 1920)])
        let session = MIDIFile(format: 1, ticksPerQuarter: 480, tracks: [
            MIDITrack(events: [MIDITrackEvent(tick: 0, event: .trackName("improv jam"))]),
            player,
            track("improv melody", [(1, 84, 1920, 2400)]),
            track("improv chords", chord(0, [65, 69, 72, 75], 0, 1920)),
            track("improv", [(2, 74, 1920, 2400), (2, 77, 2400, 2880), (5, 40, 0, 480)]),
        ])
        let svg = try SVGCheck.read(PianoRollSVG(midi: session, title: "backing").render())
        let playerFill = try XCTUnwrap(svg.notes.first { $0.part == "player's call" }?.fill)
        XCTAssertEqual(svg.notes.filter { $0.fill == playerFill }.map(\.pitch).sorted(), [72, 74, 76, 77, 79],
                       "the passed-through notes (74, 77) in the player's colour, with the player's own")
        XCTAssertEqual(svg.notes.filter { $0.part == "improv melody" }.map(\.pitch), [84])
        XCTAssertEqual(svg.notes.filter { $0.part == "improv chords" }.count, 4)
        XCTAssertEqual(svg.notes.count, 11, "every note drawn, the one on an unknown channel too")
        XCTAssertNotEqual(svg.notes.first { $0.pitch == 40 }?.fill, playerFill)

        // The same in a file from before improv wrote a track a part: one "improv" track, its
        // channels the parts, never a pitch split.
        let old = MIDIFile(format: 1, ticksPerQuarter: 480, tracks: [
            MIDITrack(events: [MIDITrackEvent(tick: 0, event: .trackName("improv jam"))]),
            player,
            track("improv", chord(0, [65, 69, 72, 75], 1920, 3840) + [(1, 81, 1920, 2400), (1, 84, 2400, 2880),
                                                                         (2, 74, 1920, 2400), (2, 77, 2400, 2880)]),
        ])
        let oldSVG = try SVGCheck.read(PianoRollSVG(midi: old, title: "old").render())
        XCTAssertEqual(oldSVG.notes.filter { $0.part == "player's call" }.map(\.pitch).sorted(), [72, 74, 76, 77, 79])
        XCTAssertEqual(oldSVG.notes.filter { $0.part == "improv chords" }.map(\.pitch).sorted(), [65, 69, 72, 75],
                       "chord notes above C4 are chords")
        XCTAssertEqual(oldSVG.notes.filter { $0.part == "improv melody" }.map(\.pitch).sorted(), [81, 84])
        XCTAssertEqual(oldSVG.chords, ["F7"])
    }

    func testTheHeaderShowsKeyTempoAndMeterAndBarsFollowTheMeter() throws {
        // 3/4 at 96 BPM in Bb: six bars of three quarters each (4.5 bars were it 4/4).
        let conductor = MIDITrack(events: [
            MIDITrackEvent(tick: 0, event: .trackName("waltz")),
            MIDITrackEvent(tick: 0, event: .tempo(microsecondsPerQuarter: 625_000)),
            MIDITrackEvent(tick: 0, event: .timeSignature(numerator: 3, denominatorPower: 2, clocksPerClick: 24, thirtySecondsPerQuarter: 8)),
            MIDITrackEvent(tick: 0, event: .keySignature(sharps: -2, minor: false)),
        ])
        var bars: [(UInt8, UInt8, UInt64, UInt64)] = []
        for b in 0..<6 {
            let on = UInt64(b) * 1440
            bars += chord(0, [46, 50, 53], on, on + 1440)
        }
        let file = MIDIFile(format: 1, ticksPerQuarter: 480, tracks: [conductor, track("Chords", bars),
                                                                       track("Melody", [(1, 70, 0, 8640)])])
        let svg = try SVGCheck.read(PianoRollSVG(midi: file, title: "waltz").render())
        let header = try XCTUnwrap(svg.header)
        XCTAssertTrue(header.contains("key Bb"), header)
        XCTAssertTrue(header.contains("tempo 96 BPM"), header)
        XCTAssertTrue(header.contains("meter 3/4"), header)
        XCTAssertEqual(svg.bars, ["1", "2", "3", "4", "5", "6"])
        XCTAssertEqual(svg.chords, Array(repeating: "Bb", count: 6))

        // No key signature: the key is named as a guess; no tempo: MIDI's default, said so; a
        // change of meter is a new bar line where it happens.
        let plain = MIDIFile(format: 1, ticksPerQuarter: 480, tracks: [
            track("Chords", chord(0, [48, 52, 55], 0, 1440 + 1920), extra: [
                MIDITrackEvent(tick: 0, event: .timeSignature(numerator: 3, denominatorPower: 2, clocksPerClick: 24, thirtySecondsPerQuarter: 8)),
                MIDITrackEvent(tick: 1440, event: .timeSignature(numerator: 4, denominatorPower: 2, clocksPerClick: 24, thirtySecondsPerQuarter: 8)),
            ]),
            track("Melody", [(1, 72, 0, 480), (1, 76, 1440, 1920), (1, 79, 1920, 3360)]),
        ])
        let roll = PianoRollSVG(midi: plain, title: "plain")
        XCTAssertEqual(roll.barStarts(through: 3360), [0, 1440, 3360])
        let header2 = try XCTUnwrap(try SVGCheck.read(roll.render()).header)
        XCTAssertTrue(header2.contains("key C (guessed: no key signature)"), header2)
        XCTAssertTrue(header2.contains("tempo 120 BPM (none set"), header2)
        XCTAssertTrue(header2.contains("meter 3/4 then 4/4"), header2)
    }

    func testEveryTrackIsAPartAndNoneIsLeftOut() throws {
        // Three tracks: bass, piano, sax. The lowest is the chord part, the highest the melody,
        // and the one between is drawn too, under its own name.
        let file = MIDIFile(format: 1, ticksPerQuarter: 480, tracks: [
            track("Bass", [(0, 36, 0, 960)]), track("Piano", chord(1, [60, 64, 67], 0, 960)), track("Sax", [(2, 79, 0, 480)]),
        ])
        let svg = try SVGCheck.read(PianoRollSVG(midi: file, title: "trio").render())
        XCTAssertEqual(svg.notes.count, 5)
        XCTAssertEqual(Set(svg.notes.map(\.part)), ["chords", "melody", "Piano"])
        // One track on one channel: a single part, its chords named from all its notes.
        let solo = MIDIFile(format: 0, ticksPerQuarter: 480, tracks: [track("Piano", chord(0, [53, 57, 60, 63, 77], 0, 1920))])
        let soloSVG = try SVGCheck.read(PianoRollSVG(midi: solo, title: "solo").render())
        XCTAssertEqual(Set(soloSVG.notes.map(\.part)), ["Piano"])
        XCTAssertEqual(soloSVG.chords, ["F7"])
    }
}
