import Engine
import MIDI

/// The sequencer in simulated time, in the spirit of swift-nio's EmbeddedChannel: a test pushes
/// input and peers, the daemon's own loop runs against it, and time moves only when the loop
/// waits (`read` jumps to the next input or to the end of its timeout). Everything scheduled,
/// sent, dropped, connected and retimed is recorded, so a test can check what a synth would hear.
public final class EmbeddedSequencer: LiveSequencer {
    public let clientID: Int
    public let inputPort = 0
    public let outputPort = 1
    public private(set) var inputOverruns = 0
    public private(set) var seconds: Double = 0
    public let ppq = 480
    public private(set) var tempoBPM: Double
    public private(set) var queueRunning = false
    /// The queue's tick at `baseSeconds` (ticks advance from there at the tempo while running).
    private var baseTick = 0.0
    private var baseSeconds = 0.0

    /// What the daemon put out: scheduled events with their ticks, events sent at once with the
    /// tick they left at. `sequence` orders everything as it happened.
    public struct Output: Hashable, Sendable {
        public var sequence: Int
        public var tick: Int
        public var message: MIDIMessage
        public var immediate: Bool
        /// The queue's tick when the daemon handed it over (a scheduled tick before it plays late).
        public var handedOverAt: Int
    }
    public private(set) var scheduled: [Output] = []
    public private(set) var sent: [Output] = []
    /// Scheduled events that were dropped before they played.
    public private(set) var dropped: [Output] = []
    public private(set) var drains = 0
    public struct TempoChange: Hashable, Sendable {
        public var bpm: Double
        public var requestedTick: Int?
        public var appliedAtTick: Int
    }
    public private(set) var tempoChanges: [TempoChange] = []
    private var sequence = 0

    /// Peers: clients with their ports, and who is connected to us.
    public private(set) var clients: [Int: (name: String, ports: [Int])] = [:]
    public private(set) var inputConnections: Set<PortAddress> = []
    public private(set) var outputConnections: Set<PortAddress> = []
    /// Calls that fail, to test the daemon's error paths (a peer refusing a connection...).
    public var failConnections = false

    private struct Pending { var seconds: Double; var order: Int; var kind: SequencerEvent.Kind; var from: PortAddress? }
    private var pending: [Pending] = []
    private var order = 0

    public struct EmbeddedError: Error, CustomStringConvertible {
        public var description: String
    }

    public init(clientID: Int = 128, tempoBPM: Double = 120) {
        self.clientID = clientID
        self.tempoBPM = tempoBPM
    }

    // MARK: The test's side

    /// The input arrives at `at` seconds (now when nil). MIDI comes only through a connection
    /// (`from`, nil: any connected peer) or direct to the port when `from` is nil.
    public func push(_ kind: SequencerEvent.Kind, at time: Double? = nil, from: PortAddress? = nil) {
        pending.append(Pending(seconds: max(seconds, time ?? seconds), order: order, kind: kind, from: from))
        order += 1
        pending.sort { ($0.seconds, $0.order) < ($1.seconds, $1.order) }
    }

    public func push(_ message: ChannelMessage, at time: Double? = nil, from: PortAddress? = nil) {
        push(.midi(.channel(message)), at: time, from: from)
    }

    /// A peer client appears with ports 0..<ports (announced as ALSA does: client, then ports).
    public func addClient(_ id: Int, name: String, ports: Int = 1, at time: Double? = nil) {
        clients[id] = (name, Array(0..<ports))
        push(.clientStart(client: id), at: time)
        for p in 0..<ports { push(.portStart(PortAddress(client: id, port: p)), at: time) }
    }

    /// A peer client goes away: its ports exit, then the client; its connections are gone.
    public func removeClient(_ id: Int, at time: Double? = nil) {
        guard let c = clients.removeValue(forKey: id) else { return }
        inputConnections = inputConnections.filter { $0.client != id }
        outputConnections = outputConnections.filter { $0.client != id }
        for p in c.ports { push(.portExit(PortAddress(client: id, port: p)), at: time) }
        push(.clientExit(client: id), at: time)
    }

    /// Another client connects `peer` to improv's input (`input`) or improv's output to `peer`,
    /// as aconnect does; announced like any subscription.
    public func subscribe(_ peer: PortAddress, input: Bool, at time: Double? = nil) {
        if input {
            inputConnections.insert(peer)
            push(.portSubscribed(sender: peer, dest: PortAddress(client: clientID, port: inputPort)), at: time)
        } else {
            outputConnections.insert(peer)
            push(.portSubscribed(sender: PortAddress(client: clientID, port: outputPort), dest: peer), at: time)
        }
    }

    /// The kernel's input FIFO overflows: what waits in it (up to `at`) is lost.
    public func overflowInput(at time: Double? = nil) {
        let t = time ?? seconds
        pending.removeAll { $0.seconds <= t && $0.kind.isMIDI }
        inputOverruns += 1
    }

    /// Simulated time passes with nobody reading (a stalled loop).
    public func advance(seconds delta: Double) { moveTime(to: seconds + delta) }

    /// What a synth at the output hears, in order: events that played by `tick` (scheduled ones
    /// not dropped, and those sent at once), by tick, then in the order they were handed over.
    public func heard(through tick: Int) -> [Output] {
        (scheduled.filter { $0.tick <= tick } + sent.filter { $0.tick <= tick }).sorted { ($0.tick, $0.sequence) < ($1.tick, $1.sequence) }
    }

    /// Notes still sounding at the synth after `heard(through:)`: (channel, key) pairs left on.
    public func hanging(through tick: Int) -> [(channel: UInt8, key: UInt8)] {
        var on: [UInt8: [UInt8: Int]] = [:]
        for o in heard(through: tick) {
            guard case .channel(let m) = o.message else { continue }
            switch m {
            case .noteOn(let c, let k, let v) where v > 0: on[c, default: [:]][k, default: 0] += 1
            case .noteOn(let c, let k, _), .noteOff(let c, let k, _):
                if let n = on[c]?[k], n > 0 { on[c]![k] = n - 1 }
            case .controlChange(let c, 123, _), .controlChange(let c, 120, _): on[c] = [:]
            default: break
            }
        }
        return on.flatMap { c, keys in keys.filter { $0.value > 0 }.map { (c, $0.key) } }.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
    }

    // MARK: LiveSequencer

    public func read(timeoutMs: Int) throws -> [SequencerEvent] {
        let deadline = seconds + Double(max(0, timeoutMs)) / 1000
        guard let first = pending.first, first.seconds <= deadline else {
            moveTime(to: deadline)
            return []
        }
        moveTime(to: first.seconds)
        var events: [SequencerEvent] = []
        while let p = pending.first, p.seconds <= seconds {
            pending.removeFirst()
            // MIDI from a peer reaches us only while it is connected.
            if let from = p.from, p.kind.isMIDI, !inputConnections.contains(from) { continue }
            events.append(SequencerEvent(tick: tick, kind: p.kind))
        }
        return events
    }

    public func currentTick() throws -> Int { tick }

    public func schedule(_ message: MIDIMessage, atTick tick: Int) throws {
        scheduled.append(Output(sequence: next(), tick: max(0, tick), message: message, immediate: false, handedOverAt: self.tick))
    }

    public func sendNow(_ message: MIDIMessage) throws {
        sent.append(Output(sequence: next(), tick: tick, message: message, immediate: true, handedOverAt: tick))
    }

    public func drain() throws { drains += 1 }

    public func dropScheduled() throws {
        let now = tick
        dropped += scheduled.filter { $0.tick > now }
        scheduled.removeAll { $0.tick > now }
    }

    public func connectInput(from spec: String) throws -> PortAddress {
        let a = try resolve(spec)
        inputConnections.insert(a)
        push(.portSubscribed(sender: a, dest: PortAddress(client: clientID, port: inputPort)))
        return a
    }

    public func connectOutput(to spec: String) throws -> PortAddress {
        let a = try resolve(spec)
        outputConnections.insert(a)
        push(.portSubscribed(sender: PortAddress(client: clientID, port: outputPort), dest: a))
        return a
    }

    public func disconnectInput(from spec: String) throws {
        let a = try resolve(spec)
        if inputConnections.remove(a) != nil { push(.portUnsubscribed(sender: a, dest: PortAddress(client: clientID, port: inputPort))) }
    }

    public func disconnectOutput(to spec: String) throws {
        let a = try resolve(spec)
        if outputConnections.remove(a) != nil { push(.portUnsubscribed(sender: PortAddress(client: clientID, port: outputPort), dest: a)) }
    }

    public func ports() throws -> [PortListing] {
        clients.sorted { $0.key < $1.key }.flatMap { id, c in
            c.ports.map { PortListing(address: PortAddress(client: id, port: $0), clientName: c.name, portName: "port \($0)") }
        }
    }

    public func startQueue() throws {
        rebase()
        baseTick = 0
        queueRunning = true
    }

    public func stopQueue() throws {
        rebase()
        queueRunning = false
    }

    public func continueQueue() throws {
        rebase()
        queueRunning = true
    }

    public func setTempo(bpm: Double, atTick requested: Int?) throws {
        guard bpm > 0 else { throw EmbeddedError(description: "tempo \(bpm) BPM: expected more than 0") }
        rebase()
        tempoBPM = bpm
        tempoChanges.append(TempoChange(bpm: bpm, requestedTick: requested, appliedAtTick: tick))
    }

    // MARK: Time

    /// The queue's tick now.
    public var tick: Int { Int(tickAt(seconds)) }

    private func tickAt(_ s: Double) -> Double {
        queueRunning ? baseTick + (s - baseSeconds) * tempoBPM / 60 * Double(ppq) : baseTick
    }

    private func rebase() {
        baseTick = tickAt(seconds)
        baseSeconds = seconds
    }

    private func moveTime(to s: Double) {
        if s > seconds { seconds = s }
    }

    private func next() -> Int {
        defer { sequence += 1 }
        return sequence
    }

    /// "client:port", "client" (port 0) or a client name (with ":port").
    private func resolve(_ spec: String) throws -> PortAddress {
        if failConnections { throw EmbeddedError(description: "connecting \(spec) refused") }
        let parts = spec.split(separator: ":", maxSplits: 1).map(String.init)
        let port = parts.count > 1 ? Int(parts[1]) : 0
        let client = Int(parts[0]) ?? clients.first { $0.value.name == parts[0] }?.key
        guard let client, let port, let c = clients[client], c.ports.contains(port) else {
            throw EmbeddedError(description: "no port \(spec)")
        }
        return PortAddress(client: client, port: port)
    }
}

extension SequencerEvent.Kind {
    var isMIDI: Bool { if case .midi = self { true } else { false } }
}
