import ALSASequencer
import Daemon
import Engine
import Foundation

/// The daemon's sequencer on ALSA: a thin adapter from Daemon's LiveSequencer to
/// ALSASequencer. The client has a writable input port "in" (0) and a readable output port
/// "out" (1), a queue at 480 ticks a quarter note, room for a burst of input, and hears the
/// system's announcements of clients and ports coming and going.
final class ALSALiveSequencer: LiveSequencer {
    let sequencer: Sequencer
    let inputPort: Int
    let outputPort: Int
    private let started = Date()

    init(clientName: String, tempoBPM: Double) throws {
        sequencer = try Sequencer(clientName: clientName)
        // Room for a burst of input (the kernel's default of 200 is 20 ms of a 10,000 events/s flood).
        try sequencer.setInputPool(size: 2000)
        inputPort = try sequencer.createInputPort(name: "in")
        outputPort = try sequencer.createOutputPort(name: "out")
        try sequencer.createQueue(ppq: 480, tempoBPM: tempoBPM)
        _ = try sequencer.subscribeToAnnouncements()
    }

    var clientID: Int { sequencer.clientID }
    var inputOverruns: Int { sequencer.inputOverruns }
    var seconds: Double { Date().timeIntervalSince(started) }
    /// Wakes `read` from another thread (a signal, a control change).
    var waker: Sequencer.Waker { sequencer.waker }

    func read(timeoutMs: Int) throws -> [SequencerEvent] {
        try sequencer.read(timeoutMs: Int32(clamping: timeoutMs)).map(Self.event)
    }

    func currentTick() throws -> Int { Int(try sequencer.currentTick()) }

    func schedule(_ message: SequencerMessage, atTick tick: Int) throws {
        try sequencer.schedule(Self.alsa(message), atTick: UInt32(clamping: max(0, tick)), from: outputPort)
    }

    func sendNow(_ message: SequencerMessage) throws { try sequencer.sendDirect(Self.alsa(message), from: outputPort) }
    func drain() throws { _ = try sequencer.drain() }
    func dropScheduled() throws { try sequencer.dropPendingOutput() }

    func connectInput(from spec: String) throws -> PortAddress {
        Self.address(try sequencer.connect(from: spec, toInputPort: inputPort))
    }

    func connectOutput(to spec: String) throws -> PortAddress {
        Self.address(try sequencer.connect(outputPort: outputPort, to: spec))
    }

    func disconnectInput(from spec: String) throws { try sequencer.disconnect(from: spec, inputPort: inputPort) }
    func disconnectOutput(to spec: String) throws { try sequencer.disconnect(outputPort: outputPort, from: spec) }

    func ports() throws -> [PortListing] {
        try sequencer.clients().flatMap { c in
            c.ports.map { PortListing(address: PortAddress(client: c.id, port: $0.id), clientName: c.name, portName: $0.name) }
        }
    }

    func startQueue() throws { try sequencer.start() }
    func stopQueue() throws { try sequencer.stop() }
    func continueQueue() throws { try sequencer.continue() }

    /// ALSA retimes the queue at once; a tick ahead is not yet scheduled as a queue event.
    func setTempo(bpm: Double, atTick tick: Int?) throws { try sequencer.setTempo(bpm: bpm) }

    // MARK: Translation

    static func address(_ a: SequencerAddress) -> PortAddress { PortAddress(client: a.client, port: a.port) }

    static func alsa(_ m: SequencerMessage) -> ALSASequencer.MIDIMessage {
        switch m {
        case .channel(.noteOn(let c, let k, let v)): return .noteOn(channel: c, key: k, velocity: v)
        case .channel(.noteOff(let c, let k)): return .noteOff(channel: c, key: k, velocity: 0)
        case .channel(.controlChange(let c, 123, _)): return .allNotesOff(channel: c)
        case .channel(.controlChange(let c, 120, _)): return .allSoundOff(channel: c)
        case .channel(.controlChange(let c, let cc, let v)): return .controlChange(channel: c, controller: cc, value: v)
        case .channel(.programChange(let c, let p)): return .programChange(channel: c, program: p)
        case .clock: return .clock
        case .start: return .start
        case .stop: return .stop
        case .continue: return .continue
        }
    }

    static func message(_ m: ALSASequencer.MIDIMessage) -> SequencerMessage? {
        switch m {
        case .noteOn(let c, let k, let v): return .channel(.noteOn(channel: c, key: k, velocity: v))
        case .noteOff(let c, let k, _): return .channel(.noteOff(channel: c, key: k))
        case .controlChange(let c, let cc, let v): return .channel(.controlChange(channel: c, controller: cc, value: v))
        case .programChange(let c, let p): return .channel(.programChange(channel: c, program: p))
        case .allNotesOff(let c): return .channel(.allNotesOff(channel: c))
        case .allSoundOff(let c): return .channel(.allSoundOff(channel: c))
        case .clock: return .clock
        case .start: return .start
        case .stop: return .stop
        case .continue: return .continue
        case .pitchBend: return nil
        }
    }

    static func event(_ e: InputEvent) -> SequencerEvent {
        let kind: SequencerEvent.Kind
        switch e.kind {
        case .midi(let m): kind = message(m).map { .midi($0) } ?? .other
        case .portSubscribed(let s, let d): kind = .portSubscribed(sender: address(s), dest: address(d))
        case .portUnsubscribed(let s, let d): kind = .portUnsubscribed(sender: address(s), dest: address(d))
        case .clientStart(let c): kind = .clientStart(client: c)
        case .clientExit(let c): kind = .clientExit(client: c)
        case .portStart(let a): kind = .portStart(address(a))
        case .portExit(let a): kind = .portExit(address(a))
        case .clientChange, .portChange, .other: kind = .other
        }
        return SequencerEvent(tick: Int(e.tick), kind: kind)
    }
}
