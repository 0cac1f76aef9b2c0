import CALSA
import MIDI
import XCTest
@testable import ALSASequencer

final class EventCodingTests: XCTestCase {
    static let everyCase: [MIDIMessage] = [
        .channel(.noteOn(channel: 0, key: 60, velocity: 100)),
        .channel(.noteOn(channel: 15, key: 127, velocity: 1)),
        .channel(.noteOff(channel: 3, key: 0, velocity: 64)),
        .channel(.noteOff(channel: 9, key: 42, velocity: 0)),
        .channel(.controlChange(channel: 1, controller: 7, value: 127)),
        .channel(.controlChange(channel: 2, controller: 0, value: 0)),
        .channel(.programChange(channel: 4, program: 0)),
        .channel(.programChange(channel: 15, program: 127)),
        .channel(.pitchBend(channel: 5, value: -8192)),
        .channel(.pitchBend(channel: 5, value: 0)),
        .channel(.pitchBend(channel: 5, value: 8191)),
        .channel(.allNotesOff(channel: 0)),
        .channel(.allNotesOff(channel: 15)),
        .channel(.allSoundOff(channel: 7)),
        .clock, .start, .stop, .continue,
    ]

    func testEveryCaseRoundTrips() {
        for m in Self.everyCase {
            XCTAssertEqual(MIDIMessage(event: m.event), m, "\(m)")
        }
    }

    func testEncodedFields() {
        var ev = MIDIMessage.channel(.noteOn(channel: 2, key: 61, velocity: 90)).event
        XCTAssertEqual(UInt32(ev.type), SND_SEQ_EVENT_NOTEON.rawValue)
        XCTAssertEqual(ev.data.note.channel, 2)
        XCTAssertEqual(ev.data.note.note, 61)
        XCTAssertEqual(ev.data.note.velocity, 90)
        XCTAssertEqual(UInt32(ev.flags) & UInt32(SND_SEQ_EVENT_LENGTH_MASK), UInt32(SND_SEQ_EVENT_LENGTH_FIXED))

        ev = MIDIMessage.channel(.allNotesOff(channel: 3)).event
        XCTAssertEqual(UInt32(ev.type), SND_SEQ_EVENT_CONTROLLER.rawValue)
        XCTAssertEqual(ev.data.control.param, 123)
        XCTAssertEqual(ev.data.control.value, 0)
        XCTAssertEqual(ev.data.control.channel, 3)

        ev = MIDIMessage.channel(.allSoundOff(channel: 0)).event
        XCTAssertEqual(ev.data.control.param, 120)

        ev = MIDIMessage.channel(.pitchBend(channel: 0, value: -100)).event
        XCTAssertEqual(UInt32(ev.type), SND_SEQ_EVENT_PITCHBEND.rawValue)
        XCTAssertEqual(ev.data.control.value, -100)

        ev = MIDIMessage.clock.event
        XCTAssertEqual(UInt32(ev.type), SND_SEQ_EVENT_CLOCK.rawValue)
        XCTAssertEqual(MIDIMessage.start.event.type, UInt8(SND_SEQ_EVENT_START.rawValue))
        XCTAssertEqual(MIDIMessage.stop.event.type, UInt8(SND_SEQ_EVENT_STOP.rawValue))
        XCTAssertEqual(MIDIMessage.continue.event.type, UInt8(SND_SEQ_EVENT_CONTINUE.rawValue))
    }

    func testEncodingMasksOutOfRangeBytes() {
        let ev = MIDIMessage.channel(.noteOn(channel: 0x12, key: 200, velocity: 255)).event
        XCTAssertEqual(MIDIMessage(event: ev), .channel(.noteOn(channel: 2, key: 72, velocity: 127)))
        XCTAssertEqual(MIDIMessage(event: MIDIMessage.channel(.pitchBend(channel: 0, value: 9000)).event), .channel(.pitchBend(channel: 0, value: 8191)))
        XCTAssertEqual(MIDIMessage(event: MIDIMessage.channel(.pitchBend(channel: 0, value: -9000)).event), .channel(.pitchBend(channel: 0, value: -8192)))
    }

    func testNoteOnVelocityZeroDecodesAsNoteOff() {
        let ev = MIDIMessage.channel(.noteOn(channel: 1, key: 64, velocity: 0)).event
        XCTAssertEqual(UInt32(ev.type), SND_SEQ_EVENT_NOTEON.rawValue)
        XCTAssertEqual(MIDIMessage(event: ev), .channel(.noteOff(channel: 1, key: 64, velocity: 0)))
    }

    /// All notes off and all sound off are channel mode messages of value 0: whatever value a
    /// peer sends with CC 123 or CC 120 decodes as value 0, and improv sends only 0.
    func testControllers123And120AreAlwaysOfValueZero() {
        var ev = MIDIMessage.channel(.controlChange(channel: 4, controller: 1, value: 0)).event
        ev.data.control.param = 123
        ev.data.control.value = 7
        XCTAssertEqual(MIDIMessage(event: ev), .channel(.allNotesOff(channel: 4)))
        ev.data.control.param = 120
        XCTAssertEqual(MIDIMessage(event: ev), .channel(.allSoundOff(channel: 4)))

        ev = MIDIMessage.channel(.controlChange(channel: 4, controller: 123, value: 9)).event
        XCTAssertEqual(ev.data.control.param, 123)
        XCTAssertEqual(ev.data.control.value, 0)
        ev = MIDIMessage.channel(.controlChange(channel: 4, controller: 7, value: 9)).event
        XCTAssertEqual(ev.data.control.value, 9, "other controllers keep their value")
    }

    func testControllerParamAbove127IsNotAMessage() {
        var ev = MIDIMessage.channel(.controlChange(channel: 0, controller: 1, value: 1)).event
        ev.data.control.param = 1000   // a 14-bit/NRPN controller number: not ours
        XCTAssertNil(MIDIMessage(event: ev))
        XCTAssertEqual(InputEvent.Kind(event: ev), .other(type: UInt8(SND_SEQ_EVENT_CONTROLLER.rawValue)))
    }

    /// Decoding never traps, whatever the type and payload.
    func testEveryEventTypeDecodesWithoutTrapping() {
        var rng = SystemRandomNumberGenerator()
        for type in 0...255 {
            for _ in 0..<20 {
                var ev = snd_seq_event_t()
                improv_snd_seq_ev_clear(&ev)
                ev.type = UInt8(type)
                withUnsafeMutableBytes(of: &ev.data) { raw in
                    for i in raw.indices { raw[i] = UInt8.random(in: 0...255, using: &rng) }
                }
                ev.flags = UInt8(SND_SEQ_EVENT_LENGTH_FIXED)  // never claim variable data we do not have
                _ = MIDIMessage(event: ev)
                _ = InputEvent.Kind(event: ev)
            }
        }
    }

    func testAnnouncementsDecode() {
        func event(_ type: snd_seq_event_type, client: UInt8, port: UInt8) -> snd_seq_event_t {
            var ev = snd_seq_event_t()
            improv_snd_seq_ev_clear(&ev)
            ev.type = UInt8(type.rawValue)
            ev.data.addr = snd_seq_addr_t(client: client, port: port)
            return ev
        }
        XCTAssertEqual(InputEvent.Kind(event: event(SND_SEQ_EVENT_CLIENT_START, client: 130, port: 0)), .clientStart(client: 130))
        XCTAssertEqual(InputEvent.Kind(event: event(SND_SEQ_EVENT_CLIENT_EXIT, client: 130, port: 0)), .clientExit(client: 130))
        XCTAssertEqual(InputEvent.Kind(event: event(SND_SEQ_EVENT_CLIENT_CHANGE, client: 131, port: 0)), .clientChange(client: 131))
        XCTAssertEqual(InputEvent.Kind(event: event(SND_SEQ_EVENT_PORT_START, client: 130, port: 2)), .portStart(SequencerAddress(client: 130, port: 2)))
        XCTAssertEqual(InputEvent.Kind(event: event(SND_SEQ_EVENT_PORT_EXIT, client: 130, port: 2)), .portExit(SequencerAddress(client: 130, port: 2)))
        XCTAssertEqual(InputEvent.Kind(event: event(SND_SEQ_EVENT_PORT_CHANGE, client: 14, port: 0)), .portChange(SequencerAddress(client: 14, port: 0)))

        var sub = snd_seq_event_t()
        improv_snd_seq_ev_clear(&sub)
        sub.type = UInt8(SND_SEQ_EVENT_PORT_SUBSCRIBED.rawValue)
        sub.data.connect = snd_seq_connect_t(sender: snd_seq_addr_t(client: 14, port: 0), dest: snd_seq_addr_t(client: 128, port: 1))
        XCTAssertEqual(InputEvent.Kind(event: sub), .portSubscribed(sender: .init(client: 14, port: 0), dest: .init(client: 128, port: 1)))
        sub.type = UInt8(SND_SEQ_EVENT_PORT_UNSUBSCRIBED.rawValue)
        XCTAssertEqual(InputEvent.Kind(event: sub), .portUnsubscribed(sender: .init(client: 14, port: 0), dest: .init(client: 128, port: 1)))

        XCTAssertEqual(InputEvent.Kind(event: MIDIMessage.clock.event), .midi(.clock))
        var sysex = snd_seq_event_t()
        improv_snd_seq_ev_clear(&sysex)
        sysex.type = UInt8(SND_SEQ_EVENT_SYSEX.rawValue)
        XCTAssertEqual(InputEvent.Kind(event: sysex), .other(type: UInt8(SND_SEQ_EVENT_SYSEX.rawValue)))
    }

    func testChannelAccessor() {
        XCTAssertEqual(MIDIMessage.channel(.allSoundOff(channel: 9)).channel, 9)
        XCTAssertNil(MIDIMessage.clock.channel)
    }
}
