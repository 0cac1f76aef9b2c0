import CALSA
import MIDI

extension Sequencer {
    /// Puts `message` on the queue at an absolute tick, to every subscriber of `port`
    /// (or to `dest` only). Buffered: call `drain()` to hand the events to the kernel.
    public func schedule(_ message: MIDIMessage, atTick tick: UInt32, from port: Int, to dest: SequencerAddress? = nil) throws(ALSAError) {
        let q = try requireQueue("snd_seq_event_output")
        var ev = message.event
        address(&ev, from: port, to: dest)
        improv_snd_seq_ev_schedule_tick(&ev, q, 0, tick)
        try check(snd_seq_event_output(handle, &ev), "snd_seq_event_output")
    }

    /// Sends `message` now, bypassing the queue and the output buffer (for panic).
    public func sendDirect(_ message: MIDIMessage, from port: Int, to dest: SequencerAddress? = nil) throws(ALSAError) {
        var ev = message.event
        address(&ev, from: port, to: dest)
        improv_snd_seq_ev_set_direct(&ev)
        try check(snd_seq_event_output_direct(handle, &ev), "snd_seq_event_output_direct")
    }

    /// Puts `message` in the output buffer as a direct event (no queue: delivered as soon as
    /// the buffer is drained). For senders of many events at once; call `drain()`.
    public func sendBuffered(_ message: MIDIMessage, from port: Int, to dest: SequencerAddress? = nil) throws(ALSAError) {
        var ev = message.event
        address(&ev, from: port, to: dest)
        improv_snd_seq_ev_set_direct(&ev)
        try check(snd_seq_event_output(handle, &ev), "snd_seq_event_output")
    }

    private func address(_ ev: inout snd_seq_event_t, from port: Int, to dest: SequencerAddress?) {
        improv_snd_seq_ev_set_source(&ev, UInt8(truncatingIfNeeded: port))
        if let dest {
            improv_snd_seq_ev_set_dest(&ev, UInt8(truncatingIfNeeded: dest.client), UInt8(truncatingIfNeeded: dest.port))
        } else {
            improv_snd_seq_ev_set_subs(&ev)
        }
    }

    /// Hands buffered output to the kernel (snd_seq_drain_output). Returns the bytes still
    /// buffered (0 in blocking mode).
    @discardableResult
    public func drain() throws(ALSAError) -> Int {
        Int(try check(snd_seq_drain_output(handle), "snd_seq_drain_output"))
    }

    /// Drops everything this client has not played yet: the user-space buffer and the events
    /// already scheduled on queues (snd_seq_drop_output).
    public func dropPendingOutput() throws(ALSAError) {
        try check(snd_seq_drop_output(handle), "snd_seq_drop_output")
    }

    /// Panic: drop pending output, then send All Notes Off and All Sound Off on every channel
    /// of `port`, directly.
    public func panic(from port: Int) throws(ALSAError) {
        try dropPendingOutput()
        for channel in UInt8(0)..<16 {
            try sendDirect(.channel(.allNotesOff(channel: channel)), from: port)
            try sendDirect(.channel(.allSoundOff(channel: channel)), from: port)
        }
    }
}
