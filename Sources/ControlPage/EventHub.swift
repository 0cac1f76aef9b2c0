import NIOConcurrencyHelpers

/// Where the session publishes its events, and the page's clients read them from.
///
/// A fixed ring: `publish` writes one slot under a short lock and returns; it never waits for a
/// client. Each client keeps its own cursor into the ring, so a slow client only falls behind;
/// once it is more than `capacity` events behind, the oldest it has not read are dropped for it
/// (it is told how many) and nobody else is slowed.
public final class EventHub: @unchecked Sendable {
    public let capacity: Int
    private let lock = NIOLock()
    private var ring: [ControlEvent]
    private var written = 0
    private var clients = 0

    public init(capacity: Int = 4096) {
        precondition(capacity > 0)
        self.capacity = capacity
        ring = Array(repeating: .stateChanged, count: capacity)
    }

    public func publish(_ event: ControlEvent) {
        lock.withLock {
            ring[written % capacity] = event
            written += 1
        }
    }

    /// Events published so far.
    public var published: Int { lock.withLock { written } }

    /// Clients connected to `/api/events` now.
    public var subscriberCount: Int { lock.withLock { clients } }

    func subscribed(_ delta: Int) { lock.withLock { clients += delta } }

    /// A cursor for a new client: `backlog` events back from now (so a page that just opened
    /// shows the last bars), at most what the ring still holds.
    func cursor(backlog: Int) -> Int {
        lock.withLock { max(0, written - min(backlog, capacity)) }
    }

    /// Appends up to `limit` events from `cursor` on to `out` and moves the cursor past them.
    /// Returns how many events were dropped because the cursor had fallen out of the ring.
    func read(from cursor: inout Int, limit: Int, into out: inout [ControlEvent]) -> Int {
        lock.withLock {
            var dropped = 0
            if written - cursor > capacity {
                dropped = written - capacity - cursor
                cursor = written - capacity
            }
            let end = min(written, cursor + limit)
            while cursor < end {
                out.append(ring[cursor % capacity])
                cursor += 1
            }
            return dropped
        }
    }
}
