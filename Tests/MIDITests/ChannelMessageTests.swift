import MIDI
import XCTest

final class ChannelMessageTests: XCTestCase {
    /// Panic relies on these being the channel mode messages MIDI defines: CC 123 and CC 120, value 0.
    func testAllNotesOffAndAllSoundOffAreControllers123And120OfValueZero() {
        XCTAssertEqual(ChannelMessage.allNotesOff(channel: 5), .controlChange(channel: 5, controller: 123, value: 0))
        XCTAssertEqual(ChannelMessage.allSoundOff(channel: 15), .controlChange(channel: 15, controller: 120, value: 0))
        XCTAssertEqual(ChannelMessage.allNotesOffController, 123)
        XCTAssertEqual(ChannelMessage.allSoundOffController, 120)
    }

    /// improv's note-offs carry release velocity 0 unless one is given (a player's keyboard's).
    func testNoteOffReleaseVelocityDefaultsToZero() {
        XCTAssertEqual(ChannelMessage.noteOff(channel: 2, key: 60), .noteOff(channel: 2, key: 60, velocity: 0))
        XCTAssertNotEqual(ChannelMessage.noteOff(channel: 2, key: 60), .noteOff(channel: 2, key: 60, velocity: 64))
    }

    func testEveryChannelMessageNamesItsChannel() {
        let messages: [ChannelMessage] = [
            .noteOn(channel: 1, key: 60, velocity: 100), .noteOff(channel: 2, key: 60),
            .controlChange(channel: 3, controller: 7, value: 90), .programChange(channel: 4, program: 0),
            .pitchBend(channel: 5, value: -1),
        ]
        XCTAssertEqual(messages.map(\.channel), [1, 2, 3, 4, 5])
    }

    /// The 14-bit form a MIDI file and FluidSynth carry: the signed bend plus 8192, clamped.
    func testUnsignedPitchBendIsCentredOn8192AndClamped() {
        XCTAssertEqual(ChannelMessage.unsignedPitchBend(0), 8192)
        XCTAssertEqual(ChannelMessage.unsignedPitchBend(-8192), 0)
        XCTAssertEqual(ChannelMessage.unsignedPitchBend(8191), 16383)
        XCTAssertEqual(ChannelMessage.unsignedPitchBend(-300), 7892)
        XCTAssertEqual(ChannelMessage.unsignedPitchBend(9000), 16383)
        XCTAssertEqual(ChannelMessage.unsignedPitchBend(.min), 0)
        XCTAssertEqual(ChannelMessage.unsignedPitchBend(.max), 16383)
    }
}

final class MIDIMessageTests: XCTestCase {
    func testChannelIsTheChannelMessagesAndNilForRealTime() {
        XCTAssertEqual(MIDIMessage.channel(.allSoundOff(channel: 9)).channel, 9)
        XCTAssertEqual(MIDIMessage.channel(.noteOn(channel: 0, key: 1, velocity: 2)).channel, 0)
        for m in [MIDIMessage.clock, .start, .stop, .continue] { XCTAssertNil(m.channel, "\(m)") }
    }
}
