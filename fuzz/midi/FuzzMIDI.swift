import FuzzSupport
import MusicCore
import StandardMIDI

// Standard MIDI File bytes -> MIDIFile, and on to what improv does with a file it reads
// (note spans, a Score). Properties: the reader never traps and throws only MIDIFileError
// naming the file; a file it reads that `validate` accepts is written and read back
// unchanged.

/// Runs one input (called by fuzz/main for IMPROV_FUZZ_TARGET=midi).
public func fuzzMIDI(_ input: [UInt8]) {
    let bytes = input
    let file: MIDIFile
    do {
        file = try MIDIFile(bytes: bytes, name: "fuzz.mid")
    } catch {
        // Typed throws: it is a MIDIFileError; check it names the file and a byte inside it.
        guard error.file == "fuzz.mid", error.offset >= 0, error.offset <= bytes.count else {
            fuzzFailure("error names \(error.file) at byte \(error.offset) of \(bytes.count)")
        }
        return
    }
    if file.validationProblem() == nil {
        let written = file.serialized()
        do {
            let again = try MIDIFile(bytes: written, name: "rewritten.mid")
            if again != file { fuzzFailure("a valid file changed when written and read back") }
        } catch {
            fuzzFailure("a valid file did not read back after writing: \(error)")
        }
    }
    _ = file.noteSpans()
    _ = Score(midi: file)
    _ = Score(midi: file, split: .channel(chords: 0, melody: 1))
}

/// Valid files: written by StandardMIDI's writer and by Score, plus hand-made bytes for what
/// the writer never produces (running status across events, sysex, an unknown chunk, a
/// Latin-1 track name, a format 0 file without End-of-Track).
public func midiSeeds() -> [(name: String, bytes: [UInt8])] {
    func ev(_ tick: UInt64, _ e: MIDIEvent) -> MIDITrackEvent { MIDITrackEvent(tick: tick, event: e) }
    let everyEvent = MIDIFile(ticksPerQuarter: 96, tracks: [MIDITrack(events: [
        ev(0, .trackName("every event")),
        ev(0, .tempo(microsecondsPerQuarter: 500_000)),
        ev(0, .timeSignature(numerator: 4, denominatorPower: 2, clocksPerClick: 24, thirtySecondsPerQuarter: 8)),
        ev(0, .keySignature(sharps: -3, minor: true)),
        ev(0, .programChange(channel: 0, program: 66)),
        ev(0, .controlChange(channel: 0, controller: 7, value: 100)),
        ev(0, .noteOn(channel: 0, key: 60, velocity: 90)),
        ev(48, .polyPressure(channel: 0, key: 60, pressure: 30)),
        ev(60, .channelPressure(channel: 0, pressure: 20)),
        ev(72, .pitchBend(channel: 0, value: 8192 + 500)),
        ev(96, .noteOff(channel: 0, key: 60, velocity: 0)),
        ev(96, .meta(type: 0x01, data: Array("text".utf8))),
        ev(200_000, .noteOn(channel: 9, key: 36, velocity: 127)),
        ev(200_010, .noteOff(channel: 9, key: 36, velocity: 64)),
    ])])
    let twoTracks = MIDIFile(format: 1, ticksPerQuarter: 480, tracks: [
        MIDITrack(events: [ev(0, .tempo(microsecondsPerQuarter: 600_000))]),
        MIDITrack(events: [ev(0, .noteOn(channel: 1, key: 64, velocity: 80)), ev(240, .noteOff(channel: 1, key: 64, velocity: 0)),
                           ev(240, .noteOn(channel: 1, key: 67, velocity: 80)), ev(480, .noteOff(channel: 1, key: 67, velocity: 0))]),
    ])
    let chorus = Score(slices: EckCorpus.chorus(0)).midiFile(name: "eck chorus 0")

    // Hand-made: MThd (format 0, one track, 96 ticks) then a track body.
    func smf(_ body: [UInt8], extraChunk: [UInt8] = []) -> [UInt8] {
        var b: [UInt8] = [0x4D, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0, 0, 0, 1, 0, 96] + extraChunk
        b += [0x4D, 0x54, 0x72, 0x6B]
        b += [UInt8(body.count >> 24 & 0xFF), UInt8(body.count >> 16 & 0xFF), UInt8(body.count >> 8 & 0xFF), UInt8(body.count & 0xFF)]
        return b + body
    }
    let runningStatus = smf([0x00, 0x90, 60, 100, 0x10, 62, 100, 0x10, 60, 0, 0x10, 62, 0,
                             0x00, 0xFF, 0x01, 0x02, 0x68, 0x69, 0x00, 64, 90, 0x83, 0x60, 64, 0, 0x00, 0xFF, 0x2F, 0x00])
    let sysex = smf([0x00, 0xF0, 0x05, 0x7E, 0x7F, 0x09, 0x01, 0xF7, 0x00, 0xB0, 0x40, 0x7F,
                     0x00, 0xF7, 0x02, 0xF3, 0x01, 0x00, 0xFF, 0x2F, 0x00])
    let unknownChunk = smf([0x00, 0x90, 48, 64, 0x60, 0x80, 48, 64, 0x00, 0xFF, 0x2F, 0x00],
                           extraChunk: [0x58, 0x46, 0x49, 0x48, 0, 0, 0, 3, 1, 2, 3])
    let latin1Name = smf([0x00, 0xFF, 0x03, 0x04, 0x43, 0x61, 0x66, 0xE9, 0x00, 0xC0, 0x05, 0x00, 0xE0, 0x00, 0x40])
    return [
        ("every-event.mid", everyEvent.serialized()),
        ("two-tracks.mid", twoTracks.serialized()),
        ("eck-chorus.mid", chorus.serialized()),
        ("running-status.mid", runningStatus),
        ("sysex.mid", sysex),
        ("unknown-chunk.mid", unknownChunk),
        ("latin1-name-no-eot.mid", latin1Name),
    ]
}
