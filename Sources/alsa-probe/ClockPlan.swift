import ALSASequencer

/// An external clock that jumps, stops and starts, from a plan like "90:6,150:8,stop:3,start,100:10":
/// BPM:SECONDS = 24 clocks a quarter at BPM for SECONDS (the tempo jumps at once), stop:SECONDS =
/// MIDI stop then no clock for SECONDS, start / continue = that message. A MIDI start is sent
/// first. Each step is printed with its CLOCK_MONOTONIC time when it begins.
func clockPlan(_ plan: String, seq: Sequencer, port: Int) throws(ALSAError) {
    let steps = plan.split(separator: ",").map { $0.split(separator: ":").map(String.init) }
    for s in steps {
        let ok = s.count == 1 ? ["start", "continue"].contains(s[0])
            : s.count == 2 && Double(s[1]) != nil && (s[0] == "stop" || Double(s[0]).map { $0 >= 20 && $0 <= 400 } == true)
        if !ok { fail("clock --plan: bad step \"\(s.joined(separator: ":"))\": expected BPM:SECONDS (BPM 20-400), stop:SECONDS, start or continue") }
    }
    try seq.start()
    out.line("at \(timeText(now())) start")
    try seq.sendDirect(.start, from: port)
    var clocks = 0
    for s in steps {
        switch s[0] {
        case "start", "continue":
            out.line("at \(timeText(now())) \(s[0])")
            try seq.sendDirect(s[0] == "start" ? .start : .continue, from: port)
        case "stop":
            out.line("at \(timeText(now())) stop for \(s[1]) s")
            try seq.sendDirect(.stop, from: port)
            let until = now() + Double(s[1])!
            while stopRequested == 0, now() < until { sleepMs(20) }
        default:
            let bpm = Double(s[0])!, seconds = Double(s[1])!
            try seq.setTempo(bpm: bpm)
            let first = try seq.currentTick() + 20
            let n = UInt32(seconds * bpm / 60 * 24)
            out.line("at \(timeText(now())) tempo \(s[0]) for \(s[1]) s (\(n) clocks)")
            for i in 0..<n {
                try seq.schedule(.clock, atTick: first + 20 * i, from: port)
                if i % 240 == 239 { try seq.drain() }
            }
            try seq.drain()
            clocks += Int(n)
            let last = first + 20 * (n - 1)
            let t0 = now()
            while stopRequested == 0, try seq.currentTick() <= last {
                if now() - t0 > seconds * 3 + 10 { fail("queue did not reach tick \(last)") }
                sleepMs(5)
            }
        }
        if stopRequested != 0 { break }
    }
    out.line("at \(timeText(now())) done clocks=\(clocks)")
}
