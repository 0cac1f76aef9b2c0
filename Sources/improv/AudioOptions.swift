import ArgumentParser
import Synth

/// Where sound comes from and what the WAV is like, shared by render and jam.
struct AudioOptions: ParsableArguments {
    @Option(help: "An SF2 soundfont (default: the preset's, $IMPROV_SOUNDFONT, soundfonts/improv.sf2, Debian's GM fonts).")
    var soundfont: String?

    @Option(help: "Sample rate of the WAV: 44100 or 48000.")
    var rate = 44100

    @Flag(help: "Write 32-bit float samples instead of 16-bit.")
    var float = false

    func validate() throws {
        guard SynthSettings.SampleRate(rawValue: rate) != nil else { throw ValidationError("--rate must be 44100 or 48000") }
    }

    var settings: SynthSettings {
        var s = SynthSettings()
        s.sampleRate = SynthSettings.SampleRate(rawValue: rate) ?? .hz44100
        return s
    }

    var format: WAVSampleFormat { float ? .float32 : .int16 }

    /// An explicit --soundfont is used or refused, never skipped; else the lookup order.
    func locate(preset: String? = nil) throws -> String {
        try soundfont ?? SoundfontLocator.locate(preset: preset)
    }
}
