import CALSA
import MIDI

/// MIDIMessage <-> snd_seq_event_t. Pure: touches only the event struct, never the sequencer.
extension MIDIMessage {
    /// Fills the type and data of `ev` (addressing and timing are left to the caller).
    package func encode(into ev: inout snd_seq_event_t) {
        switch self {
        case let .channel(m): m.encode(into: &ev)
        case .clock: Self.setRealtime(&ev, SND_SEQ_EVENT_CLOCK)
        case .start: Self.setRealtime(&ev, SND_SEQ_EVENT_START)
        case .stop: Self.setRealtime(&ev, SND_SEQ_EVENT_STOP)
        case .continue: Self.setRealtime(&ev, SND_SEQ_EVENT_CONTINUE)
        }
    }

    private static func setRealtime(_ ev: inout snd_seq_event_t, _ type: snd_seq_event_type) {
        ev.type = snd_seq_event_type_t(type.rawValue)
        improv_snd_seq_ev_set_fixed(&ev)
    }

    /// An event carrying this message, cleared, with no address or time yet.
    package var event: snd_seq_event_t {
        var ev = snd_seq_event_t()
        improv_snd_seq_ev_clear(&ev)
        encode(into: &ev)
        return ev
    }

    /// The message an event carries, or nil for anything that is not one of ours (never traps).
    package init?(event ev: snd_seq_event_t) {
        switch UInt32(ev.type) {
        case SND_SEQ_EVENT_CLOCK.rawValue: self = .clock
        case SND_SEQ_EVENT_START.rawValue: self = .start
        case SND_SEQ_EVENT_STOP.rawValue: self = .stop
        case SND_SEQ_EVENT_CONTINUE.rawValue: self = .continue
        default:
            guard let m = ChannelMessage(event: ev) else { return nil }
            self = .channel(m)
        }
    }
}

extension ChannelMessage {
    /// Fills the type and data of `ev`, keeping the low 4 bits of the channel and the low 7 of
    /// data bytes. Controllers 123 and 120 (all notes off, all sound off) go out with value 0.
    package func encode(into ev: inout snd_seq_event_t) {
        switch self {
        case let .noteOn(c, k, v):
            improv_snd_seq_ev_set_noteon(&ev, c & 0x0F, k & 0x7F, v & 0x7F)
        case let .noteOff(c, k, v):
            improv_snd_seq_ev_set_noteoff(&ev, c & 0x0F, k & 0x7F, v & 0x7F)
        case let .controlChange(c, cc, v):
            let mode = cc == Self.allNotesOffController || cc == Self.allSoundOffController
            improv_snd_seq_ev_set_controller(&ev, c & 0x0F, UInt32(cc & 0x7F), mode ? 0 : Int32(v & 0x7F))
        case let .programChange(c, p):
            improv_snd_seq_ev_set_pgmchange(&ev, c & 0x0F, Int32(p & 0x7F))
        case let .pitchBend(c, v):
            improv_snd_seq_ev_set_pitchbend(&ev, c & 0x0F, Int32(min(max(v, Self.pitchBendRange.lowerBound), Self.pitchBendRange.upperBound)))
        }
    }

    /// The channel message an event carries, or nil (never traps). A note-on with velocity 0
    /// decodes as a note-off; any CC 123 / CC 120 as all-notes-off / all-sound-off (value 0).
    package init?(event ev: snd_seq_event_t) {
        func byte(_ x: UInt8) -> UInt8 { x & 0x7F }
        switch UInt32(ev.type) {
        case SND_SEQ_EVENT_NOTEON.rawValue:
            let n = ev.data.note
            // Only the low 7 bits count: a velocity of 128 is 0, a note-off, not a silent note-on.
            self = byte(n.velocity) == 0
                ? .noteOff(channel: n.channel & 0x0F, key: byte(n.note), velocity: 0)
                : .noteOn(channel: n.channel & 0x0F, key: byte(n.note), velocity: byte(n.velocity))
        case SND_SEQ_EVENT_NOTEOFF.rawValue:
            let n = ev.data.note
            self = .noteOff(channel: n.channel & 0x0F, key: byte(n.note), velocity: byte(n.velocity))
        case SND_SEQ_EVENT_CONTROLLER.rawValue:
            let c = ev.data.control
            guard c.param < 128 else { return nil }
            let cc = UInt8(c.param)
            switch cc {
            case Self.allNotesOffController: self = .allNotesOff(channel: c.channel & 0x0F)
            case Self.allSoundOffController: self = .allSoundOff(channel: c.channel & 0x0F)
            default: self = .controlChange(channel: c.channel & 0x0F, controller: cc, value: UInt8(truncatingIfNeeded: c.value) & 0x7F)
            }
        case SND_SEQ_EVENT_PGMCHANGE.rawValue:
            let c = ev.data.control
            self = .programChange(channel: c.channel & 0x0F, program: UInt8(truncatingIfNeeded: c.value) & 0x7F)
        case SND_SEQ_EVENT_PITCHBEND.rawValue:
            let c = ev.data.control
            let range = Self.pitchBendRange
            self = .pitchBend(channel: c.channel & 0x0F, value: Int16(min(max(c.value, Int32(range.lowerBound)), Int32(range.upperBound))))
        default: return nil
        }
    }
}
