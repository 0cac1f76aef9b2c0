import StandardMIDI
import Testing

/// Bad input: each case must throw MIDIFileError naming the file and the
/// byte offset of the problem. Offsets: header 0-13, first chunk tag at 14,
/// its length at 18, its body from 22.
@Suite struct ReaderErrorTests {
    /// Parses `bytes` and checks the error's offset, a phrase of its reason,
    /// and that the description is "fixture.mid: byte OFFSET: REASON".
    func expectError(
        _ bytes: [UInt8], offset: Int, _ phrase: String, maxEvents: Int = MIDIFile.defaultMaxEvents,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard let error = parseError(bytes, name: "fixture.mid", maxEvents: maxEvents) else {
            Issue.record("expected an error at byte \(offset) (\(phrase)), but the bytes parsed", sourceLocation: sourceLocation)
            return
        }
        #expect(error.file == "fixture.mid", sourceLocation: sourceLocation)
        #expect(error.offset == offset, "\(error)", sourceLocation: sourceLocation)
        #expect(error.reason.contains(phrase), "\(error)", sourceLocation: sourceLocation)
        #expect(error.description == "fixture.mid: byte \(offset): \(error.reason)", sourceLocation: sourceLocation)
    }

    /// A format 0 file with one track holding `body`.
    func oneTrack(_ body: [UInt8]) -> [UInt8] { SMF.file(tracks: [body]) }

    // MARK: Header

    @Test func emptyAndTinyFiles() {
        expectError([], offset: 0, "too short")
        expectError(Array("MThd".utf8) + [0, 0, 0], offset: 0, "too short")
    }

    @Test func wrongMagic() {
        expectError(Array("RIFF".utf8) + [0, 0, 0, 6, 0, 0, 0, 1, 0, 96], offset: 0, "expected chunk 'MThd', found 'RIFF'")
        expectError([0x00, 0xFF, 0x10, 0x80, 0, 0, 0, 6, 0, 0], offset: 0, "found 00 FF 10 80")
    }

    @Test func badHeaderLength() {
        expectError(SMF.header(length: 4) + SMF.track(SMF.endOfTrack), offset: 4, "header chunk length 4 is less than 6")
        expectError(SMF.header(length: 0xFFFF_FFFF), offset: 4, "header chunk length 4294967295 exceeds the 6 bytes left")
        // Header too short for its 6 fields.
        expectError(Array("MThd".utf8) + SMF.be32(6) + [0, 0, 0], offset: 4, "exceeds the 3 bytes left")
    }

    @Test func unsupportedFormats() {
        expectError(SMF.header(format: 2) + SMF.track(SMF.endOfTrack), offset: 8, "format 2")
        expectError(SMF.header(format: 7) + SMF.track(SMF.endOfTrack), offset: 8, "unknown format 7")
    }

    @Test func unsupportedTimeDivision() {
        expectError(SMF.header(division: 0xEC28) + SMF.track(SMF.endOfTrack), offset: 12, "SMPTE time division 0xEC28: expected 24, 25, 29")
        expectError(SMF.header(division: 0xE700) + SMF.track(SMF.endOfTrack), offset: 12, "at least 1 tick a frame")
        expectError(SMF.header(format: 1, tracks: 0), offset: 10, "header declares no tracks")
        expectError(SMF.header(division: 0) + SMF.track(SMF.endOfTrack), offset: 12, "0 ticks per quarter")
    }

    /// A DAW's file in SMPTE time (25 frames a second, 40 ticks a frame: 1000 ticks a second)
    /// loads with its ticks as real time: a note at tick 1000 starts one second in, whatever
    /// tempo event the file carries (SMPTE time ignores them).
    @Test func smpteTimeLoadsAsRealTime() throws {
        let division: UInt16 = UInt16(bitPattern: Int16(-25) << 8) | 40
        let body: [UInt8] = [0x00, 0xFF, 0x51, 0x03, 0x07, 0xA1, 0x20,  // a 120 BPM tempo event, to be ignored
                             0x87, 0x68, 0x90, 0x3C, 0x64, 0x87, 0x68, 0x80, 0x3C, 0x00] + SMF.endOfTrack
        let file = try MIDIFile(bytes: SMF.file(division: division, tracks: [body]), name: "smpte.mid")
        #expect(file.ticksPerQuarter == 1000)
        #expect(file.tempoMicrosecondsPerQuarter == 1_000_000, "a quarter of one second: ticks are milliseconds")
        let note = try #require(file.noteSpans().first)
        #expect(note.start == 1000 && note.end == 2000)
        let drop = try MIDIFile(bytes: SMF.file(division: UInt16(bitPattern: Int16(-29) << 8) | 80, tracks: [SMF.endOfTrack]), name: "df.mid")
        #expect(drop.ticksPerQuarter == 2400)
        #expect(drop.tempoMicrosecondsPerQuarter == 1_001_001, "29.97 frames a second: 2400 ticks take 1.001 s")
    }

    @Test func moreTracksDeclaredThanPresent() {
        expectError(SMF.header(format: 1, tracks: 3) + SMF.track(SMF.endOfTrack), offset: 10,
                    "header declares 3 tracks but the file holds only 1")
        expectError(SMF.header(format: 1, tracks: 0xFFFF), offset: 10, "declares 65535 tracks but the file holds only 0")
        // Unknown chunks do not count as tracks.
        expectError(SMF.header(format: 1, tracks: 2) + SMF.track(SMF.endOfTrack) + SMF.chunk("XXXX", [1]), offset: 10,
                    "holds only 1")
    }

    // MARK: Chunks

    @Test func chunkLengthBeyondTheFile() {
        expectError(SMF.header() + SMF.chunk("MTrk", SMF.endOfTrack, length: 100), offset: 18,
                    "chunk 'MTrk' length 100 exceeds the 4 bytes left in the file")
        expectError(SMF.header() + SMF.chunk("MTrk", [], length: 0xFFFF_FFFF), offset: 18, "length 4294967295 exceeds")
        expectError(SMF.header() + SMF.chunk("XFIH", [1, 2], length: 3), offset: 18, "chunk 'XFIH' length 3")
        // Second track: starts at 14 + 8 + 4 = 26, length field at 30.
        expectError(SMF.header(format: 1, tracks: 2) + SMF.track(SMF.endOfTrack) + SMF.chunk("MTrk", [0], length: 2),
                    offset: 30, "length 2 exceeds the 1 bytes left")
    }

    @Test func truncatedChunkHeader() {
        expectError(SMF.header() + Array("MTr".utf8), offset: 14, "truncated chunk header: 3 of 8 bytes")
        expectError(SMF.header() + Array("MTrk".utf8) + [0, 0], offset: 14, "truncated chunk header: 6 of 8 bytes")
    }

    // MARK: Events

    @Test func runningStatusWithNoStatusByte() {
        expectError(oneTrack([0x00, 0x3C, 0x40]), offset: 23, "no status byte before it")
        // Meta events do not provide a status for running status.
        expectError(oneTrack([0x00, 0xFF, 0x03, 0x00, 0x00, 0x3C, 0x40]), offset: 27, "data byte 0x3C with no status byte")
        // Nor does a sysex.
        expectError(oneTrack([0x00, 0xF0, 0x01, 0xF7, 0x00, 0x3C, 0x40]), offset: 27, "running status")
        // Running status does not carry from one track to the next (second body starts at 22 + 8 + 8 = 38).
        expectError(SMF.file(format: 1, tracks: [[0x00, 0x90, 0x3C, 0x40] + SMF.endOfTrack, [0x00, 0x3C, 0x00]]),
                    offset: 39, "no status byte")
    }

    @Test func variableLengthQuantityLongerThanFourBytes() {
        expectError(oneTrack([0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x90, 0x3C, 0x40]), offset: 22, "delta time is longer than 4 bytes")
        expectError(oneTrack([0x00, 0xFF, 0x01, 0x80, 0x80, 0x80, 0x80, 0x00]), offset: 25, "meta event length is longer than 4 bytes")
        expectError(oneTrack([0x00, 0xF0, 0x81, 0x81, 0x81, 0x81, 0x01]), offset: 24, "sysex event length is longer than 4 bytes")
    }

    @Test func truncatedVariableLengthQuantity() {
        expectError(oneTrack([0x00, 0x90, 0x3C, 0x40, 0x81]), offset: 26, "truncated variable-length delta time")
        expectError(oneTrack([0x00, 0xFF, 0x01, 0x81]), offset: 25, "truncated variable-length meta event length")
    }

    @Test func lengthsBeyondTheChunk() {
        expectError(oneTrack([0x00, 0xFF, 0x01, 0x7F, 0x41]), offset: 25, "meta event length 127 exceeds the 1 bytes left")
        // An absurd length: refused before anything is allocated for it.
        expectError(oneTrack([0x00, 0xFF, 0x01, 0xFF, 0xFF, 0xFF, 0x7F, 0x41]), offset: 25, "meta event length 268435455 exceeds")
        expectError(oneTrack([0x00, 0xF0, 0x05, 0x01, 0x02]), offset: 24, "sysex event length 5 exceeds the 2 bytes left")
        // The chunk bounds the event even when the file goes on.
        let bytes = SMF.header(format: 1, tracks: 2) + SMF.track([0x00, 0xFF, 0x01, 0x05])
            + SMF.track([0x41, 0x42, 0x43, 0x44, 0x45])
        expectError(bytes, offset: 25, "exceeds the 0 bytes left in the track chunk")
    }

    @Test func metaEventsWithTheWrongLength() {
        expectError(oneTrack([0x00, 0xFF, 0x51, 0x02, 0x07, 0xA1]), offset: 25, "tempo meta event must have length 3, found 2")
        expectError(oneTrack([0x00, 0xFF, 0x51, 0x04, 0x00, 0x07, 0xA1, 0x20]), offset: 25, "found 4")
        expectError(oneTrack([0x00, 0xFF, 0x58, 0x03, 0x04, 0x02, 0x18]), offset: 25, "time signature meta event must have length 4, found 3")
        expectError(oneTrack([0x00, 0xFF, 0x59, 0x01, 0x00]), offset: 25, "key signature meta event must have length 2, found 1")
        expectError(oneTrack([0x00, 0xFF]), offset: 23, "truncated meta event")
    }

    @Test func systemCommonAndRealTimeBytes() {
        expectError(oneTrack([0x00, 0xF8]), offset: 23, "status byte 0xF8 is not allowed")
        expectError(oneTrack([0x00, 0xF1, 0x00]), offset: 23, "0xF1")
        expectError(oneTrack([0x00, 0x90, 0x3C, 0x40, 0x00, 0xFE]), offset: 27, "0xFE")
    }

    @Test func truncatedChannelMessages() {
        expectError(oneTrack([0x00, 0x90, 0x3C]), offset: 23, "truncated channel message 0x90: needs 2 data bytes, 1 left")
        expectError(oneTrack([0x00, 0xC0]), offset: 23, "needs 1 data bytes, 0 left")
        // Under running status the message starts at its first data byte.
        expectError(oneTrack([0x00, 0x90, 0x3C, 0x40, 0x00, 0x3C]), offset: 27, "truncated channel message")
        // A status byte where a data byte belongs.
        expectError(oneTrack([0x00, 0x90, 0x3C, 0x90, 0x3C, 0x40]), offset: 25, "expected a data byte in channel message 0x90, found 0x90")
    }

    @Test func deltaTimeWithNoEvent() {
        expectError(oneTrack([0x00, 0x90, 0x3C, 0x40, 0x05]), offset: 26, "ends after a delta time")
    }

    @Test func tooManyEvents() {
        let body: [UInt8] = [0x00, 0x90, 0x3C, 0x40, 0x00, 0x3C, 0x00, 0x00, 0x3C, 0x40, 0x00, 0x3C, 0x00]
        // Events start at 22, 26, 29, 32: the fourth is one too many.
        expectError(oneTrack(body), offset: 32, "more than 3 events", maxEvents: 3)
        // The cap is per file, not per track: second track body at 22 + 7 + 8 = 37, its second event at 41.
        let two = SMF.file(format: 1, tracks: [[0x00, 0x90, 0x3C, 0x40, 0x00, 0x3C, 0x00],
                                                [0x00, 0x91, 0x3C, 0x40, 0x00, 0x3C, 0x00]])
        expectError(two, offset: 41, "more than 3 events", maxEvents: 3)
    }

    @Test func errorsNameTheFile() {
        let error = parseError([], name: "/some/dir/song.mid")
        #expect(error?.file == "/some/dir/song.mid")
        #expect(error?.description.hasPrefix("/some/dir/song.mid: byte 0: ") == true)
    }
}
