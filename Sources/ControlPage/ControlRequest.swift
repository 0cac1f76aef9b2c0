import MusicCore
import Presets

/// A validated `POST /api/control`: changes to the running session, named and checked as in a
/// preset, and actions. The surface applies `preset` first (when given), then the changes in
/// order, then the other actions.
public struct ControlRequest: Sendable, Equatable {
    public var changes: [Change] = []
    public var actions: [Action] = []

    public init(changes: [Change] = [], actions: [Action] = []) {
        self.changes = changes
        self.actions = actions
    }

    /// The preset keys that can change while a session runs, each with its preset name.
    public enum Change: Sendable, Equatable {
        case mode(Preset.Mode)                      // session.mode
        case key(Key?)                              // session.key; nil: "auto"
        case tempo(Double)                          // session.tempo
        case swing(Double?)                         // session.swing; nil: "auto"
        case learn(Preset.Learning)                 // session.learn
        case develop(Double)                        // listen.develop
        case followRegister(Bool)                   // listen.register
        case followDynamics(Bool)                   // listen.dynamics
        case temperature(Double)                    // sampling.temperature
        case topK(Int)                              // sampling.top_k
        case drums(Preset.Drums)                    // band.drums
        case bass(Preset.Bass)                      // band.bass
        case comping(Preset.CompingVoicing)         // band.comping
        case compingRhythm(Preset.CompingRhythm)    // band.comping_rhythm
        case click(Bool)                            // band.click
    }

    public enum Direction: String, Sendable, CaseIterable { case input, output }

    public enum Action: Sendable, Equatable {
        /// `"panic": true`: silence everything now.
        case panic
        /// `"learn_reset": true`: forget what was learned of the player.
        case learnReset
        /// `"preset": NAME`: load one of `ControlState.presets`.
        case loadPreset(String)
        /// `"connect": {"input": "24:0"}` (a port that plays into improv) or `{"output": ...}`.
        case connect(Direction, String)
        case disconnect(Direction, String)
    }

    /// Preset keys (table.key) that `POST /api/control` may set.
    public static let liveKeys = [
        "session.mode", "session.key", "session.tempo", "session.swing", "session.learn",
        "listen.develop", "listen.register", "listen.dynamics",
        "sampling.temperature", "sampling.top_k",
        "band.drums", "band.bass", "band.comping", "band.comping_rhythm", "band.click",
    ]
    public static let actionKeys = ["panic", "learn_reset", "preset", "connect", "disconnect"]
}

/// Why a request was refused: the HTTP status, the key it is about (nil for the body as a
/// whole) and what was expected. Sent as `{"error": ..., "key": ...}`.
public struct ControlError: Error, Sendable, Equatable, CustomStringConvertible {
    public var status: Int
    public var key: String?
    public var reason: String
    public init(status: Int = 400, key: String?, reason: String) {
        self.status = status
        self.key = key
        self.reason = reason
    }
    public var description: String { (key.map { "\($0): " } ?? "") + reason }
}

extension ControlRequest {
    /// Parses and validates a request body. Preset keys go through the preset reader itself
    /// (as a one-table TOML document per table, every key quoted), so a key or value the
    /// preset refuses is refused here with the same words. `presets` are the names that
    /// `"preset"` may take.
    public static func parse(json body: [UInt8], presets: [String]) throws(ControlError) -> ControlRequest {
        let root: JSONValue
        do { root = try JSONValue.parse(body) } catch { throw ControlError(key: nil, reason: error.description) }
        guard case .object(let members) = root else {
            throw ControlError(key: nil, reason: "expected a JSON object such as {\"session.mode\": \"backing\"}, found a \(root.kind)")
        }
        guard !members.isEmpty else { throw ControlError(key: nil, reason: "expected at least one key, such as \"session.tempo\"") }

        var request = ControlRequest()
        var settings: [(table: String, key: String, value: JSONValue)] = []
        for (name, value) in members {
            if let dot = name.firstIndex(of: ".") {
                settings.append((String(name[..<dot]), String(name[name.index(after: dot)...]), value))
            } else if actionKeys.contains(name) {
                try request.actions.append(contentsOf: action(name, value, presets: presets))
            } else if case .object(let inner) = value {
                settings += inner.map { (name, $0.0, $0.1) }
            } else {
                throw ControlError(key: name, reason: "unknown key; expected a preset key such as \"session.mode\" (or a table {\"session\": {...}}), or one of \(actionKeys.joined(separator: ", "))")
            }
        }
        guard !settings.isEmpty else { return request }

        // One TOML table per preset table, keys and strings quoted: nothing in a name or a
        // value can escape into the document's structure.
        var tables: [String: [(String, JSONValue)]] = [:]
        var order: [String] = []
        for s in settings {
            let dotted = "\(s.table).\(s.key)"
            if tables[s.table]?.contains(where: { $0.0 == s.key }) == true {
                throw ControlError(key: dotted, reason: "given twice")
            }
            if tables[s.table] == nil { order.append(s.table) }
            tables[s.table, default: []].append((s.key, s.value))
        }
        var toml = ""
        for table in order {
            toml += "[\(JSONText.string(table))]\n"
            for (k, v) in tables[table]! { toml += "\(JSONText.string(k)) = \(try tomlValue(v, key: "\(table).\(k)"))\n" }
        }
        let preset: Preset
        do { preset = try Preset(toml: toml, file: "control") } catch let error as PresetError {
            throw ControlError(key: error.key, reason: error.reason)
        } catch let other {
            throw ControlError(key: nil, reason: "\(other)")
        }

        for s in settings {
            let dotted = "\(s.table).\(s.key)"
            guard liveKeys.contains(dotted) else {
                throw ControlError(key: dotted, reason: "cannot be changed while the session runs; it can be set in a preset. Live keys: \(liveKeys.joined(separator: ", "))")
            }
            request.changes.append(change(dotted, preset))
        }
        return request
    }

    private static func change(_ dotted: String, _ p: Preset) -> Change {
        switch dotted {
        case "session.mode": return .mode(p.mode)
        case "session.key": return .key(p.followKey ? nil : p.key)
        case "session.tempo": return .tempo(p.tempoBPM)
        case "session.swing": return .swing(p.followSwing ? nil : p.swing)
        case "session.learn": return .learn(p.learn)
        case "listen.develop": return .develop(p.develop)
        case "listen.register": return .followRegister(p.followRegister)
        case "listen.dynamics": return .followDynamics(p.followDynamics)
        case "sampling.temperature": return .temperature(p.temperature)
        case "sampling.top_k": return .topK(p.topK)
        case "band.drums": return .drums(p.drums)
        case "band.bass": return .bass(p.bass)
        case "band.comping": return .comping(p.comping)
        case "band.comping_rhythm": return .compingRhythm(p.compingRhythm)
        case "band.click": return .click(p.click)
        default: preconditionFailure("\(dotted) is in liveKeys but has no change")
        }
    }

    private static func tomlValue(_ v: JSONValue, key: String) throws(ControlError) -> String {
        switch v {
        case .bool(let b): return b ? "true" : "false"
        case .integer(let i): return String(i)
        case .number(let d): return String(d)
        case .string(let s): return JSONText.string(s)
        case .array(let items):
            var parts: [String] = []
            for item in items {
                if case .array = item { throw ControlError(key: key, reason: "expected a value or an array of values, found nested arrays") }
                parts.append(try tomlValue(item, key: key))
            }
            return "[" + parts.joined(separator: ", ") + "]"
        case .null: throw ControlError(key: key, reason: "expected a value, found null")
        case .object: throw ControlError(key: key, reason: "expected a value, found an object (tables nest one level: {\"session\": {\"mode\": ...}})")
        }
    }

    private static func action(_ name: String, _ v: JSONValue, presets: [String]) throws(ControlError) -> [Action] {
        switch name {
        case "panic", "learn_reset":
            guard v == .bool(true) else { throw ControlError(key: name, reason: "expected true, found \(describe(v))") }
            return [name == "panic" ? .panic : .learnReset]
        case "preset":
            guard case .string(let s) = v, presets.contains(s) else {
                throw ControlError(key: name, reason: "expected one of the presets (\(presets.map { "\"\($0)\"" }.joined(separator: ", "))), found \(describe(v))")
            }
            return [.loadPreset(s)]
        default: // connect, disconnect
            guard case .object(let members) = v, !members.isEmpty else {
                throw ControlError(key: name, reason: "expected {\"input\": PORT} or {\"output\": PORT}, found \(describe(v))")
            }
            var out: [Action] = []
            for (k, port) in members {
                guard let direction = Direction(rawValue: k) else {
                    throw ControlError(key: "\(name).\(k)", reason: "unknown key; expected input or output")
                }
                guard case .string(let s) = port, (1...128).contains(s.utf8.count), !s.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) else {
                    throw ControlError(key: "\(name).\(k)", reason: "expected a port as aconnect takes it (\"24:0\" or a client name, 1 to 128 bytes), found \(describe(port))")
                }
                out.append(name == "connect" ? .connect(direction, s) : .disconnect(direction, s))
            }
            return out
        }
    }

    private static func describe(_ v: JSONValue) -> String {
        switch v {
        case .string(let s): return JSONText.string(String(s.prefix(80)))
        case .bool(let b): return b ? "true" : "false"
        case .integer(let i): return String(i)
        case .number(let d): return String(d)
        default: return "a \(v.kind)"
        }
    }
}
