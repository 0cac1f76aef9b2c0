import Composer
import Engine
import Foundation
import MusicCore
import XCTest
@testable import Synth

/// The daemon's real-time path with FluidSynth and without ALSA, on three threads:
/// - FluidSynth's `file` audio driver renders from its own thread in real time, as a sound
///   card's driver would; that thread also runs FluidSynth's sequencer, so it plays the events;
/// - a loop thread owns the engine, as `LiveDaemon.run` (Sources/Daemon) does: it takes what arrived on the input,
///   lets the engine finish slices up to the clock and sleeps until the next deadline. Its clock
///   is the system's, tempo-scaled, as the ALSA queue's is in the daemon (the synth's sample clock
///   runs beside it, as a sound card's does);
/// - a player thread plays notes and turns the preset's controllers (temperature, mode, tempo,
///   panic) through the input, the way a keyboard reaches the daemon, then stops the loop the
///   way the signal handler does.
/// Under ThreadSanitizer (`make test-tsan`) this is where a race between them would show.
final class LiveEngineTests: XCTestCase {
    /// The preset's default controller numbers (Presets' `Preset`).
    static let temperatureCC: UInt8 = 1, modeCC: UInt8 = 80, tempoCC: UInt8 = 81, panicCC: UInt8 = 82

    enum Input {
        case noteOn(key: UInt8), noteOff(key: UInt8), control(UInt8, UInt8)
    }

    /// The input port: the player's thread writes, the loop's thread reads (the kernel's queue
    /// in the daemon). Also the stop flag, set from another thread like StopFlag.
    final class Port: @unchecked Sendable {
        private let lock = NSLock()
        private var queue: [Input] = []
        private var stopped = false
        func send(_ input: Input) { lock.withLock { queue.append(input) } }
        func take() -> [Input] { lock.withLock { defer { queue.removeAll() }; return queue } }
        func stop() { lock.withLock { stopped = true } }
        var isStopped: Bool { lock.withLock { stopped } }
    }

    /// A clock in session ticks on the system's monotonic time, following tempo changes.
    struct TempoClock {
        var ticksPerSecond: Double
        var baseTick = 0.0
        var baseTime = ProcessInfo.processInfo.systemUptime
        var now: Int { Int(baseTick + (ProcessInfo.processInfo.systemUptime - baseTime) * ticksPerSecond) }
        mutating func setTicksPerSecond(_ value: Double) {
            baseTick = Double(now)
            baseTime = ProcessInfo.processInfo.systemUptime
            ticksPerSecond = value
        }
    }

    /// What the loop thread alone uses until it ends: handed over once, never shared.
    final class LoopParts: @unchecked Sendable {
        let engine: Engine, sequencer: SynthSequencer, synth: Synthesizer
        init(engine: Engine, sequencer: SynthSequencer, synth: Synthesizer) {
            self.engine = engine
            self.sequencer = sequencer
            self.synth = synth
        }
    }

    /// What the loop saw, handed back when it ends (joined through `done`).
    final class LoopReport: @unchecked Sendable {
        var maxVoices = 0
        var voicesAfterPanic: [(seconds: Double, voices: Int)] = []
        var panicAt: Date?
        var tempoApplied = 0
        var slicesFinished = 0
        var error: Error?
        let done = DispatchSemaphore(value: 0)
    }

    func testEngineDrivesLiveFluidSynthWhileAnotherThreadPlaysAndTurnsKnobs() throws {
        let wavPath = try temporaryDirectory().appendingPathComponent("live.wav").path
        // 441 frames: the file driver's timer wakes every 10 ms exactly (it rounds to whole ms).
        var synthSettings = SynthSettings(audioDriver: .file, periodSize: 441)
        synthSettings.audioFile = wavPath
        let synth = try Synthesizer(settings: synthSettings)
        try synth.loadSoundfont(path: soundfontPath)
        let startBPM = 150.0
        let ticksPerSecond = SynthOutput.ticksPerSecond(ppq: 480, bpm: startBPM)
        let sequencer = try SynthSequencer(synthesizer: synth, ticksPerSecond: ticksPerSecond)
        let output = try SynthOutput(sequencer: sequencer, ticksPerSecond: ticksPerSecond)

        var settings = Engine.Settings()
        settings.grid = TimeGrid(ticksPerQuarter: 480, tempoBPM: startBPM)
        settings.mode = .backing   // chords from the first slice: sound before the player plays
        settings.melodyChannel = 1
        let engine = Engine(model: try ImprovModel.builtIn(), settings: settings, output: output)
        let port = Port()
        let report = LoopReport()
        XCTAssertEqual(output.startSequencerTick, 0)

        var audio: AudioOutput? = try AudioOutput(synthesizer: synth)   // the driver's thread starts here
        XCTAssertTrue(synth.hasAudioDriver)

        // The daemon's loop: engine, synth output and controllers on this thread only.
        let parts = LoopParts(engine: engine, sequencer: sequencer, synth: synth)
        let loop = Thread {
            defer { report.done.signal() }
            let engine = parts.engine, sequencer = parts.sequencer, synth = parts.synth
            var clock = TempoClock(ticksPerSecond: ticksPerSecond)
            engine.start()
            while !port.isStopped {
                for input in port.take() {
                    let tick = clock.now
                    switch input {
                    case .noteOn(let key): engine.noteOn(channel: 0, key: key, velocity: 90, tick: tick)
                    case .noteOff(let key): engine.noteOff(channel: 0, key: key, tick: tick)
                    case .control(Self.temperatureCC, let value):
                        var sampling = engine.settings.sampling
                        sampling.temperature = Float(0.2 + 1.8 * Double(value) / 127)
                        engine.setSampling(sampling)
                    case .control(Self.modeCC, let value):
                        engine.setMode(value < 43 ? .callAndResponse : value < 86 ? .backing : .duet)
                    case .control(Self.tempoCC, let value):
                        let tps = SynthOutput.ticksPerSecond(ppq: 480, bpm: 40 + Double(value))
                        clock.setTicksPerSecond(tps)
                        do { try sequencer.setTicksPerSecond(tps) } catch { report.error = error }
                        report.tempoApplied += 1
                    case .control(Self.panicCC, let value) where value >= 64:
                        engine.panic()
                        report.panicAt = Date()
                    case .control:
                        break
                    }
                }
                engine.advance(to: clock.now)
                report.slicesFinished = engine.finishedThrough + 1
                let voices = synth.activeVoiceCount
                report.maxVoices = max(report.maxVoices, voices)
                if let panicAt = report.panicAt { report.voicesAfterPanic.append((Date().timeIntervalSince(panicAt), voices)) }
                // Sleep until the next deadline, at most 5 ms (the daemon polls its input as long).
                let seconds = Double(max(0, engine.nextDeadline - clock.now)) / clock.ticksPerSecond
                Thread.sleep(forTimeInterval: min(0.005, max(0.001, seconds)))
            }
            engine.stop()
        }
        loop.start()

        // The player: a melody over the band with the temperature knob moving, then duet, a
        // faster tempo, panic, a quiet wait, and the stop.
        let player = Thread {
            func wait(_ s: Double) { Thread.sleep(forTimeInterval: s) }
            wait(0.4)
            for (i, key) in [72, 74, 76, 79, 76, 74, 72, 67].map(UInt8.init).enumerated() {
                port.send(.noteOn(key: key))
                port.send(.control(Self.temperatureCC, UInt8(20 + 12 * i)))
                wait(0.1)
                port.send(.control(Self.temperatureCC, UInt8(26 + 12 * i)))
                wait(0.1)
                port.send(.noteOff(key: key))
            }
            port.send(.control(Self.modeCC, 100))          // duet
            wait(0.6)
            port.send(.control(Self.tempoCC, 127))         // 167 BPM
            wait(0.6)
            port.send(.control(Self.panicCC, 127))
            wait(2.0)                                      // quiet: improv waits for the player
            port.stop()
        }
        player.start()

        // Generous: ThreadSanitizer slows the engine's model steps several times over.
        XCTAssertEqual(report.done.wait(timeout: .now() + 60), .success, "the loop did not stop")
        audio = nil   // joins the driver's thread and closes the file
        XCTAssertFalse(synth.hasAudioDriver)

        XCTAssertNil(report.error)
        XCTAssertEqual(output.failures, 0, "\(String(describing: output.lastError))")
        XCTAssertGreaterThan(report.slicesFinished, 16, "the engine kept up with the synth's clock")
        XCTAssertGreaterThan(report.maxVoices, 0, "the synth sounded what the engine scheduled")
        // Every knob reached the engine, in order, on the loop's thread.
        XCTAssertEqual(engine.settings.mode, .duet)
        XCTAssertEqual(engine.settings.sampling.temperature, Float(0.2 + 1.8 * Double(26 + 12 * 7) / 127), accuracy: 1e-6)
        XCTAssertEqual(report.tempoApplied, 1)
        XCTAssertEqual(sequencer.ticksPerSecond, SynthOutput.ticksPerSecond(ppq: 480, bpm: 167))
        XCTAssertEqual(sequencer.appliedTicksPerSecond, SynthOutput.ticksPerSecond(ppq: 480, bpm: 167),
                       "the audio thread applied the tempo change")
        // Panic silenced the synth: a second after it, no voice left (releases included), and
        // improv stayed quiet since the player did not play again.
        XCTAssertTrue(engine.quietUntilPlayer)
        let late = report.voicesAfterPanic.filter { $0.seconds > 1.0 }
        XCTAssertFalse(late.isEmpty)
        XCTAssertEqual(late.map(\.voices).max(), 0, "voices still sounding after panic")

        // The driver wrote what it rendered, in real time: sound while the band played.
        let wav = try WAVFile(path: wavPath)
        XCTAssertGreaterThan(wav.seconds, 3.0)
        XCTAssertGreaterThan(wav.rms(0.2, 2.0), 0.001, "the band is audible")
    }
}
