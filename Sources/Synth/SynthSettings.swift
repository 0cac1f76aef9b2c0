/// How FluidSynth is set up: a plain value, checked and applied by `Synthesizer`.
public struct SynthSettings: Sendable, Equatable {
    public enum SampleRate: Int, Sendable, CaseIterable {
        case hz44100 = 44100
        case hz48000 = 48000
    }

    /// FluidSynth's audio drivers improv offers (`audio.driver`). `file` renders in real time
    /// into `audioFile` from its own thread, as a sound card's driver would: headless (tests).
    public enum AudioDriver: String, Sendable, CaseIterable {
        case alsa, pulseaudio, pipewire, jack, file
    }

    public struct Reverb: Sendable, Equatable {
        public var enabled: Bool
        /// 0...1 (`synth.reverb.room-size`).
        public var roomSize: Double
        /// 0...1 (`synth.reverb.level`).
        public var level: Double

        public init(enabled: Bool = true, roomSize: Double = 0.2, level: Double = 0.9) {
            self.enabled = enabled
            self.roomSize = roomSize
            self.level = level
        }
    }

    public var sampleRate: SampleRate
    /// Master gain, 0...10 (`synth.gain`; FluidSynth's default 0.2 leaves headroom for chords).
    public var gain: Double
    public var reverb: Reverb
    public var chorus: Bool
    /// Voices at once, 1...65535 (`synth.polyphony`).
    public var polyphony: Int
    /// Used only by `AudioOutput` (real time), ignored offline.
    public var audioDriver: AudioDriver
    /// Frames per audio period, 64...8192 (`audio.period-size`); real time only.
    public var periodSize: Int
    /// The ALSA PCM device for the alsa driver (`audio.alsa.device`), e.g. "hw:Loopback,0";
    /// nil: FluidSynth's default.
    public var alsaDevice: String?
    /// Where the file driver writes (`audio.file.name`); nil: FluidSynth's default, fluidsynth.wav.
    public var audioFile: String?

    public init(sampleRate: SampleRate = .hz44100, gain: Double = 0.2, reverb: Reverb = Reverb(),
                chorus: Bool = true, polyphony: Int = 256, audioDriver: AudioDriver = .alsa,
                periodSize: Int = 64) {
        self.sampleRate = sampleRate
        self.gain = gain
        self.reverb = reverb
        self.chorus = chorus
        self.polyphony = polyphony
        self.audioDriver = audioDriver
        self.periodSize = periodSize
    }

    /// Throws for the first value out of range.
    public func validate() throws(SynthError) {
        guard (0...10).contains(gain) else { throw .invalidSetting(name: "gain", value: "\(gain)") }
        guard (0...1).contains(reverb.roomSize) else { throw .invalidSetting(name: "reverb.roomSize", value: "\(reverb.roomSize)") }
        guard (0...1).contains(reverb.level) else { throw .invalidSetting(name: "reverb.level", value: "\(reverb.level)") }
        guard (1...65535).contains(polyphony) else { throw .invalidSetting(name: "polyphony", value: "\(polyphony)") }
        guard (64...8192).contains(periodSize) else { throw .invalidSetting(name: "periodSize", value: "\(periodSize)") }
    }
}
