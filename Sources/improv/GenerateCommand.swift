import ArgumentParser
import AtomicFiles
import Composer
import Foundation
import MusicCore
import Pictures
import StandardMIDI

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Compose freely, as in the paper: prime the model, then feed its own notes back for N bars.",
        discussion: """
            The chords follow the form (--form; by default the chart the model was trained on) and the model's \
            melody plays over them; with --form free the model's own chord cells choose them, as in the paper. \
            The prime is the form's first bar of chords or the opening of a MIDI file; it is kept at the start \
            of the output, followed by the N generated bars.
            """
    )

    @Option(help: "Bars to generate after the prime.")
    var bars = 12

    @Option(help: "Seed of the sampling.")
    var seed: UInt64 = 1

    @Option(help: "A MIDI file whose opening primes the model (its parts found as by inspect --split auto).")
    var prime: String?

    @Option(help: "Slices of the prime to use (default: a bar of the form's meter).")
    var primeSlices: Int?

    @Option(help: "Key of the output (default: the prime file's key, else C).")
    var key: String?

    @Option(help: "Tempo of the output, in beats per minute.")
    var tempo = 120.0

    @OptionGroup var modelOptions: ModelOptions

    @Option(help: "The MIDI file to write.")
    var out: String

    @Option(help: "Also draw the piece as an SVG piano roll.")
    var svg: String?

    @Flag(help: "Read each chord unit on its own (threshold or --bernoulli) instead of decoding chords of the model's vocabulary.")
    var rawChords = false

    func validate() throws {
        guard bars >= 1 && bars <= 10_000 else { throw ValidationError("--bars must be from 1 to 10000") }
        guard (primeSlices ?? 1) >= 1 else { throw ValidationError("--prime-slices must be at least 1") }
        if let key, Key(key) == nil { throw ValidationError("--key: expected a key such as C, Bb or F#, found \"\(key)\"") }
    }

    func run() throws {
        let model = try modelOptions.load()
        let chart = model.form(for: try modelOptions.formChoice())
        let shape = chart ?? model.form
        let primeCount = primeSlices ?? shape.slicesPerBar
        var outputKey = key.flatMap(Key.init) ?? .c
        let primeSlicesC: [Slice]
        if let prime {
            let score = Score(midi: try MIDIFile.read(path: prime))
            let fileKey = score.key ?? key.flatMap(Key.init) ?? .c
            if key == nil { outputKey = fileKey }
            primeSlicesC = Array(score.transposed(by: -fileKey.offsetFromC).slices(encoding: model.encoding).prefix(primeCount))
            guard !primeSlicesC.isEmpty else { throw ValidationError("\(prime): no notes to prime with") }
        } else {
            let chords = shape.chordSlices(encoding: model.encoding)
            primeSlicesC = (0..<primeCount).map { chords[$0 % chords.count] }
        }
        // A model trained on a folder decodes chords of its corpus's vocabulary (ChordDecoder).
        let predictor = model.predictor(sampling: try modelOptions.sampling(), decodeChords: model.harmony != nil && !rawChords)
        var p = predictor
        var rng = SeededGenerator(seed: seed)
        let played = p.run(over: chart, prime: primeSlicesC, count: bars * shape.slicesPerBar, encoding: model.encoding, using: &rng)
        var score = Score(slices: played, grid: TimeGrid(tempoBPM: tempo, meter: shape.meter), key: .c)
            .transposed(by: outputKey.offsetFromC)
        score.key = outputKey  // a minor key stays minor in the file
        let file = score.midiFile(name: "improv generate seed \(seed)")
        try file.write(path: out)
        if let svg {
            let roll = PianoRollSVG(midi: file, title: "improv generate, seed \(seed)")
            try AtomicFile.write(roll.render(), to: svg)
        }
        print("wrote \(out): \(primeSlicesC.count) prime slices and \(bars) generated bars in \(outputKey), \(shape.meter), form \(chart.map(\.description) ?? "free")")
    }
}
