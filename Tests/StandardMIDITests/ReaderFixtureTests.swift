import StandardMIDI
import Testing

/// Hand-written files, read and checked event by event.
@Suite struct ReaderFixtureTests {
    @Test func runningStatusAndVelocityZeroNoteOff() throws {
        let body: [UInt8] = [
            0x00, 0x90, 0x3C, 0x64,        // @0   note-on C4 100
            0x60, 0x3E, 0x50,              // @96  running status: note-on D4 80
            0x00, 0x3C, 0x00,              // @96  running status: velocity 0 = note-off C4
            0x81, 0x00, 0x80, 0x3E, 0x40,  // @224 note-off D4 64 (2-byte delta)
        ] + SMF.endOfTrack + [0xDE, 0xAD]  // bytes after End-of-Track are ignored
        let file = try MIDIFile(bytes: SMF.file(tracks: [body]), name: "fixture.mid")
        #expect(file.format == 0)
        #expect(file.ticksPerQuarter == 96)
        #expect(file.tracks == [MIDITrack(events: [
            at(0, .noteOn(channel: 0, key: 60, velocity: 100)),
            at(96, .noteOn(channel: 0, key: 62, velocity: 80)),
            at(96, .noteOff(channel: 0, key: 60, velocity: 0)),
            at(224, .noteOff(channel: 0, key: 62, velocity: 64)),
        ])])
    }

    @Test func metaEvents() throws {
        let body: [UInt8] = [
            0x00, 0xFF, 0x03, 0x05] + Array("Piano".utf8) + [
            0x00, 0xFF, 0x51, 0x03, 0x0F, 0x42, 0x40,         // tempo 1000000
            0x00, 0xFF, 0x58, 0x04, 0x06, 0x03, 0x18, 0x08,   // 6/8, 24 clocks, 8 32nds
            0x00, 0xFF, 0x59, 0x02, 0xFD, 0x01,               // 3 flats, minor
            0x10, 0xFF, 0x01, 0x03] + Array("abc".utf8) + [   // text
            0x00, 0xFF, 0x7F, 0x00,                           // sequencer-specific, empty
            0x00, 0xFF, 0x03, 0x06] + Array("Second".utf8) + [
            0x20, 0xFF, 0x51, 0x03, 0x07, 0xA1, 0x20,         // tempo 500000 later
        ] + SMF.endOfTrack
        let file = try MIDIFile(bytes: SMF.file(tracks: [body]), name: "fixture.mid")
        #expect(file.tracks[0].events == [
            at(0, .trackName("Piano")),
            at(0, .tempo(microsecondsPerQuarter: 1_000_000)),
            at(0, .timeSignature(numerator: 6, denominatorPower: 3, clocksPerClick: 24, thirtySecondsPerQuarter: 8)),
            at(0, .keySignature(sharps: -3, minor: true)),
            at(16, .meta(type: 0x01, data: Array("abc".utf8))),
            at(16, .meta(type: 0x7F, data: [])),
            at(16, .trackName("Second")),
            at(48, .tempo(microsecondsPerQuarter: 500_000)),
        ])
        #expect(file.tracks[0].name == "Piano")
        #expect(file.tempoMicrosecondsPerQuarter == 1_000_000)
    }

    @Test func sysexIsSkippedAndRunningStatusSurvivesMetaAndSysex() throws {
        let body: [UInt8] = [
            0x00, 0xF0, 0x05, 0x7E, 0x7F, 0x09, 0x01, 0xF7,   // GM reset sysex
            0x00, 0x90, 0x3C, 0x40,                           // @0 note-on
            0x08, 0xF7, 0x02, 0x01, 0x02,                     // @8 escape sysex
            0x08, 0x3C, 0x00,                                 // @16 running status across sysex
            0x00, 0xFF, 0x01, 0x00,                           // @16 empty text
            0x10, 0x3E, 0x41,                                 // @32 running status across meta
        ] + SMF.endOfTrack
        let file = try MIDIFile(bytes: SMF.file(tracks: [body]), name: "fixture.mid")
        #expect(file.tracks[0].events == [
            at(0, .noteOn(channel: 0, key: 60, velocity: 64)),
            at(16, .noteOff(channel: 0, key: 60, velocity: 0)),
            at(16, .meta(type: 0x01, data: [])),
            at(32, .noteOn(channel: 0, key: 62, velocity: 65)),
        ])
    }

    @Test func unknownChunksAndExtraHeaderBytesAreSkipped() throws {
        let track1: [UInt8] = [0x00, 0xFF, 0x03, 0x01, 0x41] + SMF.endOfTrack
        let track2: [UInt8] = [0x00, 0xC5, 0x10] + SMF.endOfTrack
        let bytes = SMF.header(format: 1, tracks: 2, division: 480, length: 8, extra: [0xAB, 0xCD])
            + SMF.chunk("XFIH", [1, 2, 3, 4, 5])
            + SMF.track(track1)
            + SMF.chunk("junk", [])
            + SMF.track(track2)
            + [0x00, 0x01, 0x02]  // trailing bytes after the declared tracks are ignored
        let file = try MIDIFile(bytes: bytes, name: "fixture.mid")
        #expect(file.format == 1)
        #expect(file.ticksPerQuarter == 480)
        #expect(file.tracks.map(\.events) == [
            [at(0, .trackName("A"))],
            [at(0, .programChange(channel: 5, program: 16))],
        ])
    }

    @Test func formatOneWithATempoTrack() throws {
        let conductor: [UInt8] = [0x00, 0xFF, 0x51, 0x03, 0x09, 0x27, 0xC0]  // 600000
            + [0x00, 0xFF, 0x58, 0x04, 0x04, 0x02, 0x18, 0x08] + SMF.endOfTrack
        let melody: [UInt8] = [0x00, 0xFF, 0x03, 0x04] + Array("Lead".utf8)
            + [0x00, 0x91, 0x40, 0x50, 0x83, 0x60, 0x81, 0x40, 0x00] + SMF.endOfTrack
        let bass: [UInt8] = [0x00, 0x92, 0x28, 0x60, 0x87, 0x40, 0x28, 0x00] + SMF.endOfTrack
        let file = try MIDIFile(bytes: SMF.file(format: 1, tracks: [conductor, melody, bass]), name: "fixture.mid")
        #expect(file.format == 1)
        #expect(file.tracks.count == 3)
        #expect(file.tracks.map(\.name) == [nil, "Lead", nil])
        #expect(file.tempoMicrosecondsPerQuarter == 600_000)
        #expect(file.noteSpans() == [
            MIDINoteSpan(track: 1, channel: 1, key: 0x40, velocity: 0x50, start: 0, end: 480),
            MIDINoteSpan(track: 2, channel: 2, key: 0x28, velocity: 0x60, start: 0, end: 960),
        ])
    }

    @Test func everyChannelMessageKind() throws {
        let body: [UInt8] = [
            0x00, 0x81, 0x3C, 0x10,   // note-off ch 1
            0x00, 0xA1, 0x3C, 0x20,   // poly pressure
            0x00, 0xB2, 0x07, 0x64,   // control change
            0x00, 0xC3, 0x05,         // program change (1 data byte)
            0x00, 0xD4, 0x30,         // channel pressure (1 data byte)
            0x00, 0x35,               // running status with one data byte
            0x00, 0xE5, 0x00, 0x40,   // pitch bend centre
            0x00, 0x7F, 0x7F,         // running status: pitch bend max
            0x00, 0xEF, 0x00, 0x00,   // pitch bend min, channel 15
        ] + SMF.endOfTrack
        let file = try MIDIFile(bytes: SMF.file(tracks: [body]), name: "fixture.mid")
        #expect(file.tracks[0].events.map(\.event) == [
            .noteOff(channel: 1, key: 60, velocity: 16),
            .polyPressure(channel: 1, key: 60, pressure: 32),
            .controlChange(channel: 2, controller: 7, value: 100),
            .programChange(channel: 3, program: 5),
            .channelPressure(channel: 4, pressure: 0x30),
            .channelPressure(channel: 4, pressure: 0x35),
            .pitchBend(channel: 5, value: 8192),
            .pitchBend(channel: 5, value: 16383),
            .pitchBend(channel: 15, value: 0),
        ])
    }

    @Test func trackWithoutEndOfTrackIsAccepted() throws {
        let body: [UInt8] = [0x00, 0x90, 0x3C, 0x40, 0x10, 0x80, 0x3C, 0x40]
        let file = try MIDIFile(bytes: SMF.file(tracks: [body]), name: "fixture.mid")
        #expect(file.tracks[0].events.count == 2)
        let empty = try MIDIFile(bytes: SMF.file(tracks: [[]]), name: "fixture.mid")
        #expect(empty.tracks == [MIDITrack()])
    }

    /// A header that declares no tracks is an error that says so, not an empty piece.
    @Test func zeroTracks() throws {
        #expect(throws: MIDIFileError.self) { try MIDIFile(bytes: SMF.header(format: 1, tracks: 0), name: "fixture.mid") }
        do { _ = try MIDIFile(bytes: SMF.header(format: 1, tracks: 0), name: "fixture.mid") } catch {
            #expect("\(error)" == "fixture.mid: byte 10: header declares no tracks: the file holds no music")
        }
    }

    @Test func trackNamesUTF8AndLatin1() throws {
        let utf8: [UInt8] = [0x00, 0xFF, 0x03, 0x05, 0x43, 0x61, 0x66, 0xC3, 0xA9]  // "Café" in UTF-8
        let latin1: [UInt8] = [0x00, 0xFF, 0x03, 0x04, 0x43, 0x61, 0x66, 0xE9]       // "Café" in Latin-1
        let file = try MIDIFile(bytes: SMF.file(format: 1, tracks: [utf8, latin1]), name: "fixture.mid")
        #expect(file.tracks.map(\.name) == ["Café", "Café"])
    }

    @Test func ticksAccumulatePastUInt32() throws {
        var body: [UInt8] = [0x00, 0xC0, 0x00]
        for _ in 0..<20 { body += [0xFF, 0xFF, 0xFF, 0x7F, 0x01] }  // max delta, running-status program change
        let file = try MIDIFile(bytes: SMF.file(tracks: [body]), name: "fixture.mid")
        #expect(file.tracks[0].events.count == 21)
        // Not `#expect(events.last?.tick == ...)`: for that UInt64? comparison Swift 6.3.1 emits a
        // thunk that reads 9 bytes from an 8-byte stack slot (AddressSanitizer: stack-buffer-overflow).
        let last = try #require(file.tracks[0].events.last)
        #expect(last.tick == 20 * 0x0FFF_FFFF)
        #expect(last.tick > UInt64(UInt32.max))
        let again = try MIDIFile(bytes: file.serialized(), name: "again")
        #expect(again == file)
    }

    @Test func formatZeroWithSeveralTracksIsReadAsItIs() throws {
        let file = try MIDIFile(bytes: SMF.file(format: 0, tracks: [SMF.endOfTrack, SMF.endOfTrack]), name: "fixture.mid")
        #expect(file.format == 0)
        #expect(file.tracks.count == 2)
    }

    @Test func eventCapCountsStoredEventsOnly() throws {
        // Sysex and End-of-Track do not count.
        let body: [UInt8] = [0x00, 0xF0, 0x01, 0xF7, 0x00, 0x90, 0x3C, 0x40, 0x00, 0x3C, 0x00] + SMF.endOfTrack
        let file = try MIDIFile(bytes: SMF.file(tracks: [body]), name: "fixture.mid", maxEvents: 2)
        #expect(file.tracks[0].events.count == 2)
    }
}
