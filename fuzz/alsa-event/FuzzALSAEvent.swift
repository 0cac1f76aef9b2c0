import ALSASequencer
import CALSA
import FuzzSupport
import MIDI

// Bytes -> snd_seq_event_t -> InputEvent, as the daemon decodes what the sequencer hands it.
// Input layout: byte 0 is improv's queue (0xFF: no queue), bytes 1-4 the fallback tick
// (little-endian), the rest the event struct's bytes (zero-filled when short).
// Properties: never traps; a decoded MIDI message has channel 0-15 and data 0-127 and
// survives encoding and decoding again; the tick is the kernel's only when the event is
// tick-stamped on improv's queue.

let eventSize = MemoryLayout<snd_seq_event_t>.size
let headerSize = 5

/// Runs one input (called by fuzz/main for IMPROV_FUZZ_TARGET=alsa-event).
public func fuzzALSAEvent(_ input: [UInt8]) {
    var bytes = input
    if bytes.count < headerSize + eventSize { bytes += [UInt8](repeating: 0, count: headerSize + eventSize - bytes.count) }
    let queue: Int32? = bytes[0] == 0xFF ? nil : Int32(bytes[0])
    let fallbackTick = UInt32(bytes[1]) | UInt32(bytes[2]) << 8 | UInt32(bytes[3]) << 16 | UInt32(bytes[4]) << 24
    var ev = snd_seq_event_t()
    withUnsafeMutableBytes(of: &ev) { raw in
        raw.copyBytes(from: bytes[headerSize..<(headerSize + eventSize)])
    }

    let input = InputEvent(event: ev, queue: queue, fallbackTick: fallbackTick)
    let tickStamped = UInt32(ev.flags) & UInt32(SND_SEQ_TIME_STAMP_MASK) == UInt32(SND_SEQ_TIME_STAMP_TICK)
    let kernel = tickStamped && queue == Int32(ev.queue)
    if input.tickIsKernelStamped != kernel || input.tick != (kernel ? ev.time.tick : fallbackTick) {
        fuzzFailure("tick \(input.tick) (kernel: \(input.tickIsKernelStamped)) for flags \(ev.flags), queue \(ev.queue) of \(String(describing: queue))")
    }
    if case .midi(let message) = input.kind {
        check(message)
        let again = MIDIMessage(event: message.event)
        if again != message { fuzzFailure("\(message) decodes as \(String(describing: again)) after encoding") }
    }
}

/// What decoding promises: channels 0-15, data bytes 0-127, a note-on never of velocity 0,
/// all-notes-off and all-sound-off (CC 123, CC 120) always of value 0.
func check(_ m: MIDIMessage) {
    func data(_ x: UInt8) -> Bool { x <= 127 }
    let ok: Bool
    switch m {
    case let .channel(.noteOn(_, k, v)): ok = data(k) && data(v) && v > 0
    case let .channel(.noteOff(_, k, v)): ok = data(k) && data(v)
    case let .channel(.controlChange(_, cc, v)):
        let mode = cc == ChannelMessage.allNotesOffController || cc == ChannelMessage.allSoundOffController
        ok = data(cc) && data(v) && (!mode || v == 0)
    case let .channel(.programChange(_, p)): ok = data(p)
    case let .channel(.pitchBend(_, v)): ok = ChannelMessage.pitchBendRange.contains(v)
    case .clock, .start, .stop, .continue: ok = true
    }
    if !ok || (m.channel ?? 0) > 15 { fuzzFailure("decoded message out of range: \(m)") }
}

/// Every message improv sends, encoded by the ALSA module itself, and the announcements the
/// system client sends; tick-stamped on queue 0 (improv's queue in the seed's first byte).
public func eventSeeds() -> [(name: String, bytes: [UInt8])] {
    func seed(_ name: String, _ ev: snd_seq_event_t) -> (name: String, bytes: [UInt8]) {
        var ev = ev
        ev.queue = 0
        ev.time.tick = 1234
        ev.source = snd_seq_addr_t(client: 20, port: 0)
        ev.dest = snd_seq_addr_t(client: 128, port: 1)
        return (name, [0, 0x10, 0x27, 0, 0] + withUnsafeBytes(of: &ev) { Array($0) })
    }
    let messages: [(String, MIDIMessage)] = [
        ("note-on", .channel(.noteOn(channel: 0, key: 60, velocity: 100))),
        ("note-off", .channel(.noteOff(channel: 1, key: 62, velocity: 64))),
        ("control-change", .channel(.controlChange(channel: 2, controller: 7, value: 90))),
        ("program-change", .channel(.programChange(channel: 3, program: 66))),
        ("pitch-bend", .channel(.pitchBend(channel: 4, value: -300))),
        ("all-notes-off", .channel(.allNotesOff(channel: 5))),
        ("all-sound-off", .channel(.allSoundOff(channel: 6))),
        ("clock", .clock), ("start", .start), ("stop", .stop), ("continue", .continue),
    ]
    var seeds = messages.map { seed("\($0.0).bin", $0.1.event) }
    func announce(_ type: snd_seq_event_type, _ fill: (inout snd_seq_event_t) -> Void) -> snd_seq_event_t {
        var ev = snd_seq_event_t()
        improv_snd_seq_ev_clear(&ev)
        ev.type = snd_seq_event_type_t(type.rawValue)
        fill(&ev)
        return ev
    }
    let connect = snd_seq_connect_t(sender: snd_seq_addr_t(client: 24, port: 0), dest: snd_seq_addr_t(client: 128, port: 0))
    seeds.append(seed("port-subscribed.bin", announce(SND_SEQ_EVENT_PORT_SUBSCRIBED) { $0.data.connect = connect }))
    seeds.append(seed("port-unsubscribed.bin", announce(SND_SEQ_EVENT_PORT_UNSUBSCRIBED) { $0.data.connect = connect }))
    seeds.append(seed("client-start.bin", announce(SND_SEQ_EVENT_CLIENT_START) { $0.data.addr = snd_seq_addr_t(client: 24, port: 0) }))
    seeds.append(seed("port-exit.bin", announce(SND_SEQ_EVENT_PORT_EXIT) { $0.data.addr = snd_seq_addr_t(client: 24, port: 2) }))
    seeds.append(seed("sysex-other.bin", announce(SND_SEQ_EVENT_SYSEX) { _ in }))
    return seeds
}
