import Daemon
import Engine
import MIDI
import Presets
import Synth

/// FluidSynth playing live: its audio driver renders the synth in real time, and the engine's
/// events reach it through FluidSynth's own sequencer at sample-accurate times.
final class LiveSynth: LiveSound {
    let synthesizer: Synthesizer
    let sequencer: SynthSequencer
    let synthOutput: SynthOutput
    var output: MIDIOutput { synthOutput }
    let announcement: String
    let audio: AudioOutput
    let soundfont: String

    init(preset: Preset) throws {
        var settings = SynthSettings()
        settings.sampleRate = preset.sampleRate == 44100 ? .hz44100 : .hz48000
        settings.gain = preset.gain
        settings.reverb.enabled = preset.reverb
        settings.chorus = preset.chorus
        settings.polyphony = preset.polyphony
        settings.audioDriver = SynthSettings.AudioDriver(rawValue: preset.audioDriver.rawValue) ?? .alsa
        settings.alsaDevice = preset.audioDevice
        settings.periodSize = 256
        synthesizer = try Synthesizer(settings: settings)
        soundfont = try SoundfontLocator.locate(preset: preset.soundfont)
        try synthesizer.loadSoundfont(path: soundfont)
        let ticksPerSecond = SynthOutput.ticksPerSecond(ppq: 480, bpm: preset.tempoBPM)
        sequencer = try SynthSequencer(synthesizer: synthesizer, ticksPerSecond: ticksPerSecond)
        synthOutput = try SynthOutput(sequencer: sequencer, ticksPerSecond: ticksPerSecond)
        audio = try AudioOutput(synthesizer: synthesizer)
        announcement = "FluidSynth on \(preset.audioDriver.rawValue)\(preset.audioDevice.map { " (\($0))" } ?? "") with \(soundfont)"
    }

    /// Follows a tempo change (events already queued keep their times).
    func setTempo(_ bpm: Double) throws {
        try sequencer.setTicksPerSecond(SynthOutput.ticksPerSecond(ppq: 480, bpm: bpm))
    }
}
