import Synchronization

/// A `Synchronization.Mutex` that ThreadSanitizer can follow.
///
/// On Linux the Mutex's futex code lives in the standard library, which is not built with
/// TSan, so TSan sees no ordering between two threads' critical sections and reports every
/// access to the guarded value as a race (`make test-tsan`; even a counter incremented under
/// `withLock` on two threads is reported). Each critical section here also begins with an
/// acquiring load and ends with a releasing add on an atomic; the mutex already orders the
/// sections, so this only repeats that ordering where TSan sees it. Two atomic operations per
/// section, no allocation: fine on the real-time path.
final class Guarded<Value>: Sendable {
    private let mutex: Mutex<Value>
    private let edge = Atomic<Int>(0)

    init(_ value: sending Value) { mutex = Mutex(value) }

    /// Waits for the lock.
    func withLock<R>(_ body: (inout sending Value) -> sending R) -> sending R {
        mutex.withLock { value in
            _ = edge.load(ordering: .acquiring)
            defer { edge.wrappingAdd(1, ordering: .releasing) }
            return body(&value)
        }
    }

    /// Runs `body` only if the lock is free at once; nil when it is held.
    func withLockIfAvailable<R>(_ body: (inout sending Value) -> sending R) -> sending R? {
        mutex.withLockIfAvailable { value in
            _ = edge.load(ordering: .acquiring)
            defer { edge.wrappingAdd(1, ordering: .releasing) }
            return body(&value)
        }
    }
}
