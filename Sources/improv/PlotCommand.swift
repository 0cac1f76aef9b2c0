import ArgumentParser
import AtomicFiles
import Foundation
import MusicCore
import Pictures
import StandardMIDI

struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Draw a MIDI file or a jam session as an SVG piano roll, with bar lines and the form's chord names.",
        discussion: "A session written by `improv jam --midi` shows the player's calls and improv's answers in their own colours."
    )

    @Argument(help: "A MIDI file, or a jam session written by improv jam --midi.")
    var file: String

    @Option(help: "The SVG file to write.")
    var out: String

    @Option(help: "How to find the chord part in other files: auto, track:C,M (0-based), channel:C,M (1-16) or pitch:N.")
    var split = "auto"

    func run() throws {
        let midi = try MIDIFile.read(path: file)
        let roll = PianoRollSVG(midi: midi, split: try PartSplit(argument: split), title: (file as NSString).lastPathComponent)
        try AtomicFile.write(roll.render(), to: out)
        print("wrote \(out): \(roll.noteCount) notes")
    }
}
