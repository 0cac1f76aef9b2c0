import LSTMModel
import MusicCore

/// What each cell does while the model plays: the inspection of paper 004, which shows cells
/// that count bars or track the form.
public enum Activations {
    /// Free-runs the model after `prime` for `slices` slices; returns the whole piece and, for
    /// each of its slices, every cell's output after hearing it (chord cells first, then melody).
    public static func record(model: ImprovModel, prime: [Slice], slices: Int, sampling: SamplingOptions = .paper,
                              seed: UInt64) -> (piece: [Slice], cells: [[Float]], chordCells: Int) {
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
        for _ in 0..<slices { hear(model.encoding.folded(predictor.sampleNext(using: &rng))) }
        return (piece, cells, model.network.topology.chordCells)
    }
}
