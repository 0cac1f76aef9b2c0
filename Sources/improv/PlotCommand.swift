import ArgumentParser
import AtomicFiles
import Foundation
import MusicCore
import Pictures
import StandardMIDI

struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Draw a MIDI file or a jam session as an SVG piano roll: key, tempo and meter, bar lines, the chords as played, each part in its colour.",
        discussion: "A session written by `improv jam --midi` shows the player's calls and improv's answers in their own colours. In other files each track (or each channel of a one-track file) is a part; the chords named above the roll are those the chord part plays."
    )

    @Argument(help: "A MIDI file, or a jam session written by improv jam --midi.")
    var file: String

    @Option(help: "The SVG file to write.")
    var out: String

    @Option(help: "How to find the chord and melody parts in other files: auto (tracks named so, else the lowest- and highest-sounding track or channel), track:C,M (0-based), channel:C,M (1-16) or pitch:N.")
    var split = "auto"

    func run() throws {
        let midi = try MIDIFile.read(path: file)
        let roll = PianoRollSVG(midi: midi, split: try PartSplit(argument: split), title: (file as NSString).lastPathComponent)
        try AtomicFile.write(roll.render(), to: out)
        print("wrote \(out): \(roll.noteCount) notes")
    }
}
