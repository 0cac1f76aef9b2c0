import StandardMIDI
import Testing

@Suite struct NoteSpanTests {
    func spans(_ tracks: [[MIDITrackEvent]]) -> [MIDINoteSpan] {
        MIDIFile(ticksPerQuarter: 96, tracks: tracks.map { MIDITrack(events: $0) }).noteSpans()
    }

    func span(_ track: Int, _ channel: UInt8, _ key: UInt8, _ velocity: UInt8, _ start: UInt64, _ end: UInt64) -> MIDINoteSpan {
        MIDINoteSpan(track: track, channel: channel, key: key, velocity: velocity, start: start, end: end)
    }

    /// Track 0, channel 0, key 60.
    func span(_ velocity: UInt8, _ start: UInt64, _ end: UInt64) -> MIDINoteSpan {
        span(0, 0, 60, velocity, start, end)
    }

    @Test func overlappingNotesOnOneKeyPairFirstInFirstOut() {
        let result = spans([[
            at(0, .noteOn(channel: 0, key: 60, velocity: 10)),
            at(5, .noteOn(channel: 0, key: 60, velocity: 20)),
            at(7, .noteOff(channel: 0, key: 60, velocity: 0)),   // closes the note from tick 0
            at(9, .noteOff(channel: 0, key: 60, velocity: 0)),   // closes the note from tick 5
        ]])
        #expect(result == [span(10, 0, 7), span(20, 5, 9)])
    }

    @Test func strayNoteOffIsIgnoredAndOpenNotesCloseAtTheTracksLastTick() {
        let result = spans([[
            at(0, .noteOff(channel: 0, key: 60, velocity: 0)),   // nothing open: ignored
            at(10, .noteOn(channel: 0, key: 60, velocity: 30)),
            at(20, .noteOn(channel: 0, key: 62, velocity: 31)),
            at(25, .noteOff(channel: 0, key: 62, velocity: 0)),
            at(40, .controlChange(channel: 0, controller: 7, value: 1)),  // last event of the track
        ]])
        #expect(result == [span(30, 10, 40), span(0, 0, 62, 31, 20, 25)])
    }

    @Test func channelsAndTracksAreSeparate() {
        let result = spans([
            [at(0, .noteOn(channel: 0, key: 60, velocity: 1)), at(0, .noteOn(channel: 1, key: 60, velocity: 2)),
             at(3, .noteOff(channel: 1, key: 60, velocity: 0)), at(4, .noteOff(channel: 0, key: 60, velocity: 0))],
            [at(0, .noteOn(channel: 0, key: 60, velocity: 3)), at(8, .noteOff(channel: 0, key: 60, velocity: 0)),
             at(9, .noteOff(channel: 0, key: 60, velocity: 0))],
        ])
        #expect(result == [span(0, 0, 60, 1, 0, 4), span(0, 1, 60, 2, 0, 3), span(1, 0, 60, 3, 0, 8)])
    }

    @Test func noteOnWithVelocityZeroClosesAndZeroLengthNotesCount() {
        let result = spans([[
            at(0, .noteOn(channel: 2, key: 70, velocity: 50)),
            at(0, .noteOn(channel: 2, key: 70, velocity: 0)),
            at(6, .noteOn(channel: 2, key: 70, velocity: 51)),
        ]])
        #expect(result == [span(0, 2, 70, 50, 0, 0), span(0, 2, 70, 51, 6, 6)])
    }

    @Test func sortedByStartTrackChannelKey() {
        let result = spans([
            [at(5, .noteOn(channel: 3, key: 10, velocity: 1)), at(5, .noteOn(channel: 2, key: 90, velocity: 1)),
             at(5, .noteOn(channel: 2, key: 80, velocity: 1)), at(9, .noteOff(channel: 0, key: 0, velocity: 0))],
            [at(1, .noteOn(channel: 9, key: 36, velocity: 1)), at(5, .noteOn(channel: 0, key: 1, velocity: 1))],
        ])
        #expect(result.map { [Int($0.start), $0.track, Int($0.channel), Int($0.key)] } == [
            [1, 1, 9, 36], [5, 0, 2, 80], [5, 0, 2, 90], [5, 0, 3, 10], [5, 1, 0, 1],
        ])
        #expect(result.map(\.end) == [5, 9, 9, 9, 5])
    }

    @Test func emptyFileHasNoSpans() {
        #expect(spans([]).isEmpty)
        #expect(spans([[]]).isEmpty)
    }

    @Test func tempoIsTheEarliestTempoEvent() {
        func tempo(_ tracks: [[MIDITrackEvent]]) -> UInt32 {
            MIDIFile(ticksPerQuarter: 96, tracks: tracks.map { MIDITrack(events: $0) }).tempoMicrosecondsPerQuarter
        }
        #expect(tempo([]) == 500_000)
        #expect(tempo([[at(0, .noteOn(channel: 0, key: 1, velocity: 1))]]) == 500_000)
        #expect(tempo([[at(10, .tempo(microsecondsPerQuarter: 1)), at(20, .tempo(microsecondsPerQuarter: 2))],
                       [at(5, .tempo(microsecondsPerQuarter: 3))]]) == 3)
        #expect(tempo([[at(5, .tempo(microsecondsPerQuarter: 1))], [at(5, .tempo(microsecondsPerQuarter: 2))]]) == 1)
        #expect(tempo([[at(5, .tempo(microsecondsPerQuarter: 7)), at(5, .tempo(microsecondsPerQuarter: 8))]]) == 7)
    }
}
