import ArgumentParser
import AtomicFiles
import Composer
import Foundation
import MusicCore
import Pictures
import StandardMIDI

struct ActivationsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "activations",
        abstract: "Draw each cell's output while the model plays freely, under the piece's piano roll (SVG).",
        discussion: "Cells that count bars or follow the 12-bar form show up as stripes that repeat every bar or every chorus."
    )

    @OptionGroup var modelOptions: ModelOptions

    @Option(help: "A MIDI file whose opening primes the model (default: the first bar of a corpus chorus).")
    var prime: String?

    @Option(help: "Bars to generate after the prime.")
    var bars = 24

    @Option(help: "Seed of the sampling.")
    var seed: UInt64 = 1

    @Option(help: "The SVG file to write.")
    var out: String

    func run() throws {
        let model = try modelOptions.load()
        let chart = model.form(for: try modelOptions.formChoice())
        let shape = chart ?? model.form
        let primeSlices: [Slice]
        if let prime {
            let score = Score(midi: try MIDIFile.read(path: prime))
            primeSlices = Array(score.transposed(by: -(score.key ?? .c).offsetFromC).slices(encoding: model.encoding).prefix(shape.slicesPerBar))
        } else {
            primeSlices = Array(shape.chordSlices(encoding: model.encoding).prefix(shape.slicesPerBar))
        }
        let run = Activations.record(model: model, prime: primeSlices, slices: bars * shape.slicesPerBar,
                                     sampling: try modelOptions.sampling(), form: chart, seed: seed)
        let svg = ActivationsSVG(piece: run.piece, cells: run.cells, chordCells: run.chordCells,
                                 title: "improv activations: \(run.cells.first?.count ?? 0) cells over \(run.piece.count) slices, seed \(seed)",
                                 slicesPerBar: shape.slicesPerBar)
        try AtomicFile.write(svg.render(), to: out)
        print("wrote \(out)")
    }
}
