import CFluidSynth
import Foundation

/// One FluidSynth synthesizer and its settings object.
///
/// Not thread-safe as a Swift object: configure it on one thread. (FluidSynth's own API is
/// thread-safe by default, so an audio driver may render while the engine sends events;
/// `offline` synths turn that locking off because one thread does everything.)
public final class Synthesizer {
    let settings: OpaquePointer
    let synth: OpaquePointer
    public let configuration: SynthSettings
    public private(set) var soundfonts: [String] = []
    /// True while an `AudioOutput` renders this synth from its own thread.
    public internal(set) var hasAudioDriver = false

    /// - Parameter offline: true when only this thread renders (disables FluidSynth's
    ///   API mutex, `synth.threadsafe-api`), as `OfflineRenderer` does.
    public init(settings configuration: SynthSettings = SynthSettings(), offline: Bool = false) throws(SynthError) {
        FluidLog.install()
        try configuration.validate()
        let settings = try created(new_fluid_settings(), "new_fluid_settings")
        do {
            try Self.apply(configuration, offline: offline, to: settings)
            synth = try created(new_fluid_synth(settings), "new_fluid_synth")
        } catch {
            delete_fluid_settings(settings)
            throw error
        }
        self.settings = settings
        self.configuration = configuration
    }

    deinit {
        delete_fluid_synth(synth)
        delete_fluid_settings(settings)
    }

    private static func apply(_ c: SynthSettings, offline: Bool, to s: OpaquePointer) throws(SynthError) {
        try check(fluid_settings_setnum(s, "synth.sample-rate", Double(c.sampleRate.rawValue)), "fluid_settings_setnum(synth.sample-rate)")
        try check(fluid_settings_setnum(s, "synth.gain", c.gain), "fluid_settings_setnum(synth.gain)")
        try check(fluid_settings_setint(s, "synth.reverb.active", c.reverb.enabled ? 1 : 0), "fluid_settings_setint(synth.reverb.active)")
        try check(fluid_settings_setnum(s, "synth.reverb.room-size", c.reverb.roomSize), "fluid_settings_setnum(synth.reverb.room-size)")
        try check(fluid_settings_setnum(s, "synth.reverb.level", c.reverb.level), "fluid_settings_setnum(synth.reverb.level)")
        try check(fluid_settings_setint(s, "synth.chorus.active", c.chorus ? 1 : 0), "fluid_settings_setint(synth.chorus.active)")
        try check(fluid_settings_setint(s, "synth.polyphony", Int32(c.polyphony)), "fluid_settings_setint(synth.polyphony)")
        try check(fluid_settings_setstr(s, "audio.driver", c.audioDriver.rawValue), "fluid_settings_setstr(audio.driver)")
        try check(fluid_settings_setint(s, "audio.period-size", Int32(c.periodSize)), "fluid_settings_setint(audio.period-size)")
        if let device = c.alsaDevice {
            try check(fluid_settings_setstr(s, "audio.alsa.device", device), "fluid_settings_setstr(audio.alsa.device)")
        }
        if let file = c.audioFile {
            try check(fluid_settings_setstr(s, "audio.file.name", file), "fluid_settings_setstr(audio.file.name)")
        }
        if offline {
            try check(fluid_settings_setint(s, "synth.threadsafe-api", 0), "fluid_settings_setint(synth.threadsafe-api)")
        }
    }

    /// Loads an SF2 file and resets the channels' programs to its presets. Returns
    /// FluidSynth's soundfont id. The error names `path` (and FluidSynth's reason).
    @discardableResult
    public func loadSoundfont(path: String) throws(SynthError) -> Int32 {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw .soundfontLoad(path: path, detail: FileManager.default.fileExists(atPath: path) ? "not readable" : "no such file")
        }
        _ = FluidLog.takeErrors()
        let id = fluid_synth_sfload(synth, path, 1)
        do {
            try check(id, "fluid_synth_sfload")
        } catch {
            if case .callFailed(_, let detail) = error {
                throw .soundfontLoad(path: path, detail: detail.isEmpty ? "FluidSynth refused it" : detail)
            }
            throw error
        }
        soundfonts.append(path)
        return id
    }

    /// Selects General MIDI `program` (0...127) on `channel` (0...15), bank 0.
    public func setProgram(_ program: UInt8, channel: UInt8) throws(SynthError) {
        try check(fluid_synth_program_change(synth, Int32(channel), Int32(program)), "fluid_synth_program_change")
    }

    /// Voices sounding now, releases included (thread-safe: FluidSynth's API lock).
    public var activeVoiceCount: Int { Int(fluid_synth_get_active_voice_count(synth)) }

    /// Renders `frames` stereo frames, interleaved L R, into `buffer[offset...]`.
    func renderInterleaved(frames: Int, into buffer: UnsafeMutablePointer<Float>) throws(SynthError) {
        try check(fluid_synth_write_float(synth, Int32(frames), buffer, 0, 2, buffer, 1, 2), "fluid_synth_write_float")
    }
}
