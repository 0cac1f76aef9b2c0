import ALSASequencer
import MIDI
#if canImport(Glibc)
import Glibc
#endif
import MusicCore

/// A scripted player for call-and-response: plays a two-bar call (eight quarter notes on the C
/// blues scale) to --to (or to whoever subscribes; --wait-for FILE holds the first call back
/// until FILE exists), waits for improv's answer on its own input (connected from --listen),
/// and when the answer has ended plays the next call, until --calls or --seconds. Improv's
/// notes are stamped by the kernel on this probe's queue (same tempo and PPQ as improv's), so
/// the answer's onsets are checked on the eighth-note grid (swung off-beats at --swing-at
/// ticks into the beat) relative to the answer's first note. With --panic-call N, the panic
/// controller is sent one second into answer N: its latency and any note after it are measured.
/// Prints one line per answer and a summary line "player calls=... hanging=...".
func player(_ o: Options) throws(ALSAError) {
    guard let listen = o.string("listen") else { fail("player needs --listen ADDR (improv's output)") }
    let ppq = o.int("ppq", 480), bpm = o.double("bpm", 120)
    let swingAt = o.int("swing-at", ppq / 2)
    let seconds = o.double("seconds", 60), maxCalls = o.int("calls", Int.max)
    let answerTimeout = o.double("answer-timeout", 15), quiet = o.double("quiet", 1.0)
    let panicCall = o.int("panic-call", 0), panicCC = UInt8(o.int("panic-cc", 82))
    var rng = SeededGenerator(seed: UInt64(o.int("seed", 1)))
    let seq = try Sequencer(clientName: o.string("name", "alsa-probe-player")!)
    let outPort = try seq.createOutputPort(name: "out")
    let inPort = try seq.createInputPort(name: "in")
    try seq.createQueue(ppq: Int32(ppq), tempoBPM: bpm)
    // Without --to, whoever subscribes to the "out" port hears the calls (improv connects by name).
    if let to = o.string("to") { out.line("connected \(to) -> \(try seq.connect(outputPort: outPort, to: to))") }
    out.line("listening to \(try seq.connect(from: listen, toInputPort: inPort))")
    if let go = o.string("wait-for") {
        let until = now() + 30
        while access(go, F_OK) != 0 {
            if now() > until || stopRequested != 0 { fail("player: \(go) did not appear within 30 s") }
            sleepMs(50)
        }
    }
    try seq.start()
    let ticksPerSecond = Double(ppq) * bpm / 60
    let scale: [UInt8] = [60, 63, 65, 67, 70, 72]

    var stats = PlayerStats()
    var sounding: [Int: Int] = [:]          // channel << 8 | key -> note-ons not yet ended
    let t0 = now()
    while stopRequested == 0, stats.calls < maxCalls, now() - t0 < seconds {
        // The call, starting a beat from now.
        let start = Int(try seq.currentTick()) + ppq
        for i in 0..<8 {
            let key = scale[Int(rng.next() % UInt64(scale.count))]
            let on = UInt32(start + i * ppq)
            try seq.schedule(.channel(.noteOn(channel: 0, key: key, velocity: 96)), atTick: on, from: outPort)
            try seq.schedule(.channel(.noteOff(channel: 0, key: key, velocity: 0)), atTick: on + UInt32(ppq * 11 / 12), from: outPort)
        }
        try seq.drain()
        stats.calls += 1
        stats.eventsSent += 16
        let callEnd = start + 7 * ppq + ppq * 11 / 12
        let callEndTime = now() + Double(callEnd - Int(try seq.currentTick())) / ticksPerSecond

        // The answer: improv's notes after the call's end, until it has been quiet a while.
        var onsets: [Int] = []
        var lastActivity = now()
        var panicAt: (time: Double, tick: Int)?
        var panicOffs: [UInt8: Double] = [:]
        while stopRequested == 0 {
            let events = try seq.read(timeoutMs: 20)
            let t = now()
            for ev in events where ev.destPort == inPort {
                guard case let .midi(m) = ev.kind else { continue }
                stats.eventsReceived += 1
                let tick = Int(ev.tick)
                switch m {
                case let .channel(.noteOn(c, k, _)):
                    sounding[Int(c) << 8 | Int(k), default: 0] += 1
                    stats.channels.insert(c)
                    lastActivity = t
                    if tick > callEnd { onsets.append(tick) } else { stats.notesDuringCall += 1 }
                    if let p = panicAt, tick > p.tick + ppq / 8 { stats.notesAfterPanic += 1 }
                case let .channel(.noteOff(c, k, _)):
                    let id = Int(c) << 8 | Int(k)
                    if let n = sounding[id] { sounding[id] = n > 1 ? n - 1 : nil }
                    lastActivity = t
                case let .channel(.controlChange(c, ChannelMessage.allNotesOffController, _)):
                    sounding = sounding.filter { $0.key >> 8 != Int(c) }
                    if let p = panicAt, panicOffs[c] == nil { panicOffs[c] = t - p.time }
                    lastActivity = t
                default: break
                }
            }
            if stats.calls == panicCall, panicAt == nil, let first = onsets.first,
               Int(try seq.currentTick()) >= first + Int(ticksPerSecond) {
                panicAt = (now(), Int(try seq.currentTick()))
                try seq.sendDirect(.channel(.controlChange(channel: 0, controller: panicCC, value: 127)), from: outPort)
                stats.eventsSent += 1
            }
            if onsets.isEmpty, t > callEndTime + answerTimeout { break }
            if !onsets.isEmpty, sounding.isEmpty, t - lastActivity > quiet { break }
            if !onsets.isEmpty, t - lastActivity > answerTimeout { break }   // a note left hanging
        }
        guard !onsets.isEmpty else {
            stats.missed += 1
            out.line("call \(stats.calls) at \(timeText(callEndTime)): no answer within \(answerTimeout) s")
            continue
        }
        stats.answers += 1
        stats.answerNotes += onsets.count
        let devs = onsets.map { gridDeviation($0 - onsets[0], beat: ppq, places: [0, swingAt]) }
        let devMax = devs.max() ?? 0
        stats.gridDevMax = max(stats.gridDevMax, devMax)
        stats.gridDevSum += devs.reduce(0, +)
        let delay = onsets[0] - callEnd
        stats.delays.append(delay)
        out.line("answer \(stats.answers) to call \(stats.calls): \(onsets.count) notes, starts \(delay) ticks after the call, "
                 + "off the grid by at most \(devMax) ticks, \(sounding.count) sounding after it")
        if panicAt != nil {
            let lat = panicOffs.values.max().map { fixed($0 * 1000, 1) } ?? "none"
            let offs = panicOffs.keys.sorted().map { "\($0)" }.joined(separator: ",")
            out.line("panic in answer \(stats.answers): all-notes-off on channels [\(offs)] of [\(stats.channels.sorted().map { "\($0)" }.joined(separator: ","))] "
                     + "within \(lat) ms; \(stats.notesAfterPanic) notes after it")
            stats.panicLatencyMs = panicOffs.values.max().map { $0 * 1000 }
            stats.panicChannelsMissing = stats.channels.subtracting(panicOffs.keys).count
        }
        sleepMs(300)
    }
    stats.hanging = sounding.values.reduce(0, +)
    let ds = stats.delays
    out.line("player calls=\(stats.calls) answers=\(stats.answers) missed=\(stats.missed) answer_notes=\(stats.answerNotes) "
             + "notes_during_call=\(stats.notesDuringCall) events_sent=\(stats.eventsSent) events_received=\(stats.eventsReceived) "
             + "hanging=\(stats.hanging) grid_dev_max=\(stats.gridDevMax) "
             + "grid_dev_mean=\(fixed(stats.answerNotes > 0 ? Double(stats.gridDevSum) / Double(stats.answerNotes) : 0, 2)) "
             + "delay_min=\(ds.min() ?? -1) delay_max=\(ds.max() ?? -1) "
             + "panic_ms=\(stats.panicLatencyMs.map { fixed($0, 1) } ?? "none") panic_channels_missing=\(stats.panicChannelsMissing) "
             + "notes_after_panic=\(stats.notesAfterPanic) overruns=\(seq.inputOverruns) seconds=\(fixed(now() - t0, 1))")
}

struct PlayerStats {
    var calls = 0, answers = 0, missed = 0, answerNotes = 0, notesDuringCall = 0
    var eventsSent = 0, eventsReceived = 0, hanging = 0
    var gridDevMax = 0, gridDevSum = 0
    var delays: [Int] = []
    var channels: Set<UInt8> = []
    var panicLatencyMs: Double?
    var panicChannelsMissing = 0
    var notesAfterPanic = 0
}

/// How far `offset` (ticks from the answer's first note) is from the nearest grid place.
func gridDeviation(_ offset: Int, beat: Int, places: [Int]) -> Int {
    let x = ((offset % beat) + beat) % beat
    return places.map { p in min(abs(x - p), beat - abs(x - p)) }.min() ?? 0
}
