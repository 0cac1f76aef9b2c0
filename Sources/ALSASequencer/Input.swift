#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CALSA

extension Sequencer {
    /// Waits up to `timeoutMs` (negative: forever, 0: just look) for input, then returns
    /// every event available, decoded. An empty array means the timeout passed.
    public func read(timeoutMs: Int32) throws(ALSAError) -> [InputEvent] {
        var fds = try pollDescriptors()
        guard try poll(&fds, timeoutMs) else { return [] }

        var raw: [snd_seq_event_t] = []
        while true {
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

        let fallbackTick: UInt32 = queue == nil ? 0 : ((try? currentTick()) ?? 0)
        return raw.map { decode($0, fallbackTick: fallbackTick) }
    }

    func decode(_ ev: snd_seq_event_t, fallbackTick: UInt32) -> InputEvent {
        InputEvent(event: ev, queue: queue, fallbackTick: fallbackTick)
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
