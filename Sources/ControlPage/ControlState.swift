/// A snapshot of the session for `GET /api/state` and the page. Encoded with snake_case
/// keys (`top_k`, `key_auto`); the names follow the preset's where there is one.
public struct ControlState: Codable, Sendable, Equatable {
    /// session.name
    public var name: String = "improv"
    /// The preset loaded (a shipped name or a path), nil for the defaults.
    public var preset: String?
    /// The presets `{"preset": NAME}` can load: the shipped ones and those in /etc/improv.
    public var presets: [String] = []
    /// session.mode: "call-and-response", "backing" or "duet".
    public var mode: String = "call-and-response"
    /// The key improv plays in now ("F", "Am").
    public var key: String = "C"
    /// session.key = "auto": improv follows the key the player plays in.
    public var keyAuto: Bool = true
    /// Beats per minute improv plays at now.
    public var tempo: Double = 120
    /// Where the tempo comes from: "preset", "control" (page or controller), "player" or "midi".
    public var tempoSource: String = "preset"
    public var swing: Double = 0.5
    public var swingAuto: Bool = false
    public var temperature: Double = 1
    public var topK: Int = 0
    public var form = Form()
    public var listen = Listen()
    public var learning = Learning()
    public var band = Band()
    public var heard = Heard()
    public var connections = Connections()
    /// Beats since the session started, when this snapshot was taken (the events' clock).
    public var beat: Double = 0

    public struct Form: Codable, Sendable, Equatable {
        /// session.form as given ("model", "blues", a chart).
        public var name: String = "model"
        /// The chart, one entry per bar: the bar's chords ("F7", "Bb7 B°7").
        public var bars: [String] = []
        public var beatsPerBar: Int = 4
        /// Where the form is: bar (from 0, within the chart) and beat within the bar (from 0).
        public var bar: Int = 0
        public var barBeat: Double = 0
        /// Times through the form so far.
        public var chorus: Int = 0
        public var chord: String = ""
        public init() {}
    }

    public struct Learning: Codable, Sendable, Equatable {
        /// session.learn: "off", "session" or "keep".
        public var mode: String = "off"
        /// Calls learned from since the start (or the last reset).
        public var phrases: Int = 0
        public init() {}
    }

    public struct Band: Codable, Sendable, Equatable {
        public var drums: String = "off"
        public var bass: String = "off"
        public var comping: String = "off"
        public var compingRhythm: String = "swing"
        public var click: Bool = false
        public init() {}
    }

    /// How answers listen to their call: listen.develop, listen.register, listen.dynamics.
    public struct Listen: Codable, Sendable, Equatable {
        public var develop: Double = 1
        public var register: Bool = true
        public var dynamics: Bool = true
        public init() {}
    }

    /// What the listener makes of the player.
    public struct Heard: Codable, Sendable, Equatable {
        /// The key heard in the last call ("Am"), nil before any.
        public var key: String?
        /// Its colour: "major", "blues" (the blue notes leaned on), "minor" or "dorian".
        public var colour: String?
        /// The player's tempo and beat when following them (clock.follow = "player"), else nil.
        public var tempo: Double?
        public var beat: Double?
        /// The last call's lowest and highest pitch.
        public var registerLow: Int?
        public var registerHigh: Int?
        /// The player's swing (share of the beat on the first eighth), when measured.
        public var swing: Double?
        /// Is a call being played now.
        public var calling: Bool = false
        public init() {}
    }

    public struct Port: Codable, Sendable, Equatable, Hashable {
        /// "client:port", as aconnect takes it.
        public var address: String
        public var name: String
        public init(address: String, name: String) {
            self.address = address
            self.name = name
        }
    }

    public struct Connections: Codable, Sendable, Equatable {
        /// improv's own input and output ports.
        public var input: String = ""
        public var output: String = ""
        /// Ports connected to improv's input, and those its output goes to.
        public var inputs: [Port] = []
        public var outputs: [Port] = []
        /// Other ports one could connect: readable ones (can play into improv) and writable ones.
        public var readable: [Port] = []
        public var writable: [Port] = []
        public init() {}
    }

    public init() {}
}
