import Foundation
import StandardMIDI
import XCTest
@testable import Synth

final class MIDIFileRenderTests: XCTestCase {
    /// Two tracks: tempo 100 bpm then 150 bpm from beat 4; piano on channel 0, sax (program 65) on channel 1.
    func makeFile() -> MIDIFile {
        let q: UInt64 = 480
        let conductor = MIDITrack(events: [
            MIDITrackEvent(tick: 0, event: .tempo(microsecondsPerQuarter: 600_000)),
            MIDITrackEvent(tick: 4 * q, event: .tempo(microsecondsPerQuarter: 400_000)),
        ])
        let music = MIDITrack(events: [
            MIDITrackEvent(tick: 0, event: .programChange(channel: 1, program: 65)),
            MIDITrackEvent(tick: q, event: .noteOn(channel: 0, key: 69, velocity: 100)),
            MIDITrackEvent(tick: 2 * q, event: .noteOff(channel: 0, key: 69, velocity: 0)),
            MIDITrackEvent(tick: 5 * q, event: .noteOn(channel: 1, key: 62, velocity: 100)),
            MIDITrackEvent(tick: 7 * q, event: .noteOff(channel: 1, key: 62, velocity: 0)),
        ])
        return MIDIFile(ticksPerQuarter: UInt16(q), tracks: [conductor, music])
    }

    func testTempoMap() {
        let map = TempoMap(makeFile())
        XCTAssertEqual(map.seconds(atTick: 480), 0.6, accuracy: 1e-9)
        XCTAssertEqual(map.seconds(atTick: 4 * 480), 2.4, accuracy: 1e-9)
        XCTAssertEqual(map.seconds(atTick: 5 * 480), 2.8, accuracy: 1e-9)
        XCTAssertEqual(map.seconds(atTick: 7 * 480), 3.6, accuracy: 1e-9)
        XCTAssertEqual(TempoMap(MIDIFile(ticksPerQuarter: 96, tracks: [MIDITrack()])).seconds(atTick: 96), 0.5, accuracy: 1e-9)
    }

    func testRenderFileThroughTheSequencer() throws {
        let dir = try temporaryDirectory()
        let midiPath = dir.appendingPathComponent("in.mid").path
        try makeFile().write(path: midiPath)
        let wavPath = dir.appendingPathComponent("out.wav").path
        let summary = try render(midi: MIDIFile.read(path: midiPath), soundfont: soundfontPath, to: wavPath)
        let wav = try WAVFile(path: wavPath)
        XCTAssertEqual(wav.frames, summary.frames)
        XCTAssertEqual(Double(summary.eventsEndFrame) / 44100, 3.6, accuracy: 0.02)
        XCTAssertLessThan(wav.seconds, 3.6 + 1.0)
        XCTAssertEqual(wav.onset(near: 0.6), 0.6, accuracy: 0.010)
        XCTAssertEqual(wav.onset(near: 2.8), 2.8, accuracy: 0.010)
        assertStrongestPitch(wav, key: 69, 0.65, 1.15)
        assertStrongestPitch(wav, key: 62, 2.9, 3.5)
        // The sax sustains (the piano's A4 would have decayed by then).
        XCTAssertGreaterThan(wav.rms(3.3, 3.55), 0.5 * wav.rms(2.9, 3.15))
        XCTAssertFalse(FileManager.default.fileExists(atPath: wavPath + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"))
    }
}
