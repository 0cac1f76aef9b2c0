// alsa-probe: pokes the ALSA sequencer through the ALSASequencer module. Used by the VM
// tests (Tests/vm) and by hand.
//
//   alsa-probe list
//   alsa-probe resolve ADDR...
//   alsa-probe echo --name NAME --seconds S --out FILE [--delay TICKS] [--ready FILE]
//                   [--connect-in ADDR]... [--connect-out ADDR]...
//   alsa-probe play --to ADDR [--name NAME] [--bpm 120] [--ppq 480] [--notes 8]
//                   [--start 480] [--step 240] [--length 120] [--key 60]
//   alsa-probe panic --to ADDR [--name NAME]
//   alsa-probe clock --to ADDR (--bpm B --seconds S | --plan 90:6,stop:2,start,150:8)
//   alsa-probe record --out FILE [--name NAME] [--connect-in ADDR]... [--seconds S]
//   alsa-probe kill --pid PID [--signal TERM|INT|HUP|KILL] [--count N] [--interval-ms MS]
//   alsa-probe flood --to ADDR [--rate 10000] [--seconds 10]
//   alsa-probe player --listen ADDR [--to ADDR] [--seconds S] [--calls N] [--swing-at TICKS]
//                     [--panic-call N] [--seed S] [--wait-for FILE]
import ALSASequencer
import MIDI
#if canImport(Glibc)
import Glibc
#endif



let usage = """
    usage: alsa-probe list | resolve ADDR... | echo --name N --seconds S --out FILE [...] |
           play --to ADDR [...] | panic --to ADDR | clock --to ADDR --bpm B --seconds S |
           clock --to ADDR --plan STEPS | record --out FILE [...] | kill --pid PID [...] |
           flood --to ADDR --rate R --seconds S | player --listen ADDR [--to ADDR] [...]
    """

let args = CommandLine.arguments
guard args.count >= 2 else { fail(usage) }
let opts = Options(args.dropFirst(2))
installStopHandlers()

do {
    switch args[1] {
    case "list": try list()
    case "resolve": try resolve(opts.positional)
    case "echo": try echo(opts)
    case "play": try play(opts)
    case "clock": try clock(opts)
    case "panic": try panic(opts)
    case "record": try record(opts)
    case "kill": signalCommand(opts)
    case "flood": try flood(opts)
    case "player": try player(opts)
    case "-h", "--help", "help": out.line(usage)
    default: fail("unknown subcommand \(args[1])\n\(usage)")
    }
} catch {
    FileHandleOut.stderr.line("alsa-probe: \(error)")
    exit(2)
}

func capsText(_ c: PortCapabilities) -> String {
    (c.contains(.read) ? "R" : "-") + (c.contains(.write) ? "W" : "-")
        + (c.contains(.subscribeRead) ? "r" : "-") + (c.contains(.subscribeWrite) ? "w" : "-")
}

func list() throws(ALSAError) {
    let seq = try Sequencer(clientName: "alsa-probe-list")
    for c in try seq.clients() where c.id != seq.clientID {
        out.line("client \(c.id) \"\(c.name)\"")
        for p in c.ports {
            out.line("  port \(c.id):\(p.id) \"\(p.name)\" caps=\(capsText(p.capabilities))")
        }
    }
}

func resolve(_ addresses: [String]) throws(ALSAError) {
    let seq = try Sequencer(clientName: "alsa-probe-resolve")
    var failed = false
    for a in addresses {
        do { out.line("\(a) -> \(try seq.resolve(a))") } catch {
            out.line("\(a) -> error: \(error)")
            failed = true
        }
    }
    if failed { exit(1) }
}

/// Records every input event with its queue tick and re-schedules each note `delay` ticks later.
func echo(_ o: Options) throws(ALSAError) {
    guard let path = o.string("out"), let rec = FileHandleOut(path: path) else { fail("echo needs --out FILE (writable)") }
    let seconds = o.double("seconds", 10)
    let delay = UInt32(o.int("delay", 480))
    let seq = try Sequencer(clientName: o.string("name", "alsa-probe-echo")!)
    let inPort = try seq.createInputPort(name: "in")
    let outPort = try seq.createOutputPort(name: "out")
    try seq.createQueue(ppq: Int32(o.int("ppq", 480)), tempoBPM: o.double("bpm", 120))
    let announce = try seq.subscribeToAnnouncements()
    for a in o.all("connect-in") { rec.line("connected-in \(a) -> \(try seq.connect(from: a, toInputPort: inPort))") }
    for a in o.all("connect-out") { rec.line("connected-out \(a) -> \(try seq.connect(outputPort: outPort, to: a))") }
    try seq.start()
    rec.line("start client=\(seq.clientID) in=\(inPort) out=\(outPort) announce=\(announce) queue=\(seq.queue ?? -1) ppq=\(seq.ppq) bpm=\(seq.tempoBPM)")
    if let ready = o.string("ready") { _ = FileHandleOut(path: ready)?.write("ready \(seq.clientID)\n") }

    let deadline = now() + seconds
    var lastScheduled: UInt32 = 0
    var echoed = 0
    while stopRequested == 0, now() < deadline {
        let events = try seq.read(timeoutMs: 100)
        for ev in events {
            rec.line(ev.line)
            guard ev.destPort == inPort, case let .midi(m) = ev.kind else { continue }
            switch m {
            case .channel(.noteOn), .channel(.noteOff):
                let at = ev.tick + delay
                try seq.schedule(m, atTick: at, from: outPort)
                rec.line("out \(at) \(m.text)")
                lastScheduled = max(lastScheduled, at)
                echoed += 1
            default: break
            }
        }
        if !events.isEmpty { try seq.drain() }
    }
    // Let the queue play what is scheduled: a closing client's pending events are dropped.
    let waitUntil = now() + 5
    while echoed > 0, now() < waitUntil, try seq.currentTick() <= lastScheduled + 10 { sleepMs(20) }
    rec.line("end tick=\(try seq.currentTick()) echoed=\(echoed) overruns=\(seq.inputOverruns)")
}

/// Schedules `notes` notes on a queue at known ticks to ADDR, waits for them to play.
func play(_ o: Options) throws(ALSAError) {
    guard let to = o.string("to") else { fail("play needs --to ADDR") }
    let seq = try Sequencer(clientName: o.string("name", "alsa-probe-play")!)
    let port = try seq.createOutputPort(name: "out")
    try seq.createQueue(ppq: Int32(o.int("ppq", 480)), tempoBPM: o.double("bpm", 120))
    let dest = try seq.connect(outputPort: port, to: to)
    out.line("connected \(to) -> \(dest)")
    let (n, start, step, length, key) = (o.int("notes", 8), o.int("start", 480), o.int("step", 240), o.int("length", 120), o.int("key", 60))
    let scale = [0, 2, 4, 5, 7, 9, 11, 12]
    try seq.start()
    var last: UInt32 = 0
    for i in 0..<n {
        let k = UInt8(min(127, key + scale[i % scale.count] + 12 * (i / scale.count)))
        let on = UInt32(start + i * step), off = on + UInt32(length)
        try seq.schedule(.channel(.noteOn(channel: 0, key: k, velocity: 100)), atTick: on, from: port)
        try seq.schedule(.channel(.noteOff(channel: 0, key: k, velocity: 0)), atTick: off, from: port)
        out.line("sched \(on) noteOn key=\(k)")
        out.line("sched \(off) noteOff key=\(k)")
        last = max(last, off)
    }
    try seq.drain()
    let t0 = now()
    while stopRequested == 0, try seq.currentTick() <= last + 10 {
        if now() - t0 > 30 { fail("queue did not reach tick \(last) within 30 s") }
        sleepMs(20)
    }
    out.line("done tick=\(try seq.currentTick()) seconds=\(now() - t0)")
}

/// An external MIDI clock: start, then 24 clocks a quarter note at --bpm for --seconds, then stop.
func clock(_ o: Options) throws(ALSAError) {
    guard let to = o.string("to") else { fail("clock needs --to ADDR") }
    let seq = try Sequencer(clientName: o.string("name", "alsa-probe-clock")!)
    let port = try seq.createOutputPort(name: "out")
    let bpm = o.double("bpm", 120)
    try seq.createQueue(ppq: 480, tempoBPM: bpm)
    out.line("connected \(to) -> \(try seq.connect(outputPort: port, to: to))")
    if let plan = o.string("plan") { return try clockPlan(plan, seq: seq, port: port) }
    try seq.start()
    try seq.sendDirect(.start, from: port)
    let last = UInt32(o.double("seconds", 10) * bpm / 60 * 480)
    var tick: UInt32 = 20
    while tick <= last {
        try seq.schedule(.clock, atTick: tick, from: port)
        tick += 20
        if tick % 4800 == 0 { try seq.drain() }
    }
    try seq.schedule(.stop, atTick: last + 20, from: port)
    try seq.drain()
    let t0 = now()
    while stopRequested == 0, try seq.currentTick() <= last + 30 {
        if now() - t0 > 120 { fail("queue did not reach tick \(last)") }
        sleepMs(20)
    }
    out.line("done clocks=\(last / 20) bpm=\(bpm)")
}

/// Schedules notes in the future, then panics: the notes must never sound, the CCs must.
func panic(_ o: Options) throws(ALSAError) {
    guard let to = o.string("to") else { fail("panic needs --to ADDR") }
    let seq = try Sequencer(clientName: o.string("name", "alsa-probe-panic")!)
    let port = try seq.createOutputPort(name: "out")
    try seq.createQueue()
    out.line("connected \(to) -> \(try seq.connect(outputPort: port, to: to))")
    try seq.start()
    for i in 0..<8 {
        try seq.schedule(.channel(.noteOn(channel: 0, key: UInt8(60 + i), velocity: 100)), atTick: UInt32(960 + i * 240), from: port)
    }
    try seq.drain()
    sleepMs(100)
    try seq.panic(from: port)
    out.line("panic at tick \(try seq.currentTick())")
    let t0 = now()
    while try seq.currentTick() < 960 + 8 * 240 + 100, now() - t0 < 10 { sleepMs(20) }
    out.line("done tick=\(try seq.currentTick())")
}
