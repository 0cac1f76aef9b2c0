#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CALSA

extension Sequencer {
    /// Waits up to `timeoutMs` (negative: forever, 0: just look) for input, then returns the
    /// events available, decoded, at most `maxEvents` of them (the rest stay queued for the next
    /// call, so a flood of input cannot keep the caller from its other work). An empty array
    /// means the timeout passed. An overflow of the kernel's input FIFO (its events are lost)
    /// is counted in `inputOverruns`.
    public func read(timeoutMs: Int32, maxEvents: Int = 512) throws(ALSAError) -> [InputEvent] {
        // Events already in libasound's buffer do not wake poll(2): take them first.
        var fds = try pollDescriptors()
        if snd_seq_event_input_pending(handle, 0) == 0 {
            // The wake pipe too, so that `wake()` from another thread ends the wait.
            var waiting = fds + [pollfd(fd: wakeFDs.read, events: Int16(POLLIN), revents: 0)]
            guard try poll(&waiting, timeoutMs) else { return [] }
            if waiting[fds.count].revents != 0 {
                var sink = [UInt8](repeating: 0, count: 64)
                while Glibc.read(wakeFDs.read, &sink, sink.count) > 0 {}
                if !waiting[..<fds.count].contains(where: { $0.revents != 0 }) { return [] }
            }
        }

        var raw: [snd_seq_event_t] = []
        while raw.count < maxEvents {
            var evp: UnsafeMutablePointer<snd_seq_event_t>?
            let r = snd_seq_event_input(handle, &evp)
            if r == -EAGAIN { break }
            if r == -ENOSPC {
                inputOverruns += 1                     // the kernel FIFO overflowed: events lost, go on
            } else {
                try check(r, "snd_seq_event_input")
                if let evp { raw.append(evp.pointee) }  // fixed part only: variable data is not kept
            }
            // More already in libasound's buffer? Otherwise only read again if the kernel has more.
            if snd_seq_event_input_pending(handle, 0) > 0 { continue }
            if try !poll(&fds, 0) { break }
        }
        guard !raw.isEmpty else { return [] }

        // The queue's tick for events the kernel did not stamp (asked for only when needed).
        var fallback: UInt32?
        return raw.map { ev in
            decode(ev, fallbackTick: {
                if fallback == nil { fallback = queue == nil ? 0 : ((try? currentTick()) ?? 0) }
                return fallback!
            })
        }
    }

    func decode(_ ev: snd_seq_event_t, fallbackTick: () -> UInt32) -> InputEvent {
        InputEvent(event: ev, queue: queue, fallbackTick: InputEvent.isKernelStamped(ev, queue: queue) ? 0 : fallbackTick())
    }

    private func pollDescriptors() throws(ALSAError) -> [pollfd] {
        let count = try check(snd_seq_poll_descriptors_count(handle, Int16(POLLIN)), "snd_seq_poll_descriptors_count")
        var fds = [pollfd](repeating: pollfd(), count: Int(count))
        let filled = try check(snd_seq_poll_descriptors(handle, &fds, UInt32(count), Int16(POLLIN)), "snd_seq_poll_descriptors")
        return Array(fds.prefix(Int(filled)))
    }

    /// poll(2) on the sequencer's descriptors; true when input is ready.
    private func poll(_ fds: inout [pollfd], _ timeoutMs: Int32) throws(ALSAError) -> Bool {
        while true {
            let n = Glibc.poll(&fds, nfds_t(fds.count), timeoutMs)
            if n >= 0 { return n > 0 }
            let e = errno
            if e == EINTR { continue }
            throw ALSAError(call: "poll", errno: e, message: String(cString: strerror(e)))
        }
    }
}
