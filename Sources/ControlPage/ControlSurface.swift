/// What the control page needs of a running session. The daemon conforms to it; the tests
/// use a fake. Every requirement is called on the web server's own threads, never the
/// engine's, and none may wait for the engine:
///
/// - `state()` returns the last snapshot the engine published (a copy under a short lock);
/// - `apply(_:)` hands an already validated request to the engine (a mailbox the engine
///   drains between slices) and returns once it was taken, or throws `ControlRejection`
///   when the session cannot do it (a port that does not exist, a preset that fails to
///   load); a rejected request changes nothing;
/// - `events` is the hub the engine publishes notes, chords, positions, state changes and
///   log lines to (`EventHub.publish` takes a short lock and never blocks on a client).
public protocol ControlSurface: Sendable {
    func state() -> ControlState
    func apply(_ request: ControlRequest) async throws
    var events: EventHub { get }
}

/// A request the session refused: the key it is about (`preset`, `connect.input`, ...) and why.
public struct ControlRejection: Error, Sendable, Equatable, CustomStringConvertible {
    public var key: String
    public var reason: String
    public init(key: String, reason: String) {
        self.key = key
        self.reason = reason
    }
    public var description: String { "\(key): \(reason)" }
}
