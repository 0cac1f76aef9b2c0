import ALSASequencer
import MIDI

extension MIDIMessage {
    /// One token group per message, easy to grep: "noteOn ch=0 key=60 vel=100".
    var text: String {
        switch self {
        case let .channel(.noteOn(c, k, v)): return "noteOn ch=\(c) key=\(k) vel=\(v)"
        case let .channel(.noteOff(c, k, v)): return "noteOff ch=\(c) key=\(k) vel=\(v)"
        case let .channel(.controlChange(c, ChannelMessage.allNotesOffController, _)): return "allNotesOff ch=\(c)"
        case let .channel(.controlChange(c, ChannelMessage.allSoundOffController, _)): return "allSoundOff ch=\(c)"
        case let .channel(.controlChange(c, cc, v)): return "cc ch=\(c) cc=\(cc) val=\(v)"
        case let .channel(.programChange(c, p)): return "program ch=\(c) prog=\(p)"
        case let .channel(.pitchBend(c, v)): return "pitchBend ch=\(c) val=\(v)"
        case .clock: return "clock"
        case .start: return "start"
        case .stop: return "stop"
        case .continue: return "continue"
        }
    }
}

extension InputEvent.Kind {
    var text: String {
        switch self {
        case let .midi(m): return m.text
        case let .portSubscribed(s, d): return "portSubscribed \(s) \(d)"
        case let .portUnsubscribed(s, d): return "portUnsubscribed \(s) \(d)"
        case let .clientStart(c): return "clientStart \(c)"
        case let .clientExit(c): return "clientExit \(c)"
        case let .clientChange(c): return "clientChange \(c)"
        case let .portStart(a): return "portStart \(a)"
        case let .portExit(a): return "portExit \(a)"
        case let .portChange(a): return "portChange \(a)"
        case let .other(t): return "other type=\(t)"
        }
    }
}

extension InputEvent {
    /// "in <tick> <K|R> <src> <kind>": K = tick stamped by the kernel, R = read-time tick.
    var line: String { "in \(tick) \(tickIsKernelStamped ? "K" : "R") \(source) \(kind.text)" }
}
