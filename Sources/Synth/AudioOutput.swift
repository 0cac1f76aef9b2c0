import CFluidSynth

/// A real-time audio driver playing a synthesizer (ALSA, PulseAudio, PipeWire or JACK, from
/// its `SynthSettings`). While it exists the driver's thread renders the synth, which also
/// advances the sequencer's clock. Keep it alive as long as sound should play.
public final class AudioOutput {
    public let synthesizer: Synthesizer
    private let driver: OpaquePointer

    public init(synthesizer: Synthesizer) throws(SynthError) {
        self.synthesizer = synthesizer
        driver = try created(new_fluid_audio_driver(synthesizer.settings, synthesizer.synth), "new_fluid_audio_driver")
        synthesizer.hasAudioDriver = true
    }

    deinit {
        delete_fluid_audio_driver(driver)   // joins the driver's thread
        synthesizer.hasAudioDriver = false
    }
}
