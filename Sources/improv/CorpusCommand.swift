import ArgumentParser
import Foundation
import MusicCore

struct CorpusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "corpus",
        abstract: "Write choruses of a training corpus (the Eck & Schmidhuber blues, or the phrase corpus) as MIDI files.",
        discussion: """
            Each chorus is 12 bars of a bebop-style blues at 8 slices per bar: a fixed chord sequence \
            and, in each bar, one of two quarter-note melody segments on the blues pentatonic scale, so \
            there are 4096 different choruses. The same seed always picks the same choruses. \
            With --phrases: tunes of the phrase corpus (AAB riffs, questions and answers, sequences, in \
            blues, major, minor and dorian), two choruses each.
            """
    )

    @Option(name: .long, help: "The folder to write the MIDI files to (made if missing).")
    var out: String

    @Option(name: .long, help: "How many choruses (1 to 4096); each is different.")
    var count = 16

    @Option(name: .long, help: "Seed of the choice of choruses.")
    var seed: UInt64 = 1

    @Flag(name: .long, help: "The phrase corpus: --count tunes of two choruses.")
    var phrases = false

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
        let grid = TimeGrid(tempoBPM: tempo)
        if phrases {
            for number in 0..<count {
                let tune = PhraseCorpus.tune(number, seed: seed)
                let slices = tune.flatMap { $0.slices() }
                let score = Score(slices: slices, grid: grid, key: .c).transposed(by: target.offsetFromC)
                let name = "phrases-\(String(format: "%04d", number))-\(tune[0].colour.rawValue).mid"
                try score.midiFile(name: "Phrase tune \(number) (\(tune[0].form.name); \(tune.map(\.shape.rawValue).joined(separator: ", "))) in \(target)")
                    .write(path: (out as NSString).appendingPathComponent(name))
            }
            print("wrote \(count) phrase tunes in \(target) to \(out)")
            return
        }
        for number in EckCorpus.chorusNumbers(count: count, seed: seed) {
            let score = Score(slices: EckCorpus.chorus(number), grid: grid, key: .c).transposed(by: target.offsetFromC)
            let path = (out as NSString).appendingPathComponent(String(format: "eck-blues-%04d.mid", number))
            try score.midiFile(name: "Eck blues chorus \(number) in \(target)").write(path: path)
        }
        print("wrote \(count) choruses in \(target) to \(out)")
    }
}
