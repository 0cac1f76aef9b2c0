import Engine
import MIDI

/// The service manager's notifications (systemd's sd_notify in the daemon): what the loop
/// reports, and when. SystemdNotifier in the improv target; a recorder in tests.
public protocol ServiceNotifier: AnyObject {
    /// READY=1 with a STATUS line (after start and after each reload).
    func ready(status: String)
    /// RELOADING=1 (with the monotonic time systemd asks for).
    func reloading()
    /// STOPPING=1.
    func stopping()
    /// WATCHDOG=1 when it is due.
    func pingIfDue()
}

/// A second sound beside the sequencer's output port (FluidSynth in the daemon): the engine's
/// events go to `output` too, and a tempo change reaches it.
public protocol LiveSound: AnyObject {
    var output: MIDIOutput { get }
    /// A line for the log at start ("FluidSynth on pulseaudio with ...").
    var announcement: String { get }
    func setTempo(_ bpm: Double) throws
}
