import ArgumentParser
import AtomicFiles
import Composer
import Engine
import Foundation
import MIDI
import MusicCore
import Presets
import StandardMIDI
import Pictures
import Synth

struct JamCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jam",
        abstract: "A whole jam offline: the engine answers a recorded call, as fast as the machine goes.",
        discussion: """
            The call (the player's part) is a MIDI file, or the two-lick call improv ships with. The \
            engine runs in simulated time exactly as it does live, and the session (the call on its own \
            channel, improv's chords and melody) is written as MIDI and rendered through FluidSynth to WAV.
            """
    )

    @Option(help: "The player's part as a MIDI file (all its notes are the player's); default: improv's own call.")
    var call: String?

    @OptionGroup var session: SessionOptions

    @Option(help: "Seed of the sampling (default: the preset's, else 1).")
    var seed: UInt64?

    @Option(help: "Write the session as a MIDI file.")
    var midi: String?

    @Option(help: "Render the session to a WAV file.")
    var wav: String?

    @Option(help: "Draw the session as an SVG piano roll (the player's calls and improv's answers in their own colours).")
    var svg: String?

    @OptionGroup var audio: AudioOptions

    @Option(help: "The channel (1-16) of the player's part in the written session.")
    var playerChannel = 3

    func validate() throws {
        guard (1...16).contains(playerChannel) else { throw ValidationError("--player-channel must be from 1 to 16") }
        guard midi != nil || wav != nil || svg != nil else {
            throw ValidationError("nothing to write: give --wav OUT.wav, --midi OUT.mid and/or --svg OUT.svg")
        }
    }

    func run() throws {
        let p = try session.loadPreset()
        var settings = Self.settings(preset: p, seed: seed)
        let m = try session.loadModel(preset: p)
        let callFile = try call.map { try MIDIFile.read(path: $0) }
        if let callFile {
            // The call's own tempo and meter: a call in 3/4 is answered on its bar lines, at its pace.
            if let bpm = callFile.firstTempoBPM { settings.grid.tempoBPM = bpm }
            if let meter = callFile.firstMeter { Self.fit(&settings, toCallIn: meter, model: m) }
        }
        let meter = m.form(for: settings.form)?.meter ?? settings.meter ?? m.form.meter
        settings.grid.meter = meter
        // With a count-in the player comes in after it.
        let countIn = (settings.band?.countIn?.bars ?? 0) * settings.grid.ticksPerBar
        var notes = (callFile.map { Self.notes(of: $0, ppq: settings.grid.ticksPerQuarter) }
            ?? DefaultCall.notes(key: p.key, meter: meter)).map { n in
                var m = n
                m.start += countIn
                m.end += countIn
                return m
            }
        guard !notes.isEmpty else { throw ValidationError("\(call ?? "call"): no notes to answer") }
        var tempo: [(tick: Int, microsecondsPerQuarter: UInt32)]?
        if settings.followPlayer {
            // clock.follow = "player": the session runs on the player's beat, written with its tempo map.
            let followed = PlayerTempo.follow(notes, grid: settings.grid)
            notes = followed.notes
            tempo = followed.tempo
            FileHandle.standardError.write(Data(String(format: "jam: following the player: %.1f BPM at the end of the call (%d tempo changes)\n",
                                                       settings.grid.tempoBPM * followed.finalTempoRatio, followed.tempo.count).utf8))
        }
        let jam = Engine.jam(call: notes, model: m, settings: settings)
        let file = Self.sessionFile(call: notes, jam: jam.events, settings: settings, playerChannel: UInt8(playerChannel - 1), tempo: tempo)
        if let midi { try file.write(path: midi) }
        if let svg {
            let roll = PianoRollSVG(midi: file, title: "improv jam, seed \(settings.seed)")
            try AtomicFile.write(roll.render(), to: svg)
        }
        var rendered = ""
        if let wav {
            let font = try audio.locate(preset: p.soundfont)
            let summary = try render(midi: file, soundfont: font, settings: audio.settings, format: audio.format, to: wav)
            rendered = String(format: "; wrote %@ (%.1f s, soundfont %@)", wav, summary.seconds, font)
        }
        let answered = jam.events.filter { if case .noteOn = $0.message { return true } else { return false } }.count
        print(String(format: "jam: %d call notes, %d notes from improv, %.1f s of music (%d bars)", notes.count, answered,
                     Double(jam.endTick) / Double(settings.grid.ticksPerQuarter) * 60 / settings.grid.tempoBPM,
                     jam.endTick / settings.grid.ticksPerBar) + (midi.map { "; wrote \($0)" } ?? "") + (svg.map { "; wrote \($0)" } ?? "") + rendered)
    }

    /// The engine's settings for the preset, offline (the one mapping the daemon uses too; the
    /// call's own tempo and meter are applied on top).
    static func settings(preset: Preset, seed: UInt64?) -> Engine.Settings {
        Engine.Settings(preset: preset, seed: seed, for: .offline)
    }

    /// A call whose meter is not the form's: with the model's form, the first shipped form in
    /// the call's meter (the model's chord cells, free, when none ships); a form the user chose
    /// is kept, with a warning.
    static func fit(_ settings: inout Engine.Settings, toCallIn meter: Meter, model: ImprovModel) {
        let chosen = model.form(for: settings.form)
        guard (chosen?.meter ?? settings.meter ?? model.form.meter) != meter else { return }
        guard case .model = settings.form else {
            FileHandle.standardError.write(Data("jam: the call is in \(meter), the form \(chosen.map(\.description) ?? "free") in \(chosen?.meter ?? model.form.meter); playing the form\n".utf8))
            return
        }
        if let form = ChordForm.shipped.first(where: { $0.meter == meter }) {
            settings.form = .chart(form)
            FileHandle.standardError.write(Data("jam: the call is in \(meter): playing the form \(form.name) (--form chooses another)\n".utf8))
        } else {
            settings.form = .free
            settings.meter = meter
            FileHandle.standardError.write(Data("jam: the call is in \(meter), which no shipped form is in: the model's chords run free\n".utf8))
        }
    }

    /// Every note of a MIDI file, its ticks moved to `ppq`.
    static func readCall(_ path: String, ppq: Int) throws -> [PlayedNote] {
        notes(of: try MIDIFile.read(path: path), ppq: ppq)
    }

    static func notes(of file: MIDIFile, ppq: Int) -> [PlayedNote] {
        let scale = Double(ppq) / Double(file.ticksPerQuarter)
        return file.noteSpans().map {
            PlayedNote(channel: $0.channel, key: $0.key, velocity: $0.velocity,
                       start: Int((Double($0.start) * scale).rounded()), end: Int((Double($0.end) * scale).rounded()))
        }
    }

    /// The session as a format-1 file: conductor, the player's part, improv's part.
    static func sessionFile(call: [PlayedNote], jam: [EventRecorder.Event], settings: Engine.Settings,
                            playerChannel: UInt8, tempo: [(tick: Int, microsecondsPerQuarter: UInt32)]? = nil) -> MIDIFile {
        let grid = settings.grid
        let tempoMap = tempo ?? [(0, grid.microsecondsPerQuarter)]
        let conductor = [
            MIDITrackEvent(tick: 0, event: .trackName("improv jam")),
        ] + tempoMap.filter { $0.tick == 0 }.map { MIDITrackEvent(tick: 0, event: .tempo(microsecondsPerQuarter: $0.microsecondsPerQuarter)) } + [
            MIDITrackEvent(tick: 0, event: .timeSignature(numerator: UInt8(grid.meter.count), denominatorPower: UInt8(grid.meter.unit.trailingZeroBitCount),
                                                          clocksPerClick: 24, thirtySecondsPerQuarter: 8)),
            MIDITrackEvent(tick: 0, event: .keySignature(sharps: Int8(settings.key.signatureSharps), minor: settings.key.minor)),
        ] + tempoMap.filter { $0.tick > 0 }.map { MIDITrackEvent(tick: UInt64($0.tick), event: .tempo(microsecondsPerQuarter: $0.microsecondsPerQuarter)) }
        var player: [(Int, Int, MIDIEvent)] = [(0, 0, .trackName("Player")), (0, 1, .programChange(channel: playerChannel, program: 0))]
        for n in call {
            player.append((n.start, 3, .noteOn(channel: playerChannel, key: n.key, velocity: max(1, n.velocity))))
            player.append((n.end, 2, .noteOff(channel: playerChannel, key: n.key, velocity: 0)))
        }
        player.sort { ($0.0, $0.1) < ($1.0, $1.1) }
        // improv's parts on tracks of their own, named for a DAW: melody, chords, the band's parts.
        var names: [(UInt8, String)] = [(settings.melodyChannel, "improv melody"), (settings.chordChannel, "improv chords")]
        if let band = settings.band {
            if let b = band.bass { names.append((b.channel, "improv bass")) }
            if let c = band.comping { names.append((c.channel, "improv comping")) }
            if band.drums != nil || band.countIn != nil { names.append((9, "improv drums")) }
        }
        var tracks: [[MIDITrackEvent]] = names.map { [MIDITrackEvent(tick: 0, event: .trackName($0.1))] }
        var other: [MIDITrackEvent] = [MIDITrackEvent(tick: 0, event: .trackName("improv"))]
        for e in jam {
            let event: MIDIEvent
            switch e.message {
            case .noteOn(let c, let k, let v): event = .noteOn(channel: c, key: k, velocity: v)
            case .noteOff(let c, let k, _): event = .noteOff(channel: c, key: k, velocity: 0)
            case .controlChange(let c, let cc, let v): event = .controlChange(channel: c, controller: cc, value: v)
            case .programChange(let c, let p): event = .programChange(channel: c, program: p)
            case .pitchBend(let c, let v): event = .pitchBend(channel: c, value: ChannelMessage.unsignedPitchBend(v))
            }
            let channel = e.message.channel
            let timed = MIDITrackEvent(tick: UInt64(max(0, e.tick)), event: event)
            if let i = names.firstIndex(where: { $0.0 == channel }) { tracks[i].append(timed) } else { other.append(timed) }
        }
        return MIDIFile(format: 1, ticksPerQuarter: UInt16(grid.ticksPerQuarter), tracks: [
            MIDITrack(events: conductor),
            MIDITrack(events: player.map { MIDITrackEvent(tick: UInt64($0.0), event: $0.2) }),
        ] + tracks.map { MIDITrack(events: $0) } + (other.count > 1 ? [MIDITrack(events: other)] : []))
    }
}
