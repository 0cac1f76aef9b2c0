import Composer
import Engine
import Foundation
import MusicCore
import Presets
import StandardMIDI

/// `improv eval --calls DIR`: how improv's answers relate to the calls they answer.
///
/// Every MIDI file in the folder is a call, read as `improv jam --call` reads it and answered by
/// the same offline session, once per seed. The call's melody (its notes at or above the chord
/// split) and improv's melody-channel notes are measured by `CallMeasures`, and so are two
/// baselines on the same calls: the call echoed back and a pentatonic random walk.
struct CallEvaluation {
    var directory: String
    var preset: Preset
    var presetName: String
    var model: ImprovModel
    var modelName: String
    var seeds: Int

    struct NoCalls: Error, CustomStringConvertible {
        var description: String
    }

    /// A call as read from its file, before it is answered.
    struct Call {
        var file: String
        var notes: [PlayedNote]
        var key: Key?
    }

    func run() throws -> CallReport {
        let calls = try Self.readCalls(directory: directory, ppq: Engine.Settings(preset: preset).grid.ticksPerQuarter)
        var report = CallReport(directory: directory, preset: presetName, model: modelName, seeds: Array(1...UInt64(seeds)))
        for call in calls {
            var settings = Engine.Settings(preset: preset)
            settings.learnSynchronously = true  // as jam does
            let tps = settings.grid.ticksPerSlice
            report.splitPitch = settings.splitPitch.map(Int.init)
            let played = call.notes.map { MelodyNote(pitch: $0.key, velocity: $0.velocity, start: $0.start, end: $0.end) }
            let melody = CallMeasures.melody(of: played, splitPitch: settings.splitPitch, ticksPerSlice: tps)
            guard !melody.isEmpty else {
                let split = settings.splitPitch.map { " at or above \(PitchName.name(of: $0)) (the chord split)" } ?? ""
                report.skipped.append(.init(file: call.file, reason: call.notes.isEmpty ? "no notes" : "no melody notes\(split)"))
                continue
            }
            let key = call.key ?? CallMeasures.estimatedKey(played)
            // The baselines start where an answer would: a bar after the call's bar.
            let bar = settings.grid.ticksPerBar
            let answerStart = ((call.notes.map(\.end).max() ?? 0) / bar + 2) * bar
            let echo = CallMeasures(call: melody, answer: CallBaselines.echo(melody, at: answerStart), ticksPerSlice: tps, key: key)
            var runs: [CallReport.SeedRun] = []
            for seed in report.seeds {
                settings.seed = seed
                let jam = Engine.jam(call: call.notes, model: model, settings: settings)
                let answer = Self.notes(of: jam.events, channel: settings.melodyChannel, endTick: jam.endTick)
                let walk = CallBaselines.randomWalk(call: melody, key: key, ticksPerSlice: tps, seed: seed, at: answerStart)
                runs.append(.init(seed: seed,
                                  measures: CallMeasures(call: melody, answer: answer, ticksPerSlice: tps, key: key),
                                  randomWalk: CallMeasures(call: melody, answer: walk, ticksPerSlice: tps, key: key)))
            }
            report.calls.append(.init(file: call.file, key: key.description, keyFrom: call.key == nil ? "estimated" : "key signature",
                                      callNotes: melody.count, seeds: runs, mean: CallMeasureMeans(runs.map(\.measures)),
                                      echo: echo, randomWalk: CallMeasureMeans(runs.map(\.randomWalk))))
        }
        guard !report.calls.isEmpty else {
            throw NoCalls(description: "\(directory): no call has melody notes to answer (\(report.skipped.map { "\($0.file): \($0.reason)" }.joined(separator: "; ")))")
        }
        report.mean = CallMeasureMeans(means: report.calls.map(\.mean))
        report.echo = CallMeasureMeans(report.calls.map(\.echo))
        report.randomWalk = CallMeasureMeans(means: report.calls.map(\.randomWalk))
        return report
    }

    /// Every .mid and .midi file in `directory`, sorted by name, read as `improv jam --call`
    /// reads a call, with the file's key signature if it has one. All are read before any is
    /// answered, so a broken file stops the run at once (the error names it and the byte).
    static func readCalls(directory: String, ppq: Int) throws -> [Call] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw NoCalls(description: "\(directory): cannot list the folder of calls: \((error as NSError).localizedDescription)")
        }
        let files = names.filter { ["mid", "midi"].contains(($0 as NSString).pathExtension.lowercased()) }.sorted()
        guard !files.isEmpty else { throw NoCalls(description: "\(directory): no MIDI files (.mid, .midi) to use as calls") }
        return try files.map { name in
            let path = (directory as NSString).appendingPathComponent(name)
            let notes = try JamCommand.readCall(path, ppq: ppq)
            return Call(file: name, notes: notes, key: keySignature(try MIDIFile.read(path: path)))
        }
    }

    /// The file's first key signature, if any.
    static func keySignature(_ file: MIDIFile) -> Key? {
        for track in file.tracks {
            for e in track.events {
                if case .keySignature(let sharps, let minor) = e.event { return Key(signatureSharps: Int(sharps), minor: minor) }
            }
        }
        return nil
    }

    /// improv's notes on `channel` (`events` in the order they sound): each note-on paired with
    /// the next note-off of its key (or a new note-on of it, or all-notes-off on the channel);
    /// a note still sounding at the end ends at `endTick`.
    static func notes(of events: [EventRecorder.Event], channel: UInt8, endTick: Int) -> [MelodyNote] {
        var sounding: [UInt8: (start: Int, velocity: UInt8)] = [:]
        var out: [MelodyNote] = []
        func end(_ key: UInt8, at tick: Int) {
            if let s = sounding.removeValue(forKey: key) { out.append(MelodyNote(pitch: key, velocity: s.velocity, start: s.start, end: tick)) }
        }
        for e in events {
            switch e.message {
            case .noteOn(let c, let k, let v) where c == channel:
                end(k, at: e.tick)
                if v > 0 { sounding[k] = (e.tick, v) }
            case .noteOff(let c, let k, _) where c == channel:
                end(k, at: e.tick)
            case .controlChange(let c, let cc, _) where c == channel && (cc == 123 || cc == 120):
                for k in sounding.keys.sorted() { end(k, at: e.tick) }
            default:
                break
            }
        }
        for k in sounding.keys.sorted() { end(k, at: endTick) }
        return out.sorted { ($0.start, $0.pitch) < ($1.start, $1.pitch) }
    }
}
