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
    public var key = Key.c
    public var tempoBPM = 120.0
    /// Share of each beat given to its first eighth: 0.5 is straight, 2/3 is triplet swing.
    public var swing = 0.5
    /// Bars in a call before improv answers; 0 = the call ends after a bar of silence.
    public var callBars = 0
    /// Bars in an answer; 0 = as long as the call.
    public var responseBars = 0
    /// The player's notes are passed through to the output.
    public var passThrough = false

    // [alsa]
    public var clientName = "improv"
    /// Ports to connect to improv's input ("client:port" or a client name, as aconnect takes them).
    public var inputs: [String] = []
    /// Ports to connect improv's output to.
    public var outputs: [String] = []

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
