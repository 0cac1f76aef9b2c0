import ArgumentParser
import Foundation
import MusicCore

struct CorpusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "corpus",
        abstract: "Write choruses of the Eck & Schmidhuber blues training corpus as MIDI files.",
        discussion: """
            Each chorus is 12 bars of a bebop-style blues at 8 slices per bar: a fixed chord sequence \
            and, in each bar, one of two quarter-note melody segments on the blues pentatonic scale, so \
            there are 4096 different choruses. The same seed always picks the same choruses.
            """
    )

    @Option(name: .long, help: "The folder to write the MIDI files to (made if missing).")
    var out: String

    @Option(name: .long, help: "How many choruses (1 to 4096); each is different.")
    var count = 16

    @Option(name: .long, help: "Seed of the choice of choruses.")
    var seed: UInt64 = 1

    @Option(name: .long, help: "Key to write them in (C, Bb, F#, ...).")
    var key = "C"

    @Option(name: .long, help: "Tempo in beats per minute.")
    var tempo = 120.0

    func validate() throws {
        guard (1...EckCorpus.chorusCount).contains(count) else { throw ValidationError("--count must be from 1 to 4096") }
        guard Key(key) != nil else { throw ValidationError("--key: expected a key such as C, Bb or F#, found \"\(key)\"") }
        guard (20...400).contains(tempo) else { throw ValidationError("--tempo must be from 20 to 400") }
    }

    func run() throws {
        let target = Key(key)!
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let grid = TimeGrid(ticksPerQuarter: 480, tempoBPM: tempo)
        for number in EckCorpus.chorusNumbers(count: count, seed: seed) {
            let score = Score(slices: EckCorpus.chorus(number), grid: grid, key: .c).transposed(by: target.offsetFromC)
            let path = (out as NSString).appendingPathComponent(String(format: "eck-blues-%04d.mid", number))
            try score.midiFile(name: "Eck blues chorus \(number) in \(target)").write(path: path)
        }
        print("wrote \(count) choruses in \(target) to \(out)")
    }
}
