import Engine
import MIDI
import Synchronization

/// Something the loop did that a watcher (the control page) may show: a note heard from the
/// player or played by improv, all notes off, the place in the form each beat. Plain values
/// only (no strings, no references), so recording one copies a few words and allocates nothing.
public struct DaemonEvent: Sendable, Equatable {
    public enum Kind: UInt8, Sendable {
        /// The player's note (channel as played), `velocity` 0 for a note-off.
        case heard
        /// improv's note (its channel says which part), `velocity` 0 for a note-off.
        case played
        /// Every note silenced (a panic, all-notes-off out).
        case allNotesOff
        /// A new beat: `value` is the slice within the form.
        case beat
    }

    public var kind: Kind
    public var channel: UInt8 = 0
    public var key: UInt8 = 0
    public var velocity: UInt8 = 0
    /// The queue's tick it sounds at (a played note may be scheduled ahead).
    public var tick: Int
    public var value: Int = 0

    public init(kind: Kind, channel: UInt8 = 0, key: UInt8 = 0, velocity: UInt8 = 0, tick: Int, value: Int = 0) {
        self.kind = kind
        self.channel = channel
        self.key = key
        self.velocity = velocity
        self.tick = tick
        self.value = value
    }
}

/// A fixed ring of `DaemonEvent`s from the loop (one producer) to a watcher (one consumer at a
/// time), lock-free: `record` writes a slot and publishes it with one atomic store; it never
/// waits and never allocates. When the watcher has fallen a whole ring behind, new events are
/// dropped (and counted) rather than slowing the loop.
public final class DaemonEventRing: @unchecked Sendable {
    // @unchecked: slots [read, written) belong to the consumer, the rest to the producer; the
    // atomics' acquire/release orderings hand each slot over.
    public let capacity: Int
    private let slots: UnsafeMutablePointer<DaemonEvent>
    private let written = Atomic<Int>(0)
    private let read = Atomic<Int>(0)
    private let lost = Atomic<Int>(0)

    public init(capacity: Int = 8192) {
        precondition(capacity > 0)
        self.capacity = capacity
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: DaemonEvent(kind: .beat, tick: 0), count: capacity)
    }

    deinit { slots.deallocate() }

    /// The loop's side: never blocks; drops the event when the ring is full.
    public func record(_ event: DaemonEvent) {
        let w = written.load(ordering: .relaxed)
        guard w - read.load(ordering: .acquiring) < capacity else {
            lost.add(1, ordering: .relaxed)
            return
        }
        slots[w % capacity] = event
        written.store(w + 1, ordering: .releasing)
    }

    /// Events dropped so far because the ring was full.
    public var dropped: Int { lost.load(ordering: .relaxed) }

    /// The watcher's side (one caller at a time): hands every event recorded so far to `body`,
    /// oldest first, and frees their slots. Returns how many.
    @discardableResult
    public func drain(_ body: (DaemonEvent) -> Void) -> Int {
        let r = read.load(ordering: .relaxed)
        let w = written.load(ordering: .acquiring)
        for i in r..<w { body(slots[i % capacity]) }
        read.store(w, ordering: .releasing)
        return w - r
    }
}

/// The engine's output as it leaves, told to the ring too (the notes improv plays, a panic).
final class TappedOutput: MIDIOutput {
    let base: MIDIOutput
    let tap: EventTap
    init(_ base: MIDIOutput, tap: EventTap) {
        self.base = base
        self.tap = tap
    }

    func schedule(_ message: ChannelMessage, atTick tick: Int) {
        base.schedule(message, atTick: tick)
        tap.played(message, tick: tick)
    }

    func sendNow(_ message: ChannelMessage) {
        base.sendNow(message)
        tap.played(message, tick: tap.now)
    }

    func dropScheduled() {
        base.dropScheduled()
        tap.ring?.record(DaemonEvent(kind: .allNotesOff, tick: tap.now))
    }
}

/// Where the loop records its events: nothing until a watcher sets `ring`. Loop thread only.
final class EventTap {
    var ring: DaemonEventRing?
    /// The queue's tick as of the loop's last look (for what is sent at once).
    var now = 0
    /// The beat a `.beat` event was last recorded for.
    var beat = -1

    func played(_ message: ChannelMessage, tick: Int) {
        guard let ring else { return }
        switch message {
        case .noteOn(let c, let k, let v): ring.record(DaemonEvent(kind: .played, channel: c, key: k, velocity: v, tick: tick))
        case .noteOff(let c, let k, _): ring.record(DaemonEvent(kind: .played, channel: c, key: k, velocity: 0, tick: tick))
        case .controlChange(let c, 123, _), .controlChange(let c, 120, _): ring.record(DaemonEvent(kind: .allNotesOff, channel: c, tick: tick))
        default: break
        }
    }

    func heard(_ message: ChannelMessage, tick: Int) {
        guard let ring else { return }
        switch message {
        case .noteOn(let c, let k, let v): ring.record(DaemonEvent(kind: .heard, channel: c, key: k, velocity: v, tick: tick))
        case .noteOff(let c, let k, _): ring.record(DaemonEvent(kind: .heard, channel: c, key: k, velocity: 0, tick: tick))
        default: break
        }
    }
}

extension DaemonEventRing {
    /// `output`, with every note, all-notes-off and panic it passes also recorded here (as the
    /// daemon's loop does with its engine's output). For the allocation check of the path.
    public func watching(_ output: MIDIOutput) -> MIDIOutput {
        let tap = EventTap()
        tap.ring = self
        return TappedOutput(output, tap: tap)
    }
}
