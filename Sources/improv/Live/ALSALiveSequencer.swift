import ALSASequencer
import Daemon
import Engine
import Foundation
import MIDI

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

    func schedule(_ message: MIDIMessage, atTick tick: Int) throws {
        try sequencer.schedule(message, atTick: UInt32(clamping: max(0, tick)), from: outputPort)
    }

    func sendNow(_ message: MIDIMessage) throws { try sequencer.sendDirect(message, from: outputPort) }
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
            c.ports.map {
                PortListing(address: PortAddress(client: c.id, port: $0.id), clientName: c.name, portName: $0.name,
                            readable: $0.capabilities.contains([.read, .subscribeRead]),
                            writable: $0.capabilities.contains([.write, .subscribeWrite]))
            }
        }
    }

    func startQueue() throws { try sequencer.start() }
    func stopQueue() throws { try sequencer.stop() }
    func continueQueue() throws { try sequencer.continue() }

    /// ALSA retimes the queue at once; a tick ahead is not yet scheduled as a queue event.
    func setTempo(bpm: Double, atTick tick: Int?) throws { try sequencer.setTempo(bpm: bpm) }

    // MARK: Translation

    static func address(_ a: SequencerAddress) -> PortAddress { PortAddress(client: a.client, port: a.port) }

    static func event(_ e: InputEvent) -> SequencerEvent {
        let kind: SequencerEvent.Kind
        switch e.kind {
        case .midi(let m): kind = .midi(m)
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
