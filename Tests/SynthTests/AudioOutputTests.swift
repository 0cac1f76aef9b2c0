import Engine
import Foundation
import MIDI
import XCTest
@testable import Synth

/// A real-time driver renders the synth from its own thread for as long as it exists, and one
/// that cannot open its device is an error naming the call (never a crash or a hang): both
/// pinned on any machine, sound card or not.
final class AudioOutputTests: XCTestCase {
    func testADeviceThatCannotOpenIsAnErrorNamingTheCall() throws {
        var settings = SynthSettings(audioDriver: .alsa, periodSize: 256)
        settings.alsaDevice = "hw:CARD=improvNoSuchCard"
        let synth = try Synthesizer(settings: settings)
        XCTAssertThrowsError(try AudioOutput(synthesizer: synth)) { error in
            guard case SynthError.callFailed(let call, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(call, "new_fluid_audio_driver")
            XCTAssertTrue("\(error)".hasPrefix("FluidSynth: new_fluid_audio_driver failed"), "\(error)")
            XCTAssertTrue("\(error)".contains("improvNoSuchCard"), "the message names the device: \(error)")
        }
        XCTAssertFalse(synth.hasAudioDriver, "no driver renders this synth")
    }

    func testTheDriverRendersWhileItExistsAndStopsWhenReleased() throws {
        let wavPath = try temporaryDirectory().appendingPathComponent("out.wav").path
        // The file driver renders in real time from its own thread, as a sound card's would.
        var settings = SynthSettings(audioDriver: .file, periodSize: 441)
        settings.audioFile = wavPath
        let synth = try Synthesizer(settings: settings)
        _ = try synth.loadSoundfont(path: soundfontPath)
        // The sequencer's clock is the rendered audio: an A4 at 0.3 s of sound, however loaded
        // the machine, and only if the driver renders.
        let sequencer = try SynthSequencer(synthesizer: synth, ticksPerSecond: 1000)
        let a4: ChannelMessage = .noteOn(channel: 0, key: 69, velocity: 110)
        try sequencer.send(a4, atTick: 300)
        var output: AudioOutput? = try AudioOutput(synthesizer: synth)
        XCTAssertTrue(synth.hasAudioDriver)
        let start = Date()
        Thread.sleep(forTimeInterval: 0.9)
        output = nil   // joins the driver's thread and closes the file
        let alive = Date().timeIntervalSince(start)
        XCTAssertNil(output)
        XCTAssertFalse(synth.hasAudioDriver)
        let size = try FileManager.default.attributesOfItem(atPath: wavPath)[.size] as? Int ?? 0
        Thread.sleep(forTimeInterval: 0.2)
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: wavPath)[.size] as? Int, size,
                       "nothing renders once the driver is gone")

        let wav = try WAVFile(path: wavPath)
        // Real time: about as many seconds of audio as the driver lived (a loaded machine may
        // fall a little behind, never run ahead).
        XCTAssertLessThanOrEqual(wav.seconds, alive + 0.05)
        XCTAssertGreaterThan(wav.seconds, 0.5 * alive)
        XCTAssertLessThan(wav.peak(0, 0.28), 0.001, "silent until the note's time")
        let sounding = (0.32, min(wav.seconds, 0.8))
        XCTAssertGreaterThan(wav.rms(sounding.0, sounding.1), 0.003, "the note sounds from its time on")
        XCTAssertGreaterThan(wav.bandPower(at: 440, sounding.0, sounding.1), 20 * wav.bandPower(at: 311, sounding.0, sounding.1),
                             "at its pitch")
    }
}
