import Composer
import MusicCore

/// `improv-bench corpus-figures [--model PATH]`: what a model has learnt of the phrase corpus.
///   - held-out cross-entropy per slice on the mixed corpus's held-out pieces (seed 1, as
///     `make default-model` trains), and on its phrase and Eck parts alone;
///   - free-running from an Eck bar: the shares of eighths, quarters and rests;
///   - primed with four bars of an unseen minor (or major) tune, the 8 bars it then plays: the
///     share of minor thirds and sixths (Eb, Ab) among its thirds and sixths (Eb/E, Ab/A).
func corpusFigures(_ model: ImprovModel) -> [String: Any] {
    var out: [String: Any] = [:]
    let mixed = TrainingCorpus.mixed(choruses: 1024, seed: 1)
    let eck = TrainingCorpus.eckBlues(choruses: 256, heldOutChoruses: 8, seed: 1).heldOut
    let phrases = mixed.heldOut.filter { !eck.contains($0) }
    var p = model.predictor()
    for (name, pieces) in [("mixed", mixed.heldOut), ("phrases", phrases), ("eck", eck)] {
        let ce = p.crossEntropy(pieces: pieces)
        out["heldout_ce_\(name)"] = ce.chord + ce.melody
    }

    var rng = SeededGenerator(seed: 7)
    let played = p.freeRun(prime: Array(EckCorpus.chorus(0).prefix(8)), count: 50 * 96, using: &rng).dropFirst(8)
    var lengths: [Int] = [], current = 0, rests = 0
    for slice in played {
        switch slice.melody {
        case .attack: if current > 0 { lengths.append(current) }; current = 1
        case .hold: current += 1
        case .rest: if current > 0 { lengths.append(current) }; current = 0; rests += 1
        }
    }
    out["free_eighths"] = Double(lengths.filter { $0 == 1 }.count) / Double(max(1, lengths.count))
    out["free_quarters"] = Double(lengths.filter { $0 == 2 }.count) / Double(max(1, lengths.count))
    out["free_rest_slices"] = Double(rests) / Double(played.count)
    out["free_notes_per_bar"] = Double(lengths.count) / Double(played.count / 8)

    // Tunes far past the training ones: colour = number % 4 (2 minor, 1 major).
    for (name, colour) in [("minor", 2), ("major", 1)] {
        var minorThirds = 0, majorThirds = 0
        for j in 0..<40 {
            let tune = PhraseCorpus.tuneSlices(100_000 + 4 * j + colour, seed: 1)
            let run = p.freeRun(prime: Array(tune.prefix(32)), count: 64, using: &rng).dropFirst(32)
            for slice in run {
                guard case .attack(let pitch) = slice.melody else { continue }
                switch pitch % 12 { case 3, 8: minorThirds += 1; case 4, 9: majorThirds += 1; default: break }
            }
        }
        out["after_\(name)_prime_minor_share"] = Double(minorThirds) / Double(max(1, minorThirds + majorThirds))
    }
    return out
}
