import LSTMModel
import MusicCore
import Presets

extension Engine.Settings {
    /// Where the engine runs: live (the daemon) or offline (jam, writing files).
    public enum Run: Sendable {
        case live
        /// Offline the same call gives the same answer: the seed defaults to 1, a call's
        /// fine-tune is done before the answer is planned, and the call is not passed through
        /// (it is written on its own track; passed through it would be written twice).
        case offline
    }

    /// The engine's settings for a preset: the one mapping jam, the daemon and its reload use.
    /// `seed` (a --seed) comes before the preset's; without either a new one is drawn live
    /// (1 offline).
    public init(preset: Preset, seed: UInt64? = nil, for run: Run = .live) {
        self.init()
        grid = TimeGrid(tempoBPM: preset.tempoBPM)
        key = preset.key
        form = preset.form
        followPlayer = preset.followPlayer
        followKey = preset.followKey
        splitPitch = preset.chordSplit
        develop = preset.develop
        followRegister = preset.followRegister
        followDynamics = preset.followDynamics
        heldNoteTimeout = preset.heldNoteTimeout
        learn = Engine.Learning(rawValue: preset.learn.rawValue) ?? .off
        swing = preset.swing
        followSwing = preset.followSwing
        mode = Session.Mode(rawValue: preset.mode.rawValue) ?? .callAndResponse
        callBars = preset.callBars
        responseBars = preset.responseBars
        chordChannel = preset.chordChannel
        melodyChannel = preset.melodyChannel
        chordProgram = preset.chordProgram
        melodyProgram = preset.melodyProgram
        passThrough = preset.passThrough
        passThroughChannel = preset.passThroughChannel
        sampling = SamplingOptions(chord: preset.chordSampling == .bernoulli ? .bernoulli : .threshold(0.5),
                                   melody: preset.melodySampling == .argmax ? .argmax : .distribution,
                                   temperature: Float(preset.temperature), topK: preset.topK)
        self.seed = seed ?? preset.seed ?? (run == .offline ? 1 : UInt64.random(in: 1...UInt64.max))
        if run == .offline {
            learnSynchronously = true
            passThrough = false
        }
        if preset.hasBand {
            var parts = BandParts()
            if let style = DrumPart.Style(rawValue: preset.drums.rawValue) { parts.drums = DrumPart(style: style) }
            if preset.bass != .off {
                parts.bass = WalkingBass(channel: preset.bassChannel, program: preset.bassProgram, twoFeel: preset.bass == .twoFeel)
            }
            let voicings: [Preset.CompingVoicing: VoicingKind] = [.rootless: .rootless, .shell: .shell, .guideTones: .guideTones, .close: .close]
            if let voicing = voicings[preset.comping] {
                parts.comping = Comping(channel: preset.compingChannel, program: preset.compingProgram, voicing: voicing,
                                        rhythm: Comping.Rhythm(rawValue: preset.compingRhythm.rawValue) ?? .swing)
            }
            if preset.countInBars > 0 || preset.click { parts.countIn = CountIn(bars: preset.countInBars, clickThroughout: preset.click) }
            band = parts
        }
    }
}

extension Engine.Settings {
    /// The settings a running engine takes from a reload: sampling, mode and tempo (the seed
    /// is the session's). Any other that differs in `other` waits for a restart: their names.
    public func differencesNeedingRestart(from other: Engine.Settings) -> [String] {
        var a = self, b = other
        a.sampling = b.sampling
        a.mode = b.mode
        a.grid.tempoBPM = b.grid.tempoBPM
        a.seed = b.seed
        a.swing = b.swing
        a.followSwing = b.followSwing
        a.develop = b.develop
        a.followRegister = b.followRegister
        a.followDynamics = b.followDynamics
        return zip(Mirror(reflecting: a).children, Mirror(reflecting: b).children).compactMap { x, y in
            String(describing: x.value) == String(describing: y.value) ? nil : x.label
        }
    }
}

