import ALSASequencer
import MIDI
#if canImport(Glibc)
import Glibc
#endif

/// A player's flood: --rate events a second for --seconds, sent directly (no queue) to ADDR in
/// batches, as fast as the rate asks and the machine allows. Pitch bends and controller 74
/// (which improv does not map), so the flood is noise to improv but real input to read.
/// Prints what it sent each second and the rate it reached. When improv's input FIFO is full the
/// kernel refuses the event (EAGAIN; improv will find its FIFO overflowed and cleared): that is
/// counted, and the flood waits a millisecond and goes on from the refused event.

func flood(_ o: Options) throws(ALSAError) {
    guard let to = o.string("to") else { fail("flood needs --to ADDR") }
    let seq = try Sequencer(clientName: o.string("name", "alsa-probe-flood")!)
    let port = try seq.createOutputPort(name: "out")
    out.line("connected \(to) -> \(try seq.connect(outputPort: port, to: to))")
    let rate = o.double("rate", 10_000), seconds = o.double("seconds", 10)
    let channel = UInt8(o.int("channel", 15))
    let t0 = now()
    var sent = 0, lastSecond = 0, sentAtLastSecond = 0, refused = 0, refusedAtLastSecond = 0
    // Runs `body`; while the receiver is full, counts it, waits 1 ms and drains what is buffered.
    func retrying(_ body: () throws(ALSAError) -> Void) throws(ALSAError) {
        while true {
            do { return try body() } catch where error.errno == EAGAIN {
                refused += 1
                if stopRequested != 0 { return }
                usleep(1000)
            }
        }
    }
    var elapsed = 0.0
    while stopRequested == 0, elapsed < seconds {
        let due = min(Int(rate * elapsed), sent + 2_000)   // catch up, a bounded batch at a time
        while sent < due {
            let m: MIDIMessage = sent % 2 == 0
                ? .channel(.pitchBend(channel: channel, value: Int16(sent % 16_000 - 8_000)))
                : .channel(.controlChange(channel: channel, controller: 74, value: UInt8(sent % 128)))
            try retrying { () throws(ALSAError) in try seq.sendBuffered(m, from: port) }
            sent += 1
        }
        try retrying { () throws(ALSAError) in try seq.drain() }
        usleep(1000)
        elapsed = now() - t0
        if Int(elapsed) > lastSecond {
            lastSecond = Int(elapsed)
            out.line("second \(lastSecond) sent=\(sent - sentAtLastSecond) refused=\(refused - refusedAtLastSecond)")
            sentAtLastSecond = sent
            refusedAtLastSecond = refused
        }
    }
    let total = now() - t0
    out.line("flood sent=\(sent) seconds=\(fixed(total, 2)) rate=\(Int(Double(sent) / total)) wanted=\(Int(rate)) refused=\(refused)")
}
