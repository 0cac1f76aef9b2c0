import Foundation
import XCTest
@testable import Synth

/// Real audio through improv's soundfont: scheduled with `SynthOutput` on FluidSynth's
/// sequencer, rendered by `OfflineRenderer`, read back and analysed.
final class RenderTests: XCTestCase {
    struct Note {
        var key: Int
        var start: Double
        var duration: Double
        var channel: UInt8 = 0
    }

    /// PPQ 480 at 120 bpm, as an improv session would run.
    static let ticksPerSecond = SynthOutput.ticksPerSecond(ppq: 480, bpm: 120)

    func render(_ notes: [Note], programs: [UInt8: UInt8] = [0: 0], settings: SynthSettings = SynthSettings(),
                format: WAVSampleFormat = .int16) throws -> (RenderSummary, WAVFile) {
        let path = try temporaryDirectory().appendingPathComponent("out.wav").path
        let synth = try Synthesizer(settings: settings, offline: true)
        try synth.loadSoundfont(path: soundfontPath)
        let output = try SynthOutput(sequencer: SynthSequencer(synthesizer: synth), ticksPerSecond: Self.ticksPerSecond)
        for (channel, program) in programs { output.schedule(.programChange(channel: channel, program: program), atTick: 0) }
        for note in notes {
            output.schedule(.noteOn(channel: note.channel, key: UInt8(note.key), velocity: 100), atTick: tick(note.start))
            output.schedule(.noteOff(channel: note.channel, key: UInt8(note.key)), atTick: tick(note.start + note.duration))
        }
        XCTAssertEqual(output.failures, 0)
        let renderer = try OfflineRenderer(sequencer: output.sequencer, to: path, format: format)
        let summary = try renderer.finish()
        return (summary, try WAVFile(path: path))
    }

    func tick(_ seconds: Double) -> Int { Int((seconds * Self.ticksPerSecond).rounded()) }

    let melody = [Note(key: 69, start: 0.25, duration: 0.5), Note(key: 76, start: 1.0, duration: 0.5)]

    func testSixteenBitHeaderLengthAndLevel() throws {
        let (summary, wav) = try render(melody)
        XCTAssertEqual(wav.formatTag, 1)
        XCTAssertEqual(wav.channels, 2)
        XCTAssertEqual(wav.sampleRate, 44100)
        XCTAssertEqual(wav.bitsPerSample, 16)
        XCTAssertEqual(wav.blockAlign, 4)
        XCTAssertEqual(wav.byteRate, 44100 * 4)
        XCTAssertEqual(wav.chunkIDs, ["fmt ", "data"])
        XCTAssertEqual(wav.riffSize, wav.fileSize - 8)
        XCTAssertEqual(wav.dataBytes, summary.frames * 4)
        XCTAssertEqual(wav.frames, summary.frames)
        // The last event (E5 off) is at 1.5 s; then the release and reverb, but no long silence.
        XCTAssertEqual(Double(summary.eventsEndFrame) / 44100, 1.5, accuracy: 0.02)
        XCTAssertGreaterThan(wav.seconds, 1.6, "release tail kept")
        XCTAssertLessThan(wav.seconds, 2.6, "silence cut")
        XCTAssertLessThan(wav.peak(wav.seconds - 0.1, wav.seconds), pow(10, -70.0 / 20) + 1.0 / 32768, "ends in silence")
        XCTAssertGreaterThan(wav.rms(0.25, 0.75), 0.01, "A4 is audible")
        XCTAssertGreaterThan(wav.rms(1.0, 1.5), 0.01, "E5 is audible")
        XCTAssertLessThan(wav.rms(0, 0.24), 1e-4, "silence before the first note")
    }

    func testFloatAt48kHz() throws {
        let (summary, wav) = try render(melody, settings: SynthSettings(sampleRate: .hz48000), format: .float32)
        XCTAssertEqual(wav.formatTag, 3)
        XCTAssertEqual(wav.sampleRate, 48000)
        XCTAssertEqual(wav.bitsPerSample, 32)
        XCTAssertEqual(wav.blockAlign, 8)
        XCTAssertEqual(wav.chunkIDs, ["fmt ", "fact", "data"])
        XCTAssertEqual(wav.riffSize, wav.fileSize - 8)
        XCTAssertEqual(wav.frames, summary.frames)
        XCTAssertEqual(wav.seconds, summary.seconds, accuracy: 1e-9)
        XCTAssertGreaterThan(wav.rms(0.25, 0.75), 0.01)
        assertStrongestPitch(wav, key: 69, 0.3, 0.7)
        assertStrongestPitch(wav, key: 76, 1.05, 1.45)
        XCTAssertEqual(wav.onset(near: 1.0), 1.0, accuracy: 0.010)
    }

    func testPianoPlaysTheKeysAsked() throws {
        let (_, wav) = try render(melody)
        assertStrongestPitch(wav, key: 69, 0.3, 0.7)
        assertStrongestPitch(wav, key: 76, 1.05, 1.45)
    }

    func testPianoAcrossTheRange() throws {
        let keys = [40, 52, 61, 67, 79, 88]
        let notes = keys.enumerated().map { Note(key: $1, start: 0.1 + 0.6 * Double($0), duration: 0.5) }
        let (_, wav) = try render(notes)
        for note in notes { assertStrongestPitch(wav, key: note.key, note.start + 0.05, note.start + 0.45) }
    }

    func testChordHasEachToneAboveItsNeighbours() throws {
        let chord = [60, 64, 67].map { Note(key: $0, start: 0.2, duration: 0.8) }
        let (_, wav) = try render(chord)
        for key in [60, 64, 67] {
            let tone = wav.bandPower(at: hz(key), 0.25, 0.95)
            for neighbour in [key - 1, key + 1] where ![60, 64, 67].contains(neighbour) {
                XCTAssertGreaterThan(tone, 2 * wav.bandPower(at: hz(neighbour), 0.25, 0.95), "chord tone \(key) vs \(neighbour)")
            }
        }
        XCTAssertEqual(wav.onset(near: 0.2), 0.2, accuracy: 0.010)
    }

    func testSaxophoneSustainsAtPitch() throws {
        // GM 66 (program 65): alto sax, on channel 1. A long note: the loop must hold it.
        let notes = [Note(key: 57, start: 0.1, duration: 1.5, channel: 1), Note(key: 74, start: 1.8, duration: 0.6, channel: 1)]
        let (summary, wav) = try render(notes, programs: [1: 65])
        assertStrongestPitch(wav, key: 57, 0.2, 0.6)
        assertStrongestPitch(wav, key: 57, 1.1, 1.55)
        assertStrongestPitch(wav, key: 74, 1.9, 2.35)
        // Sustained: as loud at the end of the long note as near its start.
        XCTAssertGreaterThan(wav.rms(1.3, 1.55), 0.5 * wav.rms(0.3, 0.55))
        XCTAssertEqual(wav.onset(near: 1.8), 1.8, accuracy: 0.010)
        XCTAssertLessThan(summary.seconds, 2.4 + 1.5)
    }

    func testBassProgram() throws {
        let (_, wav) = try render([Note(key: 40, start: 0.1, duration: 0.8)], programs: [0: 33])
        assertStrongestPitch(wav, key: 40, 0.15, 0.85)
    }

    func testOnsetsWithinTenMilliseconds() throws {
        // Uneven times, not on block boundaries, with earlier notes still ringing.
        let starts = [0.1, 0.317, 0.5, 0.733, 1.0, 1.111, 1.5]
        let notes = starts.enumerated().map { Note(key: 60 + 3 * $0, start: $1, duration: 0.15) }
        for settings in [SynthSettings(), SynthSettings(sampleRate: .hz48000)] {
            let (_, wav) = try render(notes, settings: settings)
            for start in starts {
                let quantised = Double(tick(start)) / Self.ticksPerSecond
                XCTAssertEqual(wav.onset(near: quantised, search: 0.05), quantised, accuracy: 0.010,
                               "note at \(start) s, \(settings.sampleRate.rawValue) Hz")
            }
        }
    }

    func testSessionTicksAreOffsetFromTheSessionStart() throws {
        // The session starts at engine tick 10 000 while the sequencer is already at 0.5 s.
        let path = try temporaryDirectory().appendingPathComponent("offset.wav").path
        let synth = try Synthesizer(offline: true)
        try synth.loadSoundfont(path: soundfontPath)
        let sequencer = try SynthSequencer(synthesizer: synth)
        let renderer = try OfflineRenderer(sequencer: sequencer, to: path)
        try renderer.render(untilSeconds: 0.5)
        let output = try SynthOutput(sequencer: sequencer, ticksPerSecond: Self.ticksPerSecond, sessionStartTick: 10_000)
        // The clock runs on across the scale change (it was in ms): the session starts at "now".
        XCTAssertEqual(output.startSequencerTick, sequencer.now)
        XCTAssertEqual(sequencer.ticksPerSecond, Self.ticksPerSecond)
        output.schedule(.noteOn(channel: 0, key: 69, velocity: 100), atTick: 10_000 + 480)   // 0.5 s later
        output.schedule(.noteOff(channel: 0, key: 69), atTick: 10_000 + 960)
        _ = try renderer.finish()
        let wav = try WAVFile(path: path)
        XCTAssertLessThan(wav.rms(0, 0.95), 1e-4)
        XCTAssertEqual(wav.onset(near: 1.0), 1.0, accuracy: 0.010)
        assertStrongestPitch(wav, key: 69, 1.05, 1.45)
    }

    func testDropScheduledSilencesWhatWasPending() throws {
        let path = try temporaryDirectory().appendingPathComponent("drop.wav").path
        let synth = try Synthesizer(offline: true)
        try synth.loadSoundfont(path: soundfontPath)
        let output = try SynthOutput(sequencer: SynthSequencer(synthesizer: synth), ticksPerSecond: Self.ticksPerSecond)
        let starts = stride(from: 0.0, through: 3.0, by: 0.25).map { $0 + 0.1 }
        for (i, start) in starts.enumerated() {
            output.schedule(.noteOn(channel: 0, key: UInt8(60 + i), velocity: 110), atTick: tick(start))
            output.schedule(.noteOff(channel: 0, key: UInt8(60 + i)), atTick: tick(start + 0.1))
        }
        let renderer = try OfflineRenderer(sequencer: output.sequencer, to: path)
        try renderer.render(untilSeconds: 0.9)       // notes at 0.1, 0.35, 0.6, 0.85 have started
        output.dropScheduled()
        output.sendNow(.allNotesOff(channel: 0))      // as panic does: the dropped note-offs
        let summary = try renderer.finish()
        let wav = try WAVFile(path: path)
        XCTAssertGreaterThan(wav.rms(0.6, 0.7), 0.01, "played before the drop")
        XCTAssertLessThan(summary.seconds, 2.0, "ends after the release tail, not after the dropped notes (3.2 s)")
        let before = wav.rms(0.85, 0.9)
        for start in starts where start > 1.3 && start < wav.seconds {
            XCTAssertLessThan(wav.rms(start, start + 0.1), 0.01 * before, "dropped note at \(start) s sounded")
        }
        XCTAssertLessThan(wav.peak(1.6, wav.seconds), pow(10, -60.0 / 20))
    }

    func testSendNowPlaysAtOnce() throws {
        let path = try temporaryDirectory().appendingPathComponent("now.wav").path
        let synth = try Synthesizer(offline: true)
        try synth.loadSoundfont(path: soundfontPath)
        let output = try SynthOutput(sequencer: SynthSequencer(synthesizer: synth), ticksPerSecond: Self.ticksPerSecond)
        let renderer = try OfflineRenderer(sequencer: output.sequencer, to: path)
        try renderer.render(untilSeconds: 0.3)
        output.sendNow(.noteOn(channel: 0, key: 72, velocity: 100))
        try renderer.render(untilSeconds: 0.8)
        output.sendNow(.noteOff(channel: 0, key: 72))
        _ = try renderer.finish()
        let wav = try WAVFile(path: path)
        XCTAssertEqual(wav.onset(near: 0.3), 0.3, accuracy: 0.005)
        assertStrongestPitch(wav, key: 72, 0.35, 0.75)
    }

    func testRepeatedNoteOffAndOnAtTheSameTick() throws {
        // The engine ends a note and restarts the same key at one tick: FluidSynth's queue must
        // play the note-off first, or the new note would be cut (a looped sax note shows it).
        let path = try temporaryDirectory().appendingPathComponent("repeat.wav").path
        let synth = try Synthesizer(offline: true)
        try synth.loadSoundfont(path: soundfontPath)
        let output = try SynthOutput(sequencer: SynthSequencer(synthesizer: synth), ticksPerSecond: Self.ticksPerSecond)
        output.schedule(.programChange(channel: 0, program: 65), atTick: 0)
        output.schedule(.noteOn(channel: 0, key: 60, velocity: 100), atTick: tick(0.1))
        output.schedule(.noteOn(channel: 0, key: 60, velocity: 100), atTick: tick(0.5))   // queued before the off
        output.schedule(.noteOff(channel: 0, key: 60), atTick: tick(0.5))
        output.schedule(.noteOff(channel: 0, key: 60), atTick: tick(1.0))
        _ = try OfflineRenderer(sequencer: output.sequencer, to: path).finish()
        let wav = try WAVFile(path: path)
        XCTAssertGreaterThan(wav.rms(0.7, 0.95), 0.5 * wav.rms(0.2, 0.45), "the second note sustains to 1.0 s")
        XCTAssertLessThan(wav.rms(1.3, 1.4), 0.05 * wav.rms(0.7, 0.95), "and stops after its note-off")
    }
}
