import Foundation
import MusicCore
import TOMLKit

extension Preset {
    /// Reads a preset file. Every key is optional (a missing one keeps its default); an
    /// unknown key, a value of the wrong type or out of range is an error naming the file,
    /// the key and what was expected.
    public static func load(path: String) throws -> Preset {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw PresetError(file: path, key: nil, reason: "cannot read the file (\(error.localizedDescription))")
        }
        return try Preset(toml: text, file: path)
    }

    /// Parses preset TOML; `file` names the source in errors.
    public init(toml: String, file: String) throws {
        let root: TOMLTable
        do {
            try TOMLPrecheck.check(toml)
        } catch {
            throw PresetError(file: file, key: nil, line: error.line, column: error.column, reason: "not valid TOML: \(error.reason)")
        }
        do {
            root = try TOMLTable(string: toml)
        } catch let error as TOMLParseError {
            throw PresetError(file: file, key: nil, line: error.source.begin.line, column: error.source.begin.column,
                              reason: "not valid TOML: \(error.description)")
        }
        let reader = TableReader(file: file, table: root, path: "")
        self.init()
        var explicitPassThroughChannel: UInt8?
        try reader.allow(["session", "listen", "clock", "control", "alsa", "chords", "melody", "sampling", "model", "sound", "band", "web"])

        if let s = try reader.table("session") {
            try s.allow(["name", "mode", "key", "tempo", "swing", "call_bars", "response_bars", "pass_through", "pass_through_channel", "chord_split", "learn", "form"])
            learn = try s.choice("learn", Learning.self) ?? learn
            name = try s.string("name") ?? name
            mode = try s.choice("mode", Mode.self) ?? mode
            if let text = try s.string("key") {
                if text.lowercased() == "auto" {
                    followKey = true
                } else {
                    guard let k = Key(text) else { throw s.error("key", "\"auto\" or a key such as \"C\", \"Bb\", \"F#\" or \"Am\", found \"\(text)\"") }
                    key = k
                    followKey = false
                }
            }
            if let text = try s.string("form") {
                do { form = try FormChoice(text) } catch {
                    throw s.error("form", "\"model\", \"free\", a form (\(ChordForm.shipped.map(\.name).joined(separator: ", "))) or a chart such as \"C7 | F7 | C7 | G7 |\" (\(error))")
                }
            }
            tempoBPM = try s.number("tempo", in: 20...400, unit: "beats per minute") ?? tempoBPM
            if s.value("swing")?.string == "auto" {
                followSwing = true
            } else {
                swing = try s.number("swing", in: 0.5...0.75, unit: "(0.5 straight, 0.67 triplet swing), or \"auto\"") ?? swing
            }
            callBars = try s.integer("call_bars", in: 0...96) ?? callBars
            responseBars = try s.integer("response_bars", in: 0...96) ?? responseBars
            passThrough = try s.bool("pass_through") ?? passThrough
            explicitPassThroughChannel = try s.integer("pass_through_channel", in: 1...16).map { UInt8($0 - 1) }
            if let split = try s.integer("chord_split", in: 0...127) { chordSplit = split == 0 ? nil : UInt8(split) }
        }
        if let l = try reader.table("listen") {
            try l.allow(["develop", "register", "dynamics", "held_note_timeout"])
            develop = try l.number("develop", in: 0...2, unit: "(0: the model alone, 1: answers develop the call)") ?? develop
            followRegister = try l.bool("register") ?? followRegister
            followDynamics = try l.bool("dynamics") ?? followDynamics
            if let t = try l.number("held_note_timeout", in: 0...600, unit: "seconds (0: never)") { heldNoteTimeout = t == 0 ? nil : t }
        }
        if let c = try reader.table("clock") {
            try c.allow(["follow", "send"])
            // follow = true (or "midi"): an external MIDI clock; "player": the player's own beat.
            if let v = c.value("follow"), let text = v.string {
                switch text {
                case "midi": followClock = true
                case "player": followPlayer = true
                case "off": break
                default: throw c.error("follow", "\"player\", \"midi\", \"off\", true or false, found \"\(text)\"")
                }
            } else {
                followClock = try c.bool("follow") ?? followClock
            }
            sendClock = try c.bool("send") ?? sendClock
            if followClock && sendClock {
                throw c.error("send", "not both following and sending a clock (follow = true already)")
            }
        }
        if let c = try reader.table("control") {
            try c.allow(["temperature", "mode", "tempo", "panic", "learn_reset", "tap"])
            func controller(_ k: String, _ current: UInt8?) throws -> UInt8? {
                guard let n = try c.integer(k, in: -1...127) else { return current }
                return n < 0 ? nil : UInt8(n)
            }
            temperatureController = try controller("temperature", temperatureController)
            modeController = try controller("mode", modeController)
            tempoController = try controller("tempo", tempoController)
            panicController = try controller("panic", panicController)
            learnResetController = try controller("learn_reset", learnResetController)
            tapController = try controller("tap", tapController)
        }
        if let a = try reader.table("alsa") {
            try a.allow(["client_name", "inputs", "outputs"])
            clientName = try a.string("client_name") ?? clientName
            if clientName.isEmpty || clientName.utf8.count > 63 { throw a.error("client_name", "a name of 1 to 63 bytes") }
            inputs = try a.strings("inputs") ?? inputs
            outputs = try a.strings("outputs") ?? outputs
        }
        for part in ["chords", "melody"] {
            guard let p = try reader.table(part) else { continue }
            try p.allow(["channel", "program"])
            let channel = try p.integer("channel", in: 1...16).map { UInt8($0 - 1) }
            let program = try p.integer("program", in: 1...128).map { UInt8($0 - 1) }
            if part == "chords" {
                chordChannel = channel ?? chordChannel
                chordProgram = program ?? chordProgram
            } else {
                melodyChannel = channel ?? melodyChannel
                melodyProgram = program ?? melodyProgram
            }
        }
        if let s = try reader.table("sampling") {
            try s.allow(["temperature", "top_k", "chords", "melody", "seed"])
            temperature = try s.number("temperature", in: 0.05...10, unit: "") ?? temperature
            topK = try s.integer("top_k", in: 0...1000) ?? topK
            chordSampling = try s.choice("chords", ChordSampling.self) ?? chordSampling
            melodySampling = try s.choice("melody", MelodySampling.self) ?? melodySampling
            seed = try s.integer("seed", in: 0...Int.max).map { UInt64($0) } ?? seed
        }
        if let b = try reader.table("band") {
            try b.allow(["drums", "bass", "comping", "comping_rhythm", "count_in", "click", "bass_channel", "bass_program", "comping_channel", "comping_program"])
            drums = try b.choice("drums", Drums.self) ?? drums
            bass = try b.choice("bass", Bass.self) ?? bass
            comping = try b.choice("comping", CompingVoicing.self) ?? comping
            compingRhythm = try b.choice("comping_rhythm", CompingRhythm.self) ?? compingRhythm
            countInBars = try b.integer("count_in", in: 0...8) ?? countInBars
            click = try b.bool("click") ?? click
            bassChannel = try b.integer("bass_channel", in: 1...16).map { UInt8($0 - 1) } ?? bassChannel
            bassProgram = try b.integer("bass_program", in: 1...128).map { UInt8($0 - 1) } ?? bassProgram
            compingChannel = try b.integer("comping_channel", in: 1...16).map { UInt8($0 - 1) } ?? compingChannel
            compingProgram = try b.integer("comping_program", in: 1...128).map { UInt8($0 - 1) } ?? compingProgram
            for (k, c) in [("bass_channel", bassChannel), ("comping_channel", compingChannel)] where c == 9 || c == chordChannel || c == melodyChannel {
                throw b.error(k, "a channel of its own (not 10, the drums', nor the chords' \(chordChannel + 1) or the melody's \(melodyChannel + 1)), found \(c + 1)")
            }
            if bass != .off && comping != .off && bassChannel == compingChannel {
                throw b.error("comping_channel", "a channel other than the bass's \(bassChannel + 1)")
            }
        }
        if let m = try reader.table("model") {
            try m.allow(["file"])
            modelFile = try m.path("file", relativeTo: file) ?? modelFile
        }
        if let s = try reader.table("sound") {
            try s.allow(["soundfont", "output", "audio_driver", "audio_device", "sample_rate", "gain", "reverb", "chorus", "polyphony"])
            soundfont = try s.path("soundfont", relativeTo: file) ?? soundfont
            output = try s.choice("output", Output.self) ?? output
            audioDriver = try s.choice("audio_driver", AudioDriver.self) ?? audioDriver
            if let device = try s.string("audio_device") { audioDevice = device.isEmpty ? nil : device }
            if let rate = try s.integer("sample_rate", in: 44100...48000) {
                guard rate == 44100 || rate == 48000 else { throw s.error("sample_rate", "44100 or 48000, found \(rate)") }
                sampleRate = rate
            }
            gain = try s.number("gain", in: 0...10, unit: "") ?? gain
            reverb = try s.bool("reverb") ?? reverb
            chorus = try s.bool("chorus") ?? chorus
            polyphony = try s.integer("polyphony", in: 1...65535) ?? polyphony
        }
        if let w = try reader.table("web") {
            try w.allow(["listen", "token"])
            if let listen = try w.string("listen") {
                if !listen.isEmpty, WebAddress(listen) == nil {
                    throw w.error("listen", "\"\" (off) or an address and port such as \"127.0.0.1:8737\", \"[::1]:8737\" or \"0.0.0.0:8737\", found \"\(listen)\"")
                }
                webListen = listen
            }
            if let token = try w.string("token") {
                if !token.isEmpty, let problem = WebAddress.tokenProblem(token) { throw w.error("token", problem) }
                webToken = token.isEmpty ? nil : token
            }
            if let address = WebAddress(webListen), !address.isLoopback, webToken == nil {
                throw w.error("token", "a token (web.token, 16 or more characters) since web.listen \"\(webListen)\" is not a loopback address")
            }
        }
        if chordChannel == melodyChannel {
            throw PresetError(file: file, key: "melody.channel",
                              reason: "expected a channel other than the chords' channel \(chordChannel + 1)")
        }
        // Unless the preset names one: the first channel from 3 up that improv does not use
        // (not 10, General MIDI's drums).
        passThroughChannel = explicitPassThroughChannel
            ?? (UInt8(2)..<16).first { c in
                c != chordChannel && c != melodyChannel && c != 9
                    && !(bass != .off && c == bassChannel) && !(comping != .off && c == compingChannel)
            }!
        if passThrough && (passThroughChannel == chordChannel || passThroughChannel == melodyChannel) {
            throw PresetError(file: file, key: "session.pass_through_channel",
                              reason: "expected a channel other than improv's (chords \(chordChannel + 1), melody \(melodyChannel + 1)), found \(passThroughChannel + 1)")
        }
    }
}

/// Typed, checked access to one TOML table, naming the file and the dotted key in errors.
struct TableReader {
    let file: String
    let table: TOMLTable
    let path: String

    func key(_ k: String) -> String { path.isEmpty ? k : "\(path).\(k)" }

    func error(_ k: String, _ expected: String) -> PresetError {
        PresetError(file: file, key: key(k), reason: "expected \(expected)")
    }

    /// Refuses keys this table does not know (a typo would otherwise be silently ignored).
    func allow(_ known: [String]) throws {
        for k in table.keys where !known.contains(k) {
            throw PresetError(file: file, key: key(k), reason: "unknown key; expected one of: \(known.joined(separator: ", "))")
        }
    }

    func value(_ k: String) -> TOMLValueConvertible? { table[k] }

    func table(_ k: String) throws -> TableReader? {
        guard let v = value(k) else { return nil }
        guard let t = v.table else { throw error(k, "a table [\(key(k))], found a \(v.type)") }
        return TableReader(file: file, table: t, path: key(k))
    }

    func string(_ k: String) throws -> String? {
        guard let v = value(k) else { return nil }
        guard let s = v.string else { throw error(k, "a string in quotes, found a \(v.type)") }
        return s
    }

    func bool(_ k: String) throws -> Bool? {
        guard let v = value(k) else { return nil }
        guard let b = v.bool else { throw error(k, "true or false, found a \(v.type)") }
        return b
    }

    func number(_ k: String, in range: ClosedRange<Double>, unit: String) throws -> Double? {
        guard let v = value(k) else { return nil }
        guard let d = v.double ?? v.int.map(Double.init) else { throw error(k, "a number, found a \(v.type)") }
        guard range.contains(d) else {
            throw error(k, "a number from \(range.lowerBound) to \(range.upperBound)\(unit.isEmpty ? "" : " " + unit), found \(d)")
        }
        return d
    }

    func integer(_ k: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let v = value(k) else { return nil }
        guard let i = v.int else { throw error(k, "a whole number, found a \(v.type)") }
        guard range.contains(i) else { throw error(k, "a whole number from \(range.lowerBound) to \(range.upperBound), found \(i)") }
        return i
    }

    func choice<T: RawRepresentable & CaseIterable>(_ k: String, _: T.Type) throws -> T? where T.RawValue == String {
        guard let s = try string(k) else { return nil }
        guard let c = T(rawValue: s) else {
            throw error(k, "one of \(T.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")), found \"\(s)\"")
        }
        return c
    }

    func strings(_ k: String) throws -> [String]? {
        guard let v = value(k) else { return nil }
        if let s = v.string { return [s] }
        guard let a = v.array else { throw error(k, "a string or an array of strings, found a \(v.type)") }
        return try a.map { item in
            guard let s = item.string else { throw error(k, "an array of strings, found an element that is a \(item.type)") }
            return s
        }
    }

    /// A file path; a relative one is taken from the preset's own folder. "" means "the default".
    func path(_ k: String, relativeTo presetFile: String) throws -> String? {
        guard let s = try string(k) else { return nil }
        if s.isEmpty { return nil }
        if s.hasPrefix("/") { return s }
        let dir = (presetFile as NSString).deletingLastPathComponent
        return dir.isEmpty ? s : (dir as NSString).appendingPathComponent(s)
    }
}
