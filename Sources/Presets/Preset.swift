import MusicCore

/// A session as a musician describes it: what to play, how, and where to.
///
/// Loaded from a human-editable TOML file (see presets/README.md for every key, its
/// meaning and default). Channels and programs are counted from 1, as on a keyboard's
/// display and in the General MIDI list; improv stores them 0-based.
public struct Preset: Hashable, Sendable {
    public enum Mode: String, CaseIterable, Sendable {
        case callAndResponse = "call-and-response"
        case backing
        case duet
    }

    public enum ChordSampling: String, CaseIterable, Sendable { case threshold, bernoulli }
    public enum MelodySampling: String, CaseIterable, Sendable { case distribution, argmax }

    // [session]
    public var name = "improv"
    public var mode = Mode.callAndResponse
    /// The key the session starts in, and stays in when `followKey` is off.
    public var key = Key.c
    /// `session.key = "auto"` (the default): follow the key and mode the player plays in.
    public var followKey = true
    public var tempoBPM = 120.0
    /// The form: the model's (its training chart; the Eck blues for the built-in model), a
    /// shipped one by name, a chart, or "free" (the model's chord cells choose).
    public var form = FormChoice.model
    /// Share of each beat given to its first eighth: 0.5 is straight, 2/3 is triplet swing.
    public var swing = 0.5
    /// `session.swing = "auto"`: improv's eighths swing as the player's do (from `swing` on).
    public var followSwing = false
    /// Bars in a call before improv answers; 0 = the call ends after a bar of silence.
    public var callBars = 0
    /// Bars in an answer; 0 = as long as the call.
    public var responseBars = 0
    /// The player's notes are passed through to the output.
    public var passThrough = false
    /// The channel (0-based) passed-through notes go out on: their own, so that they never cut
    /// (or are cut by) improv's notes of the same key.
    public var passThroughChannel: UInt8 = 2

    /// The player's notes below this pitch are chords that steer the form (nil: none).
    public var chordSplit: UInt8? = 60

    /// Learning the player live: `off`, `session` (this session only) or `keep` (saved in the
    /// state directory and loaded at the next start).
    public enum Learning: String, CaseIterable, Sendable { case off, session, keep }
    public var learn = Learning.off

    // [listen]
    /// How strongly answers develop the call (0: the model alone; 1: the default bend).
    public var develop = 1.0
    /// Answers in the call's register.
    public var followRegister = true
    /// Answers follow the call's velocities.
    public var followDynamics = true
    /// Seconds after which a note held with nothing else played stops holding a call open (nil: never).
    public var heldNoteTimeout: Double? = 4

    // [clock]
    /// Follow an external MIDI clock (clock, start, stop, continue) on the input.
    public var followClock = false
    /// `clock.follow = "player"`: follow the player's tempo from their notes (no click, no clock).
    public var followPlayer = false
    /// Send MIDI clock on the output.
    public var sendClock = false

    // [control]: controller numbers on the input that steer improv (nil: not mapped).
    /// Melody temperature, from 0.2 (value 0) to 2.0 (value 127).
    public var temperatureController: UInt8? = 1
    /// Mode: 0-42 call-and-response, 43-85 backing, 86-127 duet.
    public var modeController: UInt8? = 80
    /// Tempo: 40 + value beats per minute (40-167).
    public var tempoController: UInt8? = 81
    /// Panic at any value of 64 or more (CC 123, all notes off, always panics too).
    public var panicController: UInt8? = 82
    /// Forget what was learned of the player (back to the base model) at 64 or more.
    public var learnResetController: UInt8? = 83
    /// Tap tempo: four presses (64 or more) a beat apart set the tempo (off unless mapped).
    public var tapController: UInt8?

    // [alsa]
    public var clientName = "improv"
    /// Ports to connect to improv's input ("client:port" or a client name, as aconnect takes them).
    public var inputs: [String] = []
    /// Ports to connect improv's output to.
    public var outputs: [String] = []

    // [band]: the rhythm section, each part optional (nil: not played).
    public enum Drums: String, CaseIterable, Sendable { case off, swing, brushes, straight }
    public enum Bass: String, CaseIterable, Sendable { case off, walking, twoFeel = "two-feel" }
    public enum CompingVoicing: String, CaseIterable, Sendable { case off, rootless, shell, guideTones = "guide-tones", close }
    public enum CompingRhythm: String, CaseIterable, Sendable { case swing, ballad, straight }
    public var drums = Drums.off
    public var bass = Bass.off
    public var comping = CompingVoicing.off
    public var compingRhythm = CompingRhythm.swing
    /// Bars of clicks before the form starts (0: none).
    public var countInBars = 0
    /// A click on every beat through the session.
    public var click = false
    public var bassChannel: UInt8 = 3
    public var bassProgram: UInt8 = 32     // Acoustic Bass
    public var compingChannel: UInt8 = 4
    public var compingProgram: UInt8 = 0
    public var hasBand: Bool { drums != .off || bass != .off || comping != .off || countInBars > 0 || click }

    // [chords] and [melody]
    public var chordChannel: UInt8 = 0
    public var chordProgram: UInt8 = 0     // Acoustic Grand Piano
    public var melodyChannel: UInt8 = 1
    public var melodyProgram: UInt8 = 66   // Tenor Sax

    // [sampling]
    public var temperature = 1.0
    /// 0 = no top-k cut.
    public var topK = 0
    public var chordSampling = ChordSampling.threshold
    public var melodySampling = MelodySampling.distribution
    /// nil = a new seed each session.
    public var seed: UInt64?

    // [model] and [sound]
    /// nil = the default model built into improv.
    public var modelFile: String?
    /// nil = look the soundfont up (IMPROV_SOUNDFONT, soundfonts/, Debian's GM fonts).
    public var soundfont: String?
    /// Where the daemon's music goes: the ALSA output port, FluidSynth's audio driver, or both.
    public enum Output: String, CaseIterable, Sendable { case alsa, fluidsynth, both }
    public var output = Output.alsa
    public enum AudioDriver: String, CaseIterable, Sendable { case alsa, pulseaudio, pipewire, jack }
    public var audioDriver = AudioDriver.alsa
    /// The ALSA PCM device for FluidSynth's alsa driver (nil: its default).
    public var audioDevice: String?
    public var sampleRate = 48000
    public var gain = 0.4
    public var reverb = true
    public var chorus = false
    public var polyphony = 128

    // [web]: the control page (ControlPage). "" turns it off; see WebAddress for the form.
    public var webListen = "127.0.0.1:8737"
    /// The bearer token the page's API asks for (nil: none; required off loopback).
    public var webToken: String?

    public init() {}

    public var voices: PartVoices {
        var v = PartVoices()
        v.chordChannel = chordChannel
        v.chordProgram = chordProgram
        v.melodyChannel = melodyChannel
        v.melodyProgram = melodyProgram
        return v
    }
}
