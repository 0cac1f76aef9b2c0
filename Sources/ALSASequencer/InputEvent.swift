import CALSA
import MIDI

/// An event read from the sequencer.
public struct InputEvent: Hashable, Sendable {
    /// The tick of improv's queue when the event arrived: stamped by the kernel when the
    /// event came through a subscription to a timestamping port (`tickIsKernelStamped`),
    /// else the queue's tick when it was read (0 when there is no queue).
    public var tick: UInt32
    public var tickIsKernelStamped: Bool
    /// Who sent it (for announcements: the system client, 0:1).
    public var source: SequencerAddress
    /// Our port it arrived at.
    public var destPort: Int
    public var kind: Kind

    public enum Kind: Hashable, Sendable {
        case midi(MIDIMessage)
        case portSubscribed(sender: SequencerAddress, dest: SequencerAddress)
        case portUnsubscribed(sender: SequencerAddress, dest: SequencerAddress)
        case clientStart(client: Int)
        case clientExit(client: Int)
        case clientChange(client: Int)
        case portStart(SequencerAddress)
        case portExit(SequencerAddress)
        case portChange(SequencerAddress)
        /// Anything else (sysex, aftertouch, queue events...): its ALSA event type number.
        case other(type: UInt8)
    }

    public init(tick: UInt32, tickIsKernelStamped: Bool, source: SequencerAddress, destPort: Int, kind: Kind) {
        self.tick = tick
        self.tickIsKernelStamped = tickIsKernelStamped
        self.source = source
        self.destPort = destPort
        self.kind = kind
    }
}

extension InputEvent {
    /// Decodes an event read from the sequencer (pure: no sequencer needed, never traps).
    /// The tick is the kernel's stamp when the event is tick-stamped on `queue` (improv's
    /// queue), else `fallbackTick`.
    package init(event ev: snd_seq_event_t, queue: Int32?, fallbackTick: UInt32) {
        let kernel = Self.isKernelStamped(ev, queue: queue)
        self.init(
            tick: kernel ? ev.time.tick : fallbackTick,
            tickIsKernelStamped: kernel,
            source: SequencerAddress(client: Int(ev.source.client), port: Int(ev.source.port)),
            destPort: Int(ev.dest.port),
            kind: Kind(event: ev))
    }

    /// Stamped by the kernel in `queue`'s ticks (else the reader supplies a tick).
    package static func isKernelStamped(_ ev: snd_seq_event_t, queue: Int32?) -> Bool {
        let tickStamped = (UInt32(ev.flags) & UInt32(SND_SEQ_TIME_STAMP_MASK)) == UInt32(SND_SEQ_TIME_STAMP_TICK)
        return tickStamped && queue.map { Int32(ev.queue) == $0 } ?? false
    }
}

extension InputEvent.Kind {
    /// Decodes any event; never traps (unknown types become `.other`).
    package init(event ev: snd_seq_event_t) {
        if let m = MIDIMessage(event: ev) {
            self = .midi(m)
            return
        }
        func addr(_ a: snd_seq_addr_t) -> SequencerAddress { .init(client: Int(a.client), port: Int(a.port)) }
        switch UInt32(ev.type) {
        case SND_SEQ_EVENT_PORT_SUBSCRIBED.rawValue:
            self = .portSubscribed(sender: addr(ev.data.connect.sender), dest: addr(ev.data.connect.dest))
        case SND_SEQ_EVENT_PORT_UNSUBSCRIBED.rawValue:
            self = .portUnsubscribed(sender: addr(ev.data.connect.sender), dest: addr(ev.data.connect.dest))
        case SND_SEQ_EVENT_CLIENT_START.rawValue: self = .clientStart(client: Int(ev.data.addr.client))
        case SND_SEQ_EVENT_CLIENT_EXIT.rawValue: self = .clientExit(client: Int(ev.data.addr.client))
        case SND_SEQ_EVENT_CLIENT_CHANGE.rawValue: self = .clientChange(client: Int(ev.data.addr.client))
        case SND_SEQ_EVENT_PORT_START.rawValue: self = .portStart(addr(ev.data.addr))
        case SND_SEQ_EVENT_PORT_EXIT.rawValue: self = .portExit(addr(ev.data.addr))
        case SND_SEQ_EVENT_PORT_CHANGE.rawValue: self = .portChange(addr(ev.data.addr))
        default: self = .other(type: ev.type)
        }
    }
}
