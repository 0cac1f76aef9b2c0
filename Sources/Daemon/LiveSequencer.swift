import MIDI

/// A sequencer address: client and port numbers, written "14:0" as ALSA writes them.
public struct PortAddress: Hashable, Sendable, CustomStringConvertible {
    public var client: Int
    public var port: Int
    public init(client: Int, port: Int) {
        self.client = client
        self.port = port
    }
    public var description: String { "\(client):\(port)" }
}

/// An event read from the sequencer, with the tick of the daemon's queue it arrived at.
public struct SequencerEvent: Hashable, Sendable {
    public var tick: Int
    public var kind: Kind

    public enum Kind: Hashable, Sendable {
        case midi(MIDIMessage)
        case portSubscribed(sender: PortAddress, dest: PortAddress)
        case portUnsubscribed(sender: PortAddress, dest: PortAddress)
        case clientStart(client: Int)
        case clientExit(client: Int)
        case portStart(PortAddress)
        case portExit(PortAddress)
        /// Anything the daemon ignores (sysex, aftertouch, client changes...).
        case other
    }

    public init(tick: Int, kind: Kind) {
        self.tick = tick
        self.kind = kind
    }
}

/// A port of a client, as `ports()` lists them.
public struct PortListing: Hashable, Sendable {
    public var address: PortAddress
    public var clientName: String
    public var portName: String
    /// Another client may subscribe to read from it (it can play into improv) / write to it
    /// (improv can play to it).
    public var readable: Bool
    public var writable: Bool
    public init(address: PortAddress, clientName: String, portName: String, readable: Bool = true, writable: Bool = true) {
        self.address = address
        self.clientName = clientName
        self.portName = portName
        self.readable = readable
        self.writable = writable
    }
}

/// The sequencer as the daemon uses it: one client with an input port (the player) and an
/// output port (improv's answer), a queue at 480 ticks a quarter note, and the system's
/// announcements of peers coming and going. ALSA's sequencer in the daemon (ALSALiveSequencer in
/// the improv target), EmbeddedSequencer in simulated time in tests. Used from one thread.
public protocol LiveSequencer: AnyObject {
    /// This client's number (as in "128:0") and its two ports.
    var clientID: Int { get }
    var inputPort: Int { get }
    var outputPort: Int { get }
    /// How often the input overflowed so far (events were lost).
    var inputOverruns: Int { get }
    /// Monotonic seconds (the external clock is measured on it).
    var seconds: Double { get }

    /// Waits up to `timeoutMs` for input and returns what arrived, stamped with queue ticks.
    func read(timeoutMs: Int) throws -> [SequencerEvent]
    /// The queue's tick now.
    func currentTick() throws -> Int
    /// Puts `message` on the queue at `tick`; it leaves at the next `drain`.
    func schedule(_ message: MIDIMessage, atTick tick: Int) throws
    /// Sends at once, ahead of anything scheduled.
    func sendNow(_ message: MIDIMessage) throws
    /// Hands what was scheduled to the kernel (which plays it at its ticks).
    func drain() throws
    /// Forgets what was scheduled and has not played yet.
    func dropScheduled() throws

    /// Connects a peer (as aconnect names it: "client:port" or a client name) to the input
    /// port, or the output port to a peer; returns the peer's address.
    func connectInput(from spec: String) throws -> PortAddress
    func connectOutput(to spec: String) throws -> PortAddress
    func disconnectInput(from spec: String) throws
    func disconnectOutput(to spec: String) throws
    /// Every port of every client.
    func ports() throws -> [PortListing]

    /// The queue: start, stop where it is, continue from there.
    func startQueue() throws
    func stopQueue() throws
    func continueQueue() throws
    /// The queue's tempo from `tick` on (nil: now). The seam for following a player's tempo
    /// live: the daemon retimes its queue here (docs/tempo-following.md).
    func setTempo(bpm: Double, atTick tick: Int?) throws
}
