import CFluidSynth
import MIDI
import StandardMIDI

/// improv's MIDI file event, named apart from MIDI's `ChannelMessage`.
public typealias StandardMIDIEvent = StandardMIDI.MIDIEvent

/// Sets the fluid_event_t to `message` (destination kept).
func fill(_ event: OpaquePointer, with message: ChannelMessage) {
    switch message {
    case .noteOn(let channel, let key, let velocity):
        // Velocity 0 is a note-off in MIDI; FluidSynth's noteon with 0 does the same.
        fluid_event_noteon(event, Int32(channel), Int16(key), Int16(velocity))
    case .noteOff(let channel, let key, _):
        fluid_event_noteoff(event, Int32(channel), Int16(key))
    case .controlChange(let channel, let controller, let value):
        fluid_event_control_change(event, Int32(channel), Int16(controller), Int32(value))
    case .programChange(let channel, let program):
        fluid_event_program_change(event, Int32(channel), Int32(program))
    case .pitchBend(let channel, let value):
        fluid_event_pitch_bend(event, Int32(channel), Int32(ChannelMessage.unsignedPitchBend(value)))
    }
}

/// Sets the fluid_event_t to a file's channel event; false for meta events.
func fill(_ event: OpaquePointer, with midiEvent: StandardMIDIEvent) -> Bool {
    switch midiEvent {
    case .noteOn(let channel, let key, let velocity):
        fluid_event_noteon(event, Int32(channel), Int16(key), Int16(velocity))
    case .noteOff(let channel, let key, _):
        fluid_event_noteoff(event, Int32(channel), Int16(key))
    case .polyPressure(let channel, let key, let pressure):
        fluid_event_key_pressure(event, Int32(channel), Int16(key), Int32(pressure))
    case .controlChange(let channel, let controller, let value):
        fluid_event_control_change(event, Int32(channel), Int16(controller), Int32(value))
    case .programChange(let channel, let program):
        fluid_event_program_change(event, Int32(channel), Int32(program))
    case .channelPressure(let channel, let pressure):
        fluid_event_channel_pressure(event, Int32(channel), Int32(pressure))
    case .pitchBend(let channel, let value):
        fluid_event_pitch_bend(event, Int32(channel), Int32(value))
    case .tempo, .timeSignature, .keySignature, .trackName, .meta:
        return false
    }
    return true
}
