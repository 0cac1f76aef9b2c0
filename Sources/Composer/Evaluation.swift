import MusicCore

/// The figures `improv eval` reports for a model or a baseline.
public struct EvaluationResult: Sendable {
    public var name: String
    /// Share of generated bars whose chord, in every slice of the bar, is the form's chord.
    public var chordFormAccuracy: Double
    /// Share of struck melody notes that lie on the scale.
    public var inScale: Double
    /// Share of generated melody bars that are not one of the training segments.
    public var novelty: Double
    /// Held-out cross-entropy per slice, nats: chord units, melody, and their sum.
    public var chordCrossEntropy: Double
    public var melodyCrossEntropy: Double
    public var crossEntropy: Double { chordCrossEntropy + melodyCrossEntropy }
    public var generatedBars: Int
}

public enum Evaluation {
    /// Scores free-running music against a form: `slices` starts on the form's first bar, and
    /// bars before `fromBar` (the prime) are not counted.
    public static func musicalFigures(_ slices: [Slice], form: ChordForm, encoding: SliceEncoding, key: Key = .c,
                                      scale: UInt16 = Scale.bluesPentatonic, trainingBars: Set<[MelodyEvent]>,
                                      fromBar: Int) -> (chordFormAccuracy: Double, inScale: Double, novelty: Double, bars: Int) {
        let per = TimeGrid.slicesPerBar
        var bars = 0, rightChord = 0, novel = 0, notes = 0, onScale = 0
        var bar = fromBar
        while (bar + 1) * per <= slices.count {
            let range = bar * per..<(bar + 1) * per
            let expected = form.chord(atBar: bar).transposed(by: key.tonic).voicing(in: encoding.chordRange)
            bars += 1
            if range.allSatisfy({ encoding.folded(slices[$0]).chord == expected }) { rightChord += 1 }
            let melody = slices[range].map { encoding.folded($0).melody }
            if !trainingBars.contains(melody) { novel += 1 }
            for event in melody {
                if case .attack(let p) = event {
                    notes += 1
                    if Scale.contains(scale, pitch: p, key: key) { onScale += 1 }
                }
            }
            bar += 1
        }
        return (bars == 0 ? 0 : Double(rightChord) / Double(bars), notes == 0 ? 0 : Double(onScale) / Double(notes),
                bars == 0 ? 0 : Double(novel) / Double(bars), bars)
    }

    /// Free-runs `predictor` for `choruses` choruses after a one-bar prime from a held-out piece,
    /// and measures its held-out cross-entropy.
    public static func evaluate(_ predictor: inout some SlicePredictor, heldOut: [[Slice]], choruses: Int,
                                form: ChordForm, encoding: SliceEncoding, trainingBars: Set<[MelodyEvent]>,
                                seed: UInt64) -> EvaluationResult {
        var rng = SeededGenerator(seed: seed)
        let prime = Array(heldOut[0].prefix(TimeGrid.slicesPerBar))
        let played = predictor.freeRun(prime: prime, count: choruses * form.sliceCount - prime.count, using: &rng)
        let figures = musicalFigures(played, form: form, encoding: encoding, trainingBars: trainingBars, fromBar: 1)
        let ce = predictor.crossEntropy(pieces: heldOut)
        return EvaluationResult(name: predictor.name, chordFormAccuracy: figures.chordFormAccuracy, inScale: figures.inScale,
                                novelty: figures.novelty, chordCrossEntropy: ce.chord, melodyCrossEntropy: ce.melody,
                                generatedBars: figures.bars)
    }

    /// One plain-text table of results.
    public static func table(_ results: [EvaluationResult]) -> String {
        func pct(_ x: Double) -> String { String(format: "%6.1f%%", 100 * x) }
        var lines = ["model              chord form  in scale  novelty  held-out CE/slice (chord + melody)"]
        for r in results {
            let name = r.name.padding(toLength: 18, withPad: " ", startingAt: 0)
            lines.append("\(name) \(pct(r.chordFormAccuracy))    \(pct(r.inScale))  \(pct(r.novelty))  "
                + String(format: "%6.3f (%.3f + %.3f)", r.crossEntropy, r.chordCrossEntropy, r.melodyCrossEntropy))
        }
        if let bars = results.first?.generatedBars { lines.append("(\(bars) free-running bars each, after a one-bar prime)") }
        return lines.joined(separator: "\n")
    }
}

import Foundation
