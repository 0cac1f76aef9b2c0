import ArgumentParser
import Foundation
import MusicCore
import StandardMIDI

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Print a MIDI file as a piano roll of eighth-note slices: chords, melody, bars and key."
    )

    @Argument(help: "A Standard MIDI File (format 0 or 1).")
    var file: String

    @Option(name: .long, help: "How to find the chord part: auto, track:C,M (0-based), channel:C,M (1-16) or pitch:N (notes below N are chords).")
    var split = "auto"

    @Option(name: .long, help: "Bars per line of the piano roll.")
    var barsPerLine = 4

    func run() throws {
        let midi = try MIDIFile.read(path: file)
        let score = Score(midi: midi, split: try PartSplit(argument: split))
        let encoding = SliceEncoding.covering(chords: score.chords, melody: score.melody)
        let slices = score.slices(encoding: encoding)
        let keyText = score.key.map { "\($0)" } ?? KeyEstimate.estimate(score.chords + score.melody).map { "\($0) (estimated)" } ?? "none"
        let bars = (slices.count + score.meter.slicesPerBar - 1) / score.meter.slicesPerBar
        print("\(file): format \(midi.format), \(midi.tracks.count) tracks, \(midi.ticksPerQuarter) ticks per quarter")
        print(String(format: "key %@, %.1f BPM, %@, %d bars (%d slices), %d chord notes, %d melody notes",
                     keyText, score.tempoBPM, score.meter.description, bars, slices.count, score.chords.count, score.melody.count))
        print("o struck  - held  . silent\n")
        print(PianoRoll(slices: slices, encoding: encoding, barsPerLine: barsPerLine, meter: score.meter).render())
    }
}

extension PartSplit {
    /// Parses the command line's --split: auto, track:C,M, channel:C,M (1-based) or pitch:N.
    init(argument: String) throws {
        let parts = argument.split(separator: ":", maxSplits: 1).map(String.init)
        let numbers = parts.count == 2 ? parts[1].split(separator: ",").compactMap { Int($0) } : []
        switch (parts.first, numbers.count) {
        case ("auto", _) where parts.count == 1: self = .auto
        case ("track", 2) where numbers.allSatisfy({ $0 >= 0 }): self = .track(chords: numbers[0], melody: numbers[1])
        case ("channel", 2) where numbers.allSatisfy({ (1...16).contains($0) }):
            self = .channel(chords: UInt8(numbers[0] - 1), melody: UInt8(numbers[1] - 1))
        case ("pitch", 1) where (0...127).contains(numbers[0]): self = .pitch(UInt8(numbers[0]))
        default:
            throw ValidationError("--split: expected auto, track:C,M, channel:C,M (1-16) or pitch:N (0-127), found \"\(argument)\"")
        }
    }
}
