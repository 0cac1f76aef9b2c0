import Daemon
import Foundation

/// Drains a DaemonEventRing on a thread of its own, as the control page does, until stopped.
final class RingReader: @unchecked Sendable {
    // @unchecked: `drained` is the reader thread's until `stop` has joined it (the lock).
    private let ring: DaemonEventRing
    private let lock = NSCondition()
    private var stopping = false
    private var finished = false
    private var drained = 0

    init(_ ring: DaemonEventRing) {
        self.ring = ring
        let thread = Thread { [self] in
            var n = 0
            while !lock.withLock({ stopping }) {
                n += ring.drain { _ in }
                usleep(1000)
            }
            n += ring.drain { _ in }
            lock.withLock {
                drained = n
                finished = true
                lock.broadcast()
            }
        }
        thread.start()
    }

    /// Stops the reader; returns how many events it drained.
    func stop() -> Int {
        lock.lock()
        defer { lock.unlock() }
        stopping = true
        while !finished { lock.wait() }
        return drained
    }
}
