import Foundation
import MusicCore

/// Figures of free-running music against a folder corpus's harmony and key.
public struct HarmonyFigures: Sendable, Codable, Equatable {
    /// Chord changes a bar (read on the beats, as CorpusHarmony reads them).
    public var changesPerBar: Double
    /// Share of the chords changed to that are in the corpus's vocabulary.
    public var inVocabulary: Double
    /// Share of struck melody notes on the scale of the piece's key (estimated from its melody:
    /// the major scale, or the natural minor with the raised seventh).
    public var inKey: Double
    /// Share of melody bars that are not a bar of the training pieces.
    public var novelty: Double
    public var bars: Int
}

/// One row of `improv eval --corpus DIR`.
public struct FolderEvaluationRow: Sendable, Codable, Equatable {
    public var name: String
    /// Held-out cross-entropy per slice (nats), chord units and melody; nil for the corpus itself.
    public var chordCrossEntropy: Double?
    public var melodyCrossEntropy: Double?
    public var crossEntropy: Double? { chordCrossEntropy.flatMap { c in melodyCrossEntropy.map { c + $0 } } }
    public var figures: HarmonyFigures
}

public struct FolderEvaluation: Sendable, Codable, Equatable {
    public var corpus: String
    public var meter: String
    public var heldOutPieces: Int
    public var vocabularySize: Int
    public var rows: [FolderEvaluationRow]

    public init(corpus: String, meter: String, heldOutPieces: Int, vocabularySize: Int, rows: [FolderEvaluationRow]) {
        self.corpus = corpus
        self.meter = meter
        self.heldOutPieces = heldOutPieces
        self.vocabularySize = vocabularySize
        self.rows = rows
    }
}

extension Evaluation {
    /// The harmony, key and novelty of `slices`, counting bars from `fromBar`.
    public static func harmonyFigures(_ slices: [Slice], harmony: CorpusHarmony, encoding: SliceEncoding,
                                      trainingBars: Set<[MelodyEvent]>, fromBar: Int) -> HarmonyFigures {
        let per = harmony.meter.slicesPerBar
        let start = min(slices.count, fromBar * per)
        let barCount = (slices.count - start) / per
        let body = Array(slices[start..<(start + barCount * per)]).map(encoding.folded)
        // Changes and vocabulary, from the chord named on each beat (the last prime chord counts as the one before).
        var last = slices[..<start].last(where: { !$0.chord.isEmpty }).flatMap { ChordSymbol.identify($0.chord) }
        var changedTo: [ChordSymbol] = []
        var changes = 0
        for case let c? in CorpusHarmony.beatChords(body, meter: harmony.meter) where c != last {
            if last != nil { changes += 1 }
            changedTo.append(c)
            last = c
        }
        var novel = 0
        for b in 0..<barCount where !trainingBars.contains(body[(b * per)..<((b + 1) * per)].map(\.melody)) { novel += 1 }
        let struck = slices.compactMap { s -> UInt8? in if case .attack(let p) = s.melody { return p } else { return nil } }
        let key = KeyEstimate.estimate(struck.map { Note(pitch: $0, velocity: 64, channel: 0, start: 0, duration: 1) }) ?? .c
        let scale = key.minor ? Scale.mask([0, 2, 3, 5, 7, 8, 10, 11]) : Scale.mask([0, 2, 4, 5, 7, 9, 11])
        var notes = 0, inKey = 0
        for s in body { if case .attack(let p) = s.melody { notes += 1; if Scale.contains(scale, pitch: p, key: key) { inKey += 1 } } }
        return HarmonyFigures(changesPerBar: barCount > 0 ? Double(changes) / Double(barCount) : 0,
                              inVocabulary: harmony.vocabularyShare(changedTo),
                              inKey: notes > 0 ? Double(inKey) / Double(notes) : 0,
                              novelty: barCount > 0 ? Double(novel) / Double(barCount) : 0, bars: barCount)
    }

    /// Every bar's melody of `pieces` (folded), to tell new bars from copied ones.
    public static func melodyBars(_ pieces: [[Slice]], meter: Meter, encoding: SliceEncoding) -> Set<[MelodyEvent]> {
        var bars = Set<[MelodyEvent]>()
        let per = meter.slicesPerBar
        for piece in pieces {
            for b in 0..<(piece.count / per) { bars.insert(piece[(b * per)..<((b + 1) * per)].map { encoding.folded($0).melody }) }
        }
        return bars
    }

    /// Scores a predictor against a folder corpus: held-out cross-entropy, and free-running from
    /// each held-out piece's first `primeBars` bars for as many bars as the piece has (at least
    /// `minimumBars`), with `runs` seeds each; figures pooled over every run.
    public static func folder(_ predictor: inout some SlicePredictor, corpus: TrainingCorpus, harmony: CorpusHarmony,
                              encoding: SliceEncoding, trainingBars: Set<[MelodyEvent]>, primeBars: Int = 2,
                              minimumBars: Int = 16, runs: Int = 3, seed: UInt64) -> FolderEvaluationRow {
        let ce = predictor.crossEntropy(pieces: corpus.heldOut)
        let f = freeRunFigures(&predictor, corpus: corpus, harmony: harmony, encoding: encoding, trainingBars: trainingBars,
                               primeBars: primeBars, minimumBars: minimumBars, runs: runs, seed: seed)
        return FolderEvaluationRow(name: predictor.name, chordCrossEntropy: ce.chord, melodyCrossEntropy: ce.melody, figures: f)
    }

    static func freeRunFigures(_ predictor: inout some SlicePredictor, corpus: TrainingCorpus, harmony: CorpusHarmony,
                               encoding: SliceEncoding, trainingBars: Set<[MelodyEvent]>, primeBars: Int,
                               minimumBars: Int, runs: Int, seed: UInt64) -> HarmonyFigures {
        let per = harmony.meter.slicesPerBar
        var pooled: [HarmonyFigures] = []
        var rng = SeededGenerator(seed: seed)
        for piece in corpus.heldOut {
            let prime = Array(piece.prefix(primeBars * per))
            let bars = max(minimumBars, piece.count / per - primeBars)
            for _ in 0..<runs {
                let played = predictor.freeRun(prime: prime, count: bars * per, using: &rng)
                pooled.append(harmonyFigures(played, harmony: harmony, encoding: encoding, trainingBars: trainingBars,
                                             fromBar: prime.count / per))
            }
        }
        return pool(pooled)
    }

    /// Figures weighted by bars.
    static func pool(_ figures: [HarmonyFigures]) -> HarmonyFigures {
        let bars = figures.reduce(0) { $0 + $1.bars }
        func mean(_ key: KeyPath<HarmonyFigures, Double>) -> Double {
            bars == 0 ? 0 : figures.reduce(0) { $0 + $1[keyPath: key] * Double($1.bars) } / Double(bars)
        }
        return HarmonyFigures(changesPerBar: mean(\.changesPerBar), inVocabulary: mean(\.inVocabulary), inKey: mean(\.inKey),
                              novelty: mean(\.novelty), bars: bars)
    }

    /// The held-out pieces themselves, measured as generated music is (after the same prime).
    public static func corpusRow(_ corpus: TrainingCorpus, harmony: CorpusHarmony, encoding: SliceEncoding,
                                 trainingBars: Set<[MelodyEvent]>, primeBars: Int = 2) -> FolderEvaluationRow {
        let figures = pool(corpus.heldOut.map {
            harmonyFigures($0, harmony: harmony, encoding: encoding, trainingBars: trainingBars, fromBar: primeBars)
        })
        return FolderEvaluationRow(name: "held-out pieces", chordCrossEntropy: nil, melodyCrossEntropy: nil, figures: figures)
    }

    public static func folderTable(_ e: FolderEvaluation) -> String {
        func pct(_ x: Double) -> String { String(format: "%6.1f%%", 100 * x) }
        var lines = ["corpus: \(e.corpus) (\(e.meter), \(e.heldOutPieces) held-out pieces, vocabulary of \(e.vocabularySize) chords)",
                     "model                    CE/slice (chord + melody)  changes/bar  in vocabulary  in key  novelty"]
        for r in e.rows {
            let name = r.name.padding(toLength: 24, withPad: " ", startingAt: 0)
            let ce = r.crossEntropy.map { String(format: "%6.3f (%.3f + %.3f)", $0, r.chordCrossEntropy!, r.melodyCrossEntropy!) }
                ?? "     -                "
            lines.append("\(name) \(ce.padding(toLength: 26, withPad: " ", startingAt: 0)) "
                + String(format: "%11.2f", r.figures.changesPerBar) + "  \(pct(r.figures.inVocabulary))       "
                + "\(pct(r.figures.inKey)) \(pct(r.figures.novelty))")
        }
        if let bars = e.rows.last?.figures.bars { lines.append("(free-running figures over \(bars) bars a row, after a two-bar prime from each held-out piece)") }
        return lines.joined(separator: "\n")
    }
}
