import ArgumentParser
import Foundation
import StandardMIDI
import Synth

struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Play a MIDI file through FluidSynth into a WAV file, as fast as the machine allows.",
        discussion: "The release and reverb tail is kept; silence after it is not."
    )

    @Argument(help: "A Standard MIDI File.") var input: String
    @Argument(help: "The WAV file to write.") var output: String
    @OptionGroup var audio: AudioOptions

    func run() throws {
        let midi = try MIDIFile.read(path: input)
        let font = try audio.locate()
        let summary = try render(midi: midi, soundfont: font, settings: audio.settings, format: audio.format, to: output)
        print(String(format: "wrote %@: %.2f s at %d Hz with %@", summary.path, summary.seconds, summary.sampleRate, font))
    }
}
