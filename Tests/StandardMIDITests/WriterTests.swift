import StandardMIDI
import Testing

@Suite struct WriterTests {
    @Test func exactBytesWithRunningStatusAndEndOfTrack() throws {
        let track = MIDITrack(events: [
            at(0, .noteOn(channel: 0, key: 60, velocity: 100)),
            at(0, .noteOn(channel: 0, key: 64, velocity: 100)),
            at(96, .noteOff(channel: 0, key: 60, velocity: 0)),
            at(96, .noteOff(channel: 0, key: 62, velocity: 0)),
            at(96, .tempo(microsecondsPerQuarter: 500_000)),
            at(96, .noteOff(channel: 0, key: 64, velocity: 0)),
            at(200, .noteOn(channel: 0, key: 60, velocity: 1)),
            at(200 + 0x4000, .controlChange(channel: 1, controller: 7, value: 100)),
            at(200 + 0x4000, .pitchBend(channel: 1, value: 8192)),
            at(200 + 0x4000, .pitchBend(channel: 1, value: 16383)),
        ])
        let file = MIDIFile(format: 0, ticksPerQuarter: 96, tracks: [track])
        let body: [UInt8] = [
            0x00, 0x90, 0x3C, 0x64,
            0x00, 0x40, 0x64,                     // running status
            0x60, 0x80, 0x3C, 0x00,               // new status for note-off
            0x00, 0x3E, 0x00,                     // running status
            0x00, 0xFF, 0x51, 0x03, 0x07, 0xA1, 0x20,
            0x00, 0x80, 0x40, 0x00,               // same status, written again after the meta event
            0x68, 0x90, 0x3C, 0x01,
            0x81, 0x80, 0x00, 0xB1, 0x07, 0x64,   // 3-byte delta 0x4000
            0x00, 0xE1, 0x00, 0x40,
            0x00, 0x7F, 0x7F,                     // running status
            0x00, 0xFF, 0x2F, 0x00,               // End-of-Track at the last event's tick
        ]
        let expected = SMF.header(format: 0, tracks: 1, division: 96) + SMF.track(body)
        #expect(file.serialized() == expected)
        #expect(try MIDIFile(bytes: expected, name: "expected") == file)
    }

    @Test func headerOfAFormatOneFile() {
        let file = MIDIFile(ticksPerQuarter: 480, tracks: [MIDITrack(), MIDITrack(), MIDITrack()])
        #expect(file.format == 1)
        let bytes = file.serialized()
        #expect(Array(bytes.prefix(14)) == SMF.header(format: 1, tracks: 3, division: 480))
        #expect(bytes.count == 14 + 3 * 12)  // each track: chunk header + End-of-Track only
        #expect(MIDIFile(ticksPerQuarter: 96, tracks: [MIDITrack()]).format == 0)
    }

    @Test func orderAtTheSameTickIsPreserved() throws {
        let events: [MIDIEvent] = [
            .noteOff(channel: 3, key: 60, velocity: 0), .noteOn(channel: 3, key: 60, velocity: 90),
            .trackName("x"), .controlChange(channel: 3, controller: 64, value: 0),
            .noteOn(channel: 2, key: 60, velocity: 90), .tempo(microsecondsPerQuarter: 1),
            .noteOff(channel: 2, key: 60, velocity: 5), .meta(type: 0x06, data: [0x41]),
        ]
        let file = MIDIFile(ticksPerQuarter: 96, tracks: [MIDITrack(events: events.map { at(1000, $0) })])
        #expect(try MIDIFile(bytes: file.serialized(), name: "same-tick") == file)
    }

    @Test func noteOnWithVelocityZeroReadsBackAsNoteOff() throws {
        let file = MIDIFile(ticksPerQuarter: 96, tracks: [MIDITrack(events: [
            at(0, .noteOn(channel: 4, key: 50, velocity: 70)),
            at(10, .noteOn(channel: 4, key: 50, velocity: 0)),
        ])])
        let back = try MIDIFile(bytes: file.serialized(), name: "vel0")
        #expect(back.tracks[0].events[1] == at(10, .noteOff(channel: 4, key: 50, velocity: 0)))
        #expect(back.noteSpans() == file.noteSpans())
    }

    @Test func metaValuesWithDedicatedCasesReadBackAsThoseCases() throws {
        let file = MIDIFile(ticksPerQuarter: 96, tracks: [MIDITrack(events: [
            at(0, .meta(type: 0x51, data: [0x07, 0xA1, 0x20])),
            at(0, .meta(type: 0x03, data: Array("Bass".utf8))),
        ])])
        let back = try MIDIFile(bytes: file.serialized(), name: "meta")
        #expect(back.tracks[0].events.map(\.event) == [.tempo(microsecondsPerQuarter: 500_000), .trackName("Bass")])
    }

    @Test func unwritableMetaEventsAreDroppedAndReported() throws {
        let file = MIDIFile(ticksPerQuarter: 96, tracks: [MIDITrack(events: [
            at(0, .noteOn(channel: 0, key: 60, velocity: 1)),
            at(5, .meta(type: 0x2F, data: [])),
            at(6, .meta(type: 0x51, data: [1, 2])),
            at(7, .meta(type: 0x58, data: [])),
            at(8, .meta(type: 0x59, data: [1, 2, 3])),
            at(9, .noteOff(channel: 0, key: 60, velocity: 1)),
        ])])
        let back = try MIDIFile(bytes: file.serialized(), name: "dropped")
        #expect(back.tracks[0].events == [
            at(0, .noteOn(channel: 0, key: 60, velocity: 1)),
            at(9, .noteOff(channel: 0, key: 60, velocity: 1)),
        ])
        #expect(file.validationProblem() == "track 0, event 1 (tick 5): End-of-Track meta event (the writer adds it)")
    }

    @Test func validateReportsWhatTheWriterWouldChange() {
        func problem(_ events: [MIDITrackEvent], format: UInt16 = 0, ppq: UInt16 = 96, tracks: Int = 1) -> String? {
            MIDIFile(format: format, ticksPerQuarter: ppq,
                     tracks: Array(repeating: MIDITrack(events: events), count: tracks)).validationProblem()
        }
        #expect(problem([at(0, .noteOn(channel: 0, key: 1, velocity: 1))]) == nil)
        #expect(problem([at(10, .programChange(channel: 0, program: 1)), at(5, .programChange(channel: 0, program: 1))])
            == "track 0, event 1 (tick 5): tick is before the previous event's tick 10")
        #expect(problem([at(0x1000_0000, .programChange(channel: 0, program: 1))])?.contains("exceeds the largest variable-length quantity") == true)
        #expect(problem([at(0x0FFF_FFFF, .programChange(channel: 0, program: 1))]) == nil)
        #expect(problem([at(0, .noteOn(channel: 16, key: 1, velocity: 1))]) == "track 0, event 0 (tick 0): channel 16 is outside 0...15")
        #expect(problem([at(0, .noteOn(channel: 0, key: 128, velocity: 1))])?.hasSuffix("key 128 is outside 0...127") == true)
        #expect(problem([at(0, .controlChange(channel: 0, controller: 1, value: 200))])?.hasSuffix("value 200 is outside 0...127") == true)
        #expect(problem([at(0, .pitchBend(channel: 0, value: 16384))])?.hasSuffix("pitch bend 16384 is outside 0...16383") == true)
        #expect(problem([at(0, .tempo(microsecondsPerQuarter: 0x100_0000))])?.hasSuffix("does not fit in 24 bits") == true)
        #expect(problem([], format: 0, tracks: 2) == "format 0 needs exactly one track, this file has 2")
        #expect(problem([], format: 2) == "format 2 cannot be written (only 0 and 1)")
        #expect(problem([], ppq: 0) == "ticks per quarter note 0 is outside 1...32767")
        #expect(problem([], ppq: 0x8000) != nil)
        #expect(throws: MIDIFileError(file: "out.mid", offset: 0, reason: "format 2 cannot be written (only 0 and 1)")) {
            try MIDIFile(format: 2, ticksPerQuarter: 96, tracks: []).validate(name: "out.mid")
        }
    }

    @Test func outOfRangeValuesAreMaskedOrClampedNotTrapped() throws {
        let file = MIDIFile(ticksPerQuarter: 96, tracks: [MIDITrack(events: [
            at(10, .noteOn(channel: 17, key: 200, velocity: 255)),
            at(5, .pitchBend(channel: 0, value: .max)),              // out of order: delta 0
            at(0x2000_0000, .tempo(microsecondsPerQuarter: .max)),   // delta clamped to the VLQ maximum
        ])])
        let back = try MIDIFile(bytes: file.serialized(), name: "clamped")
        #expect(back.tracks[0].events == [
            at(10, .noteOn(channel: 1, key: 72, velocity: 127)),
            at(10, .pitchBend(channel: 0, value: 16383)),
            at(10 + 0x0FFF_FFFF, .tempo(microsecondsPerQuarter: 0xFF_FFFF)),
        ])
    }
}
