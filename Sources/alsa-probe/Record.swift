import ALSASequencer
#if canImport(Glibc)
import Glibc
#endif

/// Records every event reaching its input port, each with the CLOCK_MONOTONIC time it was read
/// (wall-clock measures in the VM tests, e.g. signal to all-notes-off) and its queue tick:
///   "<seconds> <tick> <K|R> <source> <event>"
/// Runs until SIGINT/SIGTERM or --seconds; the last line counts what arrived.
func record(_ o: Options) throws(ALSAError) {
    guard let path = o.string("out"), let rec = FileHandleOut(path: path) else { fail("record needs --out FILE (writable)") }
    let seq = try Sequencer(clientName: o.string("name", "alsa-probe-record")!)
    let inPort = try seq.createInputPort(name: "in")
    try seq.createQueue(ppq: Int32(o.int("ppq", 480)), tempoBPM: o.double("bpm", 120))
    for a in o.all("connect-in") { rec.line("# connected-in \(a) -> \(try seq.connect(from: a, toInputPort: inPort))") }
    try seq.start()
    rec.line("# start client=\(seq.clientID) in=\(inPort) now=\(timeText(now()))")
    if let ready = o.string("ready") { _ = FileHandleOut(path: ready)?.write("ready \(seq.clientID)\n") }
    let deadline = now() + o.double("seconds", 3600)
    var received = 0
    while stopRequested == 0, now() < deadline {
        let events = try seq.read(timeoutMs: 50)
        let t = now()
        for ev in events {
            received += 1
            rec.line("\(timeText(t)) \(ev.tick) \(ev.tickIsKernelStamped ? "K" : "R") \(ev.source) \(ev.kind.text)")
        }
    }
    rec.line("# end received=\(received) overruns=\(seq.inputOverruns) now=\(timeText(now()))")
}

/// Sends a signal to a process, printing the monotonic time just before each kill(2), so a test
/// can measure from that moment at a peer that records with the same clock.
func signalCommand(_ o: Options) {
    guard let pid = o.string("pid").flatMap({ Int32($0) }) else { fail("kill needs --pid PID") }
    let names: [String: Int32] = ["TERM": SIGTERM, "INT": SIGINT, "HUP": SIGHUP, "KILL": SIGKILL]
    let name = o.string("signal", "TERM")!.uppercased()
    guard let sig = names[name] else { fail("kill --signal: expected TERM, INT, HUP or KILL, found \(name)") }
    let count = o.int("count", 1), interval = o.int("interval-ms", 100)
    for i in 0..<count {
        if i > 0 { sleepMs(interval) }
        out.line("signal \(name) pid=\(pid) at \(timeText(now()))")
        if kill(pid, sig) != 0 { fail("kill \(pid): \(String(cString: strerror(errno)))") }
    }
}

func timeText(_ t: Double) -> String {
    let micros = Int((t * 1e6).rounded())
    let frac = String(micros % 1_000_000)
    return "\(micros / 1_000_000).\(String(repeating: "0", count: 6 - frac.count))\(frac)"
}
