import LSTMModel
import MusicCore

/// What each cell does while the model plays: the inspection of paper 004, which shows cells
/// that count bars or track the form.
public enum Activations {
    /// Free-runs the model after `prime` for `slices` slices; returns the whole piece and, for
    /// each of its slices, every cell's output after hearing it (chord cells first, then melody).
    /// With a form, its chords are the chord part after the prime (a lead sheet); without, the
    /// chord cells run free.
    public static func record(model: ImprovModel, prime: [Slice], slices: Int, sampling: SamplingOptions = .paper,
                              form: ChordForm? = nil, seed: UInt64) -> (piece: [Slice], cells: [[Float]], chordCells: Int) {
        let predictor = model.predictor(sampling: sampling)
        var rng = SeededGenerator(seed: seed)
        var piece: [Slice] = []
        var cells: [[Float]] = []
        func hear(_ slice: Slice) {
            predictor.observe(slice)
            piece.append(slice)
            cells.append(Array(predictor.state.chordHidden) + Array(predictor.state.melodyHidden))
        }
        for s in prime { hear(s) }
        let chords = form?.chordSlices(encoding: model.encoding)
        for i in 0..<slices {
            var next = model.encoding.folded(predictor.sampleNext(using: &rng))
            if let chords {
                let c = chords[(prime.count + i) % chords.count]
                next.chord = c.chord
                next.chordOnset = c.chordOnset
            }
            hear(next)
        }
        return (piece, cells, model.network.topology.chordCells)
    }
}
