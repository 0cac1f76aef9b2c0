import Engine
import Foundation
import MusicCore

/// What the daemon is doing, as of the end of its loop's last turn.
public struct DaemonState: Sendable, Equatable {
    public struct Connection: Sendable, Equatable {
        /// The peer as the preset names it ("24:0", "Midi Through").
        public var spec: String
        /// An input (the player, into improv) or an output (improv's answer, out).
        public var isInput: Bool
        /// Where it is connected now ("24:0"); nil while the peer is away.
        public var peer: String?
        /// Asked for (the preset, the page), so made again when the peer returns; false for
        /// one another client made (aconnect), named by its address.
        public var wanted: Bool
        public init(spec: String, isInput: Bool, peer: String?, wanted: Bool = true) {
            self.spec = spec
            self.isInput = isInput
            self.peer = peer
            self.wanted = wanted
        }
    }

    public var presetName = ""
    /// The file of the preset playing (nil: built in).
    public var presetFile: String?
    public var running = false
    public var mode = Session.Mode.callAndResponse
    /// The key improv plays in (the heard key when the preset follows the player's).
    public var key = Key.c
    /// The key the listener hears, whether or not improv follows it, and its colour (nil while
    /// the key is fixed: the colour is then read against the fixed key).
    public var heardKey = Key.c
    public var heardColour: Listener.Colour?
    public var tempoBPM = 120.0
    public var temperature = 1.0
    /// sampling.top_k (0: no cut).
    public var topK = 0
    /// The key follows the player's (session.key = "auto").
    public var keyAuto = false
    public var swing = 0.5
    /// The swing follows the player's (session.swing = "auto").
    public var swingAuto = false
    /// listen.develop, listen.register, listen.dynamics as they are now.
    public var develop = 1.0
    public var followRegister = true
    public var followDynamics = true
    /// The tempo follows the player's beat (clock.follow = "player").
    public var followsPlayer = false
    /// session.learn ("off", "session", "keep") and the calls learned from so far.
    public var learning = "off"
    public var phrasesLearned = 0
    /// The last call's register, dynamics and swing as the listener heard them (nil before any).
    public var call: Listener.Figures?
    /// The queue's tick when this was taken (480 a beat).
    public var tick = 0
    /// Where the session is in its form: the bar and the slice within the form.
    public var formBar = 0
    public var formSlice = 0
    public var connections: [Connection] = []
    /// Every port on the system but improv's own, as of the last look (every 2 s while a
    /// control page watches; empty otherwise).
    public var ports: [PortListing] = []
    public var reloads = 0
    public var inputOverruns = 0
    /// The band's parts the preset gave, and whether each plays now.
    public var band: [Band.Part: Bool] = [:]
}

/// A change of the daemon's settings, from any thread (a web page, a test): each field that is
/// set is applied by the loop at its next turn, as the same controller or SIGHUP would.
public struct DaemonChange: Sendable, Equatable {
    public var mode: Session.Mode?
    public var temperature: Double?
    public var tempoBPM: Double?
    public var topK: Int?
    /// Learning on or off (session.learn).
    public var learn: Engine.Learning?
    /// A key to fix (session.key), or `keyAuto` to follow the player's again.
    public var key: Key?
    public var keyAuto = false
    /// The swing to play (session.swing), or `swingAuto` to follow the player's.
    public var swing: Double?
    public var swingAuto = false
    /// listen.develop, listen.register, listen.dynamics.
    public var develop: Double?
    public var followRegister: Bool?
    public var followDynamics: Bool?
    public var panic = false
    /// Forget what was learned of the player (when learning is on).
    public var learnReset = false
    /// Re-read the preset and the model (as SIGHUP does).
    public var reload = false
    /// Connections to make or cut (aconnect's names or "client:port").
    public var connections: [PortChange] = []
    /// Band parts to switch on or off.
    public var band: [Band.Part: Bool] = [:]

    public struct PortChange: Sendable, Equatable {
        public var spec: String
        /// Into improv's input (else from its output).
        public var input: Bool
        /// Connect (else disconnect).
        public var connect: Bool
        public init(spec: String, input: Bool, connect: Bool) {
            self.spec = spec
            self.input = input
            self.connect = connect
        }
    }
    public init(mode: Session.Mode? = nil, temperature: Double? = nil, tempoBPM: Double? = nil, topK: Int? = nil,
                panic: Bool = false, learnReset: Bool = false, reload: Bool = false, connections: [PortChange] = []) {
        self.connections = connections
        self.mode = mode
        self.temperature = temperature
        self.tempoBPM = tempoBPM
        self.topK = topK
        self.panic = panic
        self.learnReset = learnReset
        self.reload = reload
    }
}

/// The daemon's one thread-safe door: `state` to read what it is doing, `change` to change
/// its settings. Everything else in the daemon belongs to its loop's thread.
public final class DaemonControl: @unchecked Sendable {
    // @unchecked: every field is behind `lock`.
    private let lock = NSLock()
    private var current = DaemonState()
    private var pending: [DaemonChange] = []
    private var pendingReload: Result<ReloadFiles.Read, any Error>?
    private var waker: (@Sendable () -> Void)?
    /// Changes and reloads handed in, and how many of them the loop has applied (and published
    /// the state after): a ticket is the count at the moment it was handed in.
    private var asked = 0
    private var applied = 0

    public init() {}

    /// A snapshot of the daemon's state (mode, key, tempo, temperature, form position,
    /// connections), as of the loop's last turn.
    public var state: DaemonState { lock.withLock { current } }

    /// Asks the loop to apply `change` at its next turn (within its 50 ms poll at most, at once
    /// when a waker is set); returns its ticket for `hasApplied`.
    @discardableResult
    public func change(_ change: DaemonChange) -> Int {
        let (ticket, wake) = lock.withLock {
            pending.append(change)
            asked += 1
            return (asked, waker)
        }
        wake?()
        return ticket
    }

    /// Hands the loop a preset and model read off its thread (another preset chosen on the
    /// control page), to be checked and taken at its next turn as a SIGHUP's are.
    @discardableResult
    public func reload(with read: Result<ReloadFiles.Read, any Error>) -> Int {
        let (ticket, wake) = lock.withLock {
            pendingReload = read
            asked += 1
            return (asked, waker)
        }
        wake?()
        return ticket
    }

    /// Whether the loop has applied the change or reload with this ticket, and every one
    /// before it: `state` then shows it.
    public func hasApplied(_ ticket: Int) -> Bool { lock.withLock { applied >= ticket } }

    /// Called after each `change` to wake the loop's wait (the sequencer's waker).
    public func setWaker(_ wake: @escaping @Sendable () -> Void) { lock.withLock { waker = wake } }

    func publish(_ state: DaemonState) { lock.withLock { current = state } }

    /// What the loop is to apply at this turn: a reload, then the changes; `through` is the
    /// last ticket among them (for `applied(through:)` once they are applied and published).
    func take() -> (reload: Result<ReloadFiles.Read, any Error>?, changes: [DaemonChange], through: Int) {
        lock.withLock {
            defer {
                pendingReload = nil
                pending.removeAll()
            }
            return (pendingReload, pending, asked)
        }
    }

    func applied(through ticket: Int) { lock.withLock { applied = max(applied, ticket) } }
}
