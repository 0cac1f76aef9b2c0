import ArgumentParser
import AtomicFiles
import Foundation
import MusicCore
import StandardMIDI

struct ABCCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "abc",
        abstract: "Write a MIDI file's melody as ABC notation, with the chord symbols of its chord part above it.",
        discussion: "Prints to standard output unless --out is given."
    )

    @Argument(help: "A MIDI file (a generated piece, a corpus chorus, a jam...).")
    var file: String

    @Option(help: "How to find the chord part: auto, track:C,M (0-based), channel:C,M (1-16) or pitch:N.")
    var split = "auto"

    @Option(help: "Write the ABC here instead of printing it.")
    var out: String?

    func run() throws {
        let score = Score(midi: try MIDIFile.read(path: file), split: try PartSplit(argument: split))
        let text = ABCExport.abc(score, title: (file as NSString).lastPathComponent)
        if let out {
            try AtomicFile.write(text, to: out)
            print("wrote \(out)")
        } else {
            print(text, terminator: "")
        }
    }
}
