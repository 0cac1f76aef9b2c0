/// Something that happened in the session, sent to the page over `GET /api/events` as one
/// JSON text message each (`{"type":"note_on","part":"player","pitch":60,...}`). Times are in
/// beats since the session started, the clock of `ControlState.beat`.
public enum ControlEvent: Sendable, Equatable {
    /// A note the player played (part `player`) or improv played (its parts).
    case noteOn(part: Part, pitch: UInt8, velocity: UInt8, beat: Double)
    case noteOff(part: Part, pitch: UInt8, beat: Double)
    /// The place in the form, at least once a beat: bar (from 0) and beat within it, the chord.
    case position(beat: Double, bar: Int, barBeat: Double, chord: String)
    /// The session's state changed (mode, key, tempo...): the server sends the new snapshot.
    case stateChanged
    /// Every note stopped (a panic).
    case allNotesOff(beat: Double)
    /// A log line, as the daemon logs it ("notice", "warning", "error", ...).
    case log(level: String, message: String)

    public enum Part: String, Sendable, CaseIterable {
        case player, melody, chords, bass, comping, drums, click
    }
}

extension ControlEvent {
    /// The event as a JSON object. `state` is the snapshot to send with `.stateChanged`.
    func json(state: () -> String) -> String {
        switch self {
        case let .noteOn(part, pitch, velocity, beat):
            return #"{"type":"note_on","part":"\#(part.rawValue)","pitch":\#(pitch),"velocity":\#(velocity),"beat":\#(JSONText.number(beat))}"#
        case let .noteOff(part, pitch, beat):
            return #"{"type":"note_off","part":"\#(part.rawValue)","pitch":\#(pitch),"beat":\#(JSONText.number(beat))}"#
        case let .position(beat, bar, barBeat, chord):
            return #"{"type":"position","beat":\#(JSONText.number(beat)),"bar":\#(bar),"bar_beat":\#(JSONText.number(barBeat)),"chord":\#(JSONText.string(chord))}"#
        case .stateChanged:
            return #"{"type":"state","state":\#(state())}"#
        case let .allNotesOff(beat):
            return #"{"type":"all_notes_off","beat":\#(JSONText.number(beat))}"#
        case let .log(level, message):
            return #"{"type":"log","level":\#(JSONText.string(level)),"message":\#(JSONText.string(message))}"#
        }
    }
}

/// JSON literals written by hand (the events are small and many; no encoder per message).
enum JSONText {
    static func number(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        return String(d)
    }

    static func string(_ s: String) -> String {
        var out = "\""
        out.reserveCapacity(s.utf8.count + 2)
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20 || u.value == 0x2028 || u.value == 0x2029:
                let hex = String(u.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }
}
