import ControlPage
import Daemon
import Engine
import MusicCore
import NIOConcurrencyHelpers
import Presets

/// A running LiveDaemon as the control page sees it (ControlSurface): its state from the
/// daemon's snapshot, its controls through the daemon's change mailbox, its events from the
/// ring its loop records into. Everything here runs on the web server's threads; the daemon's
/// loop only ever writes its ring (DaemonEventRing.record: no lock, no allocation).
///
/// Make it before the loop runs (it sets `daemon.events` and reads what stays fixed: the
/// preset, the form, the ports), then hand it to a ControlServer.
public final class DaemonSurface: ControlSurface {
    /// The hub the page's event stream reads; reading it first relays what the loop recorded
    /// since (so the stream's 25 ms pump on the server's thread is all that has to run).
    public var events: EventHub {
        relayEvents()
        return hub
    }
    let hub: EventHub
    let control: DaemonControl
    let info: SessionInfo
    let ring: DaemonEventRing
    /// How the daemon reads a reload (its model file, the loaders), for a preset chosen here.
    let files: ReloadFiles
    private let relay: NIOLockedValueBox<EventRelay>
    /// How long a control request waits for the loop to apply it.
    let settle: Duration = .milliseconds(250)

    /// `presets`: the presets the page may load, by name (the shipped ones, those in
    /// /etc/improv), and their files.
    public init(daemon: LiveDaemon, hub: EventHub = EventHub(), ring: DaemonEventRing = DaemonEventRing(),
                presets: [String: String] = [:]) {
        self.hub = hub
        control = daemon.control
        info = SessionInfo(daemon: daemon, presets: presets)
        files = daemon.reloadFiles
        self.ring = ring
        relay = NIOLockedValueBox(EventRelay(info: info))
        daemon.events = ring
    }

    public func state() -> ControlState { info.controlState(control.state) }

    /// Every key the daemon can take becomes one DaemonChange, applied at the loop's next turn;
    /// a key it cannot take refuses the whole request (nothing is changed). Returns once the
    /// loop has applied it, so that the answer's state shows the change: the loop is woken and
    /// takes it at once; a loop that does not turn within `settle` (stopped, or a test turning
    /// it by hand) leaves the change in its mailbox and the answer shows the state before it.
    public func apply(_ request: ControlRequest) async throws {
        let change = try info.daemonChange(for: request, now: control.state)
        for case .loadPreset(let name) in request.actions {
            guard let path = info.presets[name] else { throw ControlRejection(key: "preset", reason: "no preset named \"\(name)\"") }
            // Read and checked here, off the loop's thread, as SIGHUP's reload is; a preset that
            // does not read is refused now, naming the file, and nothing changes.
            var files = files
            files.presetPath = path
            let read = files.read()
            if case .failure(let error) = read { throw ControlRejection(key: "preset", reason: "\(error)") }
            control.reload(with: read)
        }
        let ticket = control.change(change)
        let clock = ContinuousClock(), deadline = clock.now + settle
        // A cancelled request stops waiting (its sleep throws at once; looping on it would spin).
        while !control.hasApplied(ticket), clock.now < deadline {
            guard (try? await Task.sleep(for: .milliseconds(1))) != nil else { break }
        }
    }

    /// Moves what the loop recorded since the last call into the hub (and a state event when
    /// the state changed). One relay at a time; the loop never waits for it.
    public func relayEvents() {
        let hub = hub, ring = ring, control = control
        relay.withLockedValue { $0.relay(ring: ring, control: control, to: hub) }
    }

    /// Events the loop dropped because nobody read its ring for a whole ring's worth.
    public var droppedEvents: Int { ring.dropped }
}
