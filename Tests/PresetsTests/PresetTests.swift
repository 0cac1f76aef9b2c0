import MusicCore
@testable import Presets
import XCTest

final class PresetTests: XCTestCase {
    static let presetsDir = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("presets")

    func testShippedPresetsLoad() throws {
        let cr = try Preset.load(path: Self.presetsDir.appendingPathComponent("blues-call-response.toml").path)
        XCTAssertEqual(cr.mode, .callAndResponse)
        XCTAssertEqual(cr.key, .c)
        XCTAssertEqual(cr.tempoBPM, 120)
        XCTAssertEqual(cr.swing, 0.62, accuracy: 1e-12)
        XCTAssertEqual(cr.melodyProgram, 66, "program 67 in the file is 66 counted from 0")
        XCTAssertEqual(cr.chordChannel, 0)
        XCTAssertEqual(cr.melodyChannel, 1)
        XCTAssertNil(cr.modelFile, "an empty file name means the built-in model")

        let backing = try Preset.load(path: Self.presetsDir.appendingPathComponent("blues-backing.toml").path)
        XCTAssertEqual(backing.mode, .backing)
        XCTAssertEqual(backing.key, Key("F"))
        XCTAssertEqual(backing.topK, 7)
        XCTAssertTrue(backing.passThrough)
        XCTAssertEqual(backing.passThroughChannel, 2, "channel 3 in the file")
    }

    func testTheFormIsTheModelsANamedOneAChartOrFree() throws {
        XCTAssertEqual(Preset().form, .model)
        XCTAssertEqual(try Preset(toml: "[session]\nform = \"minor-blues\"\n", file: "p.toml").form, .chart(.minorBlues))
        XCTAssertEqual(try Preset(toml: "[session]\nform = \"free\"\n", file: "p.toml").form, .free)
        let waltz = try Preset(toml: "[session]\nform = \"3/4 C | F G7 | C |\"\n", file: "p.toml").form
        guard case .chart(let chart) = waltz else { return XCTFail("a chart") }
        XCTAssertEqual(chart.meter, .threeFour)
        XCTAssertEqual(chart.barCount, 3)
        XCTAssertThrowsError(try Preset(toml: "[session]\nform = \"C7 | Q7 |\"\n", file: "p.toml")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.hasPrefix("p.toml: session.form: expected \"model\", \"free\""), text)
            XCTAssertTrue(text.contains("bar 2: \"Q7\" is not a chord symbol"), text)
        }
        let minor = try Preset.load(path: Self.presetsDir.appendingPathComponent("minor-blues.toml").path)
        XCTAssertEqual(minor.form, .chart(.minorBlues))
        XCTAssertEqual(minor.key, Key("Cm"))
        let waltzPreset = try Preset.load(path: Self.presetsDir.appendingPathComponent("folk-waltz.toml").path)
        XCTAssertEqual(waltzPreset.form, .chart(.folkWaltz))
        XCTAssertTrue(waltzPreset.followKey)
    }

    func testPassThroughNeedsAChannelOfItsOwn() throws {
        XCTAssertEqual(try Preset(toml: "[session]\npass_through = true\npass_through_channel = 16\n", file: "p.toml").passThroughChannel, 15)
        XCTAssertThrowsError(try Preset(toml: "[session]\npass_through = true\npass_through_channel = 1\n", file: "p.toml")) { error in
            XCTAssertEqual("\(error)", "p.toml: session.pass_through_channel: expected a channel other than improv's (chords 1, melody 2), found 1")
        }
        XCTAssertThrowsError(try Preset(toml: "[session]\npass_through_channel = 17\n", file: "p.toml"))
        let moved = try Preset(toml: "[session]\npass_through = true\n[chords]\nchannel = 3\n[melody]\nchannel = 4\n", file: "p.toml")
        XCTAssertEqual(moved.passThroughChannel, 4, "by default the first channel from 3 that improv leaves free (5)")
    }

    func testEmptyPresetTakesTheDefaults() throws {
        XCTAssertEqual(try Preset(toml: "", file: "empty.toml"), Preset())
        let p = try Preset(toml: "[session]\ntempo = 90.5\n", file: "t.toml")
        XCTAssertEqual(p.tempoBPM, 90.5)
        XCTAssertEqual(p.mode, .callAndResponse)
    }

    func testEveryKeyIsRead() throws {
        let toml = """
            [session]
            name = "x"
            mode = "duet"
            key = "Bbm"
            tempo = 100
            swing = 0.66
            call_bars = 4
            response_bars = 8
            pass_through = true
            [alsa]
            client_name = "jam"
            inputs = ["USB Keyboard", "20:0"]
            outputs = "128:0"
            [chords]
            channel = 3
            program = 5
            [melody]
            channel = 10
            program = 128
            [sampling]
            temperature = 0.7
            top_k = 7
            chords = "bernoulli"
            melody = "argmax"
            seed = 99
            [model]
            file = "models/mine.safetensors"
            [sound]
            soundfont = "/usr/share/sounds/sf2/FluidR3_GM.sf2"
            """
        let p = try Preset(toml: toml, file: "/etc/improv/presets/x.toml")
        XCTAssertEqual(p.name, "x")
        XCTAssertEqual(p.mode, .duet)
        XCTAssertEqual(p.key, Key(tonic: 10, minor: true))
        XCTAssertEqual(p.callBars, 4)
        XCTAssertEqual(p.responseBars, 8)
        XCTAssertEqual(p.clientName, "jam")
        XCTAssertEqual(p.inputs, ["USB Keyboard", "20:0"])
        XCTAssertEqual(p.outputs, ["128:0"])
        XCTAssertEqual(p.chordChannel, 2)
        XCTAssertEqual(p.chordProgram, 4)
        XCTAssertEqual(p.melodyChannel, 9)
        XCTAssertEqual(p.melodyProgram, 127)
        XCTAssertEqual(p.temperature, 0.7)
        XCTAssertEqual(p.chordSampling, .bernoulli)
        XCTAssertEqual(p.melodySampling, .argmax)
        XCTAssertEqual(p.seed, 99)
        XCTAssertEqual(p.modelFile, "/etc/improv/presets/models/mine.safetensors", "relative to the preset's folder")
        XCTAssertEqual(p.soundfont, "/usr/share/sounds/sf2/FluidR3_GM.sf2")
    }

    func assertError(_ toml: String, key: String?, contains text: String, line: Int? = nil,
                     file: StaticString = #filePath, lineNo: UInt = #line) {
        XCTAssertThrowsError(try Preset(toml: toml, file: "bad.toml"), file: file, line: lineNo) { error in
            guard let e = error as? PresetError else { return XCTFail("not a PresetError: \(error)", file: file, line: lineNo) }
            XCTAssertEqual(e.file, "bad.toml", file: file, line: lineNo)
            XCTAssertEqual(e.key, key, file: file, line: lineNo)
            if let line { XCTAssertEqual(e.line, line, file: file, line: lineNo) }
            XCTAssertTrue(e.description.contains(text), "\(e.description) lacks \(text)", file: file, line: lineNo)
            XCTAssertTrue(e.description.hasPrefix("bad.toml"), file: file, line: lineNo)
        }
    }

    func testWrongValuesNameTheKeyAndWhatWasExpected() {
        assertError("[session]\ntempo = 900", key: "session.tempo", contains: "from 20.0 to 400.0")
        assertError("[session]\ntempo = \"fast\"", key: "session.tempo", contains: "expected a number")
        assertError("[session]\nmode = \"solo\"", key: "session.mode", contains: "\"call-and-response\", \"backing\", \"duet\"")
        assertError("[session]\nkey = \"H\"", key: "session.key", contains: "a key such as")
        assertError("[session]\ntempoo = 100", key: "session.tempoo", contains: "unknown key; expected one of: name, mode")
        assertError("[sesion]\ntempo = 100", key: "sesion", contains: "unknown key")
        assertError("[chords]\nchannel = 17", key: "chords.channel", contains: "from 1 to 16, found 17")
        assertError("[melody]\nprogram = 0", key: "melody.program", contains: "from 1 to 128")
        assertError("[melody]\nchannel = 1", key: "melody.channel", contains: "other than the chords' channel 1")
        assertError("[sampling]\ntop_k = 2.5", key: "sampling.top_k", contains: "a whole number")
        assertError("[alsa]\ninputs = [1, 2]", key: "alsa.inputs", contains: "array of strings")
        assertError("session = 3", key: "session", contains: "a table [session]")
        assertError("[session]\nswing = 0.9", key: "session.swing", contains: "0.5 to 0.75")
    }

    func testClockAndControllers() throws {
        let p = try Preset(toml: "[session]\nchord_split = 0\n[clock]\nfollow = true\n[control]\ntemperature = -1\npanic = 64\n", file: "c.toml")
        XCTAssertNil(p.chordSplit)
        XCTAssertTrue(p.followClock)
        XCTAssertNil(p.temperatureController)
        XCTAssertEqual(p.panicController, 64)
        XCTAssertEqual(p.modeController, 80, "unmentioned keys keep their defaults")
        assertError("[clock]\nfollow = true\nsend = true", key: "clock.send", contains: "not both")
        assertError("[control]\nmode = 128", key: "control.mode", contains: "from -1 to 127")
    }

    func testSoundSettings() throws {
        let p = try Preset(toml: "[sound]\noutput = \"both\"\naudio_device = \"hw:Loopback,0\"\nsample_rate = 44100\ngain = 0.8\nreverb = false\n", file: "s.toml")
        XCTAssertEqual(p.output, .both)
        XCTAssertEqual(p.audioDevice, "hw:Loopback,0")
        XCTAssertEqual(p.sampleRate, 44100)
        XCTAssertEqual(p.gain, 0.8)
        XCTAssertFalse(p.reverb)
        assertError("[sound]\nsample_rate = 46000", key: "sound.sample_rate", contains: "44100 or 48000")
        assertError("[sound]\noutput = \"speakers\"", key: "sound.output", contains: "\"alsa\", \"fluidsynth\", \"both\"")
    }

    func testSyntaxErrorGivesTheLine() {
        assertError("[session]\ntempo = 120\nkey = \"C\n", key: nil, contains: "not valid TOML", line: 3)
    }

    func testMissingFileIsNamed() {
        XCTAssertThrowsError(try Preset.load(path: "/nonexistent/p.toml")) { error in
            XCTAssertTrue("\(error)".hasPrefix("/nonexistent/p.toml: cannot read the file"), "\(error)")
        }
    }
}
