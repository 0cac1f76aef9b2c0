@testable import MusicCore
import StandardMIDI
import XCTest

final class ScoreMIDITests: XCTestCase {
    func testCorpusChorusSurvivesAMIDIFile() throws {
        let slices = EckCorpus.chorus(321)
        let score = Score(slices: slices, grid: TimeGrid(ticksPerQuarter: 480, tempoBPM: 100), key: .c)
        let midi = score.midiFile()
        XCTAssertEqual(midi.format, 1)
        XCTAssertEqual(midi.tracks.map(\.name), ["improv", "Chords", "Melody"])
        let back = Score(midi: try MIDIFile(bytes: midi.serialized(), name: "mem"))
        XCTAssertEqual(back.key, .c)
        XCTAssertEqual(back.tempoBPM, 100, accuracy: 1e-9)
        XCTAssertEqual(back.slices(encoding: .eck), slices)
        XCTAssertTrue(back.chords.allSatisfy { $0.channel == 0 })
        XCTAssertTrue(back.melody.allSatisfy { $0.channel == 1 })
    }

    func testTranspositionIntoAndOutOfAKey() throws {
        let score = Score(slices: EckCorpus.chorus(9), key: .c)
        let inF = score.transposed(by: Key("F")!.offsetFromC)
        XCTAssertEqual(inF.key, Key("F"))
        XCTAssertEqual(inF.melody.first!.pitch, score.melody.first!.pitch + 5)
        let back = Score(midi: try MIDIFile(bytes: inF.midiFile().serialized(), name: "mem"))
        XCTAssertEqual(back.key, Key("F"))
        XCTAssertEqual(back.transposed(by: -5).slices(encoding: .eck), EckCorpus.chorus(9))
    }

    func testSplitsOfSomeoneElsesFile() throws {
        // One track, chords on channel 3 below middle C, melody on channel 5 above.
        var events: [MIDITrackEvent] = []
        for (i, (ch, key)) in [(UInt8(2), UInt8(48)), (2, 52), (4, 72), (4, 74)].enumerated() {
            events.append(MIDITrackEvent(tick: UInt64(i * 480), event: .noteOn(channel: ch, key: key, velocity: 90)))
            events.append(MIDITrackEvent(tick: UInt64(i * 480 + 240), event: .noteOff(channel: ch, key: key, velocity: 0)))
        }
        let file = MIDIFile(format: 0, ticksPerQuarter: 480, tracks: [MIDITrack(events: events)])
        let byPitch = Score(midi: file, split: .auto)
        XCTAssertEqual(byPitch.chords.map(\.pitch), [48, 52])
        XCTAssertEqual(byPitch.melody.map(\.pitch), [72, 74])
        let byChannel = Score(midi: file, split: .channel(chords: 4, melody: 2))
        XCTAssertEqual(byChannel.chords.map(\.pitch), [72, 74])
        let bySplit = Score(midi: file, split: .pitch(73))
        XCTAssertEqual(bySplit.melody.map(\.pitch), [74])
    }

    func testAutoSplitByTrackPitch() {
        let low = MIDITrack(events: [MIDITrackEvent(tick: 0, event: .noteOn(channel: 0, key: 40, velocity: 80)),
                                     MIDITrackEvent(tick: 480, event: .noteOff(channel: 0, key: 40, velocity: 0))])
        let high = MIDITrack(events: [MIDITrackEvent(tick: 0, event: .noteOn(channel: 0, key: 80, velocity: 80)),
                                      MIDITrackEvent(tick: 480, event: .noteOff(channel: 0, key: 80, velocity: 0))])
        let score = Score(midi: MIDIFile(format: 1, ticksPerQuarter: 96, tracks: [high, low]))
        XCTAssertEqual(score.chords.map(\.pitch), [40])
        XCTAssertEqual(score.melody.map(\.pitch), [80])
    }

    func testOddPPQIsDoubled() {
        let t = MIDITrack(events: [MIDITrackEvent(tick: 0, event: .noteOn(channel: 0, key: 70, velocity: 80)),
                                   MIDITrackEvent(tick: 3, event: .noteOff(channel: 0, key: 70, velocity: 0))])
        let score = Score(midi: MIDIFile(format: 0, ticksPerQuarter: 3, tracks: [t]))
        XCTAssertEqual(score.ticksPerQuarter, 6)
        XCTAssertEqual(score.melody.first?.duration, 6)
    }

    func testPianoRollShowsBarsChordsAndNotes() {
        let slices = EckCorpus.chorus(0)
        let text = PianoRoll(slices: slices, encoding: .eck).render()
        for label in [" 1 C7", " 2 F7", " 9 Dm7", " 10 G7", " 12 G7"] { XCTAssertTrue(text.contains(label), label) }
        let melodyRows = text.split(separator: "\n").filter { $0.hasPrefix("C4 ") || $0.hasPrefix("Eb4") || $0.hasPrefix("F4 ")
            || $0.hasPrefix("G4 ") || $0.hasPrefix("Bb4") || $0.hasPrefix("C5 ") }
        let struck = melodyRows.reduce(0) { $0 + $1.filter { $0 == "o" }.count }
        XCTAssertEqual(struck, 48, "48 quarter notes struck")
        let e3 = text.split(separator: "\n").filter { $0.hasPrefix("E3 ") }
        XCTAssertEqual(e3.count, 3, "three lines of four bars")
        XCTAssertEqual(e3.reduce(0) { $0 + $1.filter { $0 == "o" }.count }, 6, "E3 is struck once in each of the 6 C7 bars")
        XCTAssertEqual(e3.reduce(0) { $0 + $1.filter { $0 == "-" }.count }, 42, "and held for the other 7 slices")
    }
}
