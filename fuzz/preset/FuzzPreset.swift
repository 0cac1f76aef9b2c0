import Foundation
import FuzzSupport
import Presets

// TOML text -> Preset. Properties: never traps; every error is a PresetError naming the file;
// a preset that loads keeps every value in the range the loader promises.

/// Runs one input (called by fuzz/main for IMPROV_FUZZ_TARGET=preset).
public func fuzzPreset(_ input: [UInt8]) {
    let text = String(decoding: input, as: UTF8.self)
    let preset: Preset
    do {
        preset = try Preset(toml: text, file: "fuzz.toml")
    } catch let error as PresetError {
        guard error.file == "fuzz.toml", error.description.hasPrefix("fuzz.toml") else {
            fuzzFailure("error does not name the file: \(error)")
        }
        return
    } catch {
        fuzzFailure("an error that is not a PresetError: \(error)")
    }
    check(preset)
}

/// The ranges `Preset(toml:file:)` documents for each key.
func check(_ p: Preset) {
    func expect(_ ok: Bool, _ what: String) { if !ok { fuzzFailure("loaded preset has \(what)") } }
    expect((20...400).contains(p.tempoBPM), "tempo \(p.tempoBPM)")
    expect((0.5...0.75).contains(p.swing), "swing \(p.swing)")
    expect((0...96).contains(p.callBars) && (0...96).contains(p.responseBars), "bars \(p.callBars)/\(p.responseBars)")
    expect(p.chordSplit.map { (1...127).contains($0) } ?? true, "chord split \(String(describing: p.chordSplit))")
    expect(!(p.followClock && p.sendClock), "both follow and send clock")
    for c in [p.temperatureController, p.modeController, p.tempoController, p.panicController] {
        expect(c.map { $0 <= 127 } ?? true, "controller \(String(describing: c))")
    }
    expect(!p.clientName.isEmpty && p.clientName.utf8.count <= 63, "client name \(p.clientName)")
    expect(p.chordChannel <= 15 && p.melodyChannel <= 15 && p.chordChannel != p.melodyChannel, "channels \(p.chordChannel)/\(p.melodyChannel)")
    expect(p.chordProgram <= 127 && p.melodyProgram <= 127, "programs \(p.chordProgram)/\(p.melodyProgram)")
    expect((0.05...10).contains(p.temperature), "temperature \(p.temperature)")
    expect((0...1000).contains(p.topK), "top_k \(p.topK)")
    expect(p.sampleRate == 44100 || p.sampleRate == 48000, "sample rate \(p.sampleRate)")
    expect((0...10).contains(p.gain), "gain \(p.gain)")
    expect((1...65535).contains(p.polyphony), "polyphony \(p.polyphony)")
}

/// The shipped presets, and one that sets every key (each must load).
public func presetSeeds() throws -> [(name: String, bytes: [UInt8])] {
    let folder = repositoryRoot.appendingPathComponent("presets")
    var seeds: [(name: String, bytes: [UInt8])] = []
    for name in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() where name.hasSuffix(".toml") {
        seeds.append((name, [UInt8](try Data(contentsOf: folder.appendingPathComponent(name)))))
    }
    let everyKey = """
        [session]
        name = "every key"
        mode = "duet"
        key = "F#m"
        tempo = 96.5
        swing = 0.67
        call_bars = 4
        response_bars = 8
        pass_through = true
        chord_split = 0

        [clock]
        follow = true
        send = false

        [control]
        temperature = -1
        mode = 20
        tempo = 21
        panic = 127

        [alsa]
        client_name = "improv fuzz"
        inputs = ["USB Keyboard", "24:0"]
        outputs = ["FLUID Synth"]

        [chords]
        channel = 3
        program = 25

        [melody]
        channel = 16
        program = 128

        [sampling]
        temperature = 0.8
        top_k = 7
        chords = "bernoulli"
        melody = "argmax"
        seed = 42

        [model]
        file = "../models/default.safetensors"

        [sound]
        soundfont = "/usr/share/sounds/sf2/FluidR3_GM.sf2"
        output = "both"
        audio_driver = "pipewire"
        audio_device = "hw:0"
        sample_rate = 44100
        gain = 0.5
        reverb = false
        chorus = true
        polyphony = 64

        """
    seeds.append(("every-key.toml", Array(everyKey.utf8)))
    seeds.append(("inline-tables.toml", Array("session = { tempo = 140, key = \"Bb\" }\nsound.gain = 1.5\n".utf8)))
    for seed in seeds {
        _ = try Preset(toml: String(decoding: seed.bytes, as: UTF8.self), file: seed.name)
    }
    return seeds
}
