import Engine
import MIDI

/// An engine output whose storage is allocated once: keeps the last events in a ring and
/// counts note-ons by channel (so a check can tell that the path it counted did play).
final class PreallocatedOutput: MIDIOutput {
    struct Event { var tick: Int; var message: ChannelMessage }
    let ring = UnsafeMutableBufferPointer<Event>.allocate(capacity: 4096)
    var written = 0
    /// Note-ons by channel (not an array: a copy the checker holds would make the next count copy it).
    let noteOnCounts = UnsafeMutableBufferPointer<Int>.allocate(capacity: 16)
    var now = 0

    init() {
        ring.initialize(repeating: Event(tick: 0, message: .allNotesOff(channel: 0)))
        noteOnCounts.initialize(repeating: 0)
    }

    deinit {
        ring.deallocate()
        noteOnCounts.deallocate()
    }

    /// Note-ons so far by channel.
    var noteOns: [Int] { Array(noteOnCounts) }

    func schedule(_ message: ChannelMessage, atTick tick: Int) {
        ring[written % ring.count] = Event(tick: tick, message: message)
        written += 1
        if case .noteOn(let channel, _, _) = message { noteOnCounts[Int(channel & 15)] += 1 }
    }

    func sendNow(_ message: ChannelMessage) { schedule(message, atTick: now) }

    func dropScheduled() {}
}
