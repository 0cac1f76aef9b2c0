import Foundation
import MusicCore
import StandardMIDI

/// The pieces a model learns from: the Eck blues corpus, or a folder of the user's MIDI files.
public struct TrainingCorpus: Sendable {
    /// Training pieces and held-out pieces, as slices in the model's key (C).
    public var training: [[Slice]]
    public var heldOut: [[Slice]]
    /// What it is, for the model's metadata ("eck-blues choruses=256 seed=1").
    public var description: String
    /// The meter of every piece.
    public var meter: Meter = .fourFour
    /// A folder's harmony, read from its training pieces (nil for the Eck corpus).
    public var harmony: CorpusHarmony?
    /// Things the user should know about the files (a split that looks wrong, meter changes).
    public var warnings: [String] = []

    public init(training: [[Slice]], heldOut: [[Slice]], description: String) {
        self.training = training
        self.heldOut = heldOut
        self.description = description
    }

    public struct LoadError: Error, CustomStringConvertible {
        public var description: String
    }

    /// `choruses` training choruses of the Eck corpus and `heldOutChoruses` others, all
    /// distinct and chosen from `seed`. Each training piece is `chorusesPerPiece` choruses back
    /// to back, so the network also learns how the form turns round from bar 12 to bar 1.
    public static func eckBlues(choruses: Int, heldOutChoruses: Int = 32, chorusesPerPiece: Int = 2,
                                seed: UInt64) -> TrainingCorpus {
        let numbers = EckCorpus.chorusNumbers(count: min(EckCorpus.chorusCount, choruses + heldOutChoruses), seed: seed)
        let train = Array(numbers.prefix(choruses)).map(EckCorpus.chorus)
        let held = Array(numbers.dropFirst(choruses)).map(EckCorpus.chorus)
        func pieces(_ choruses: [[Slice]]) -> [[Slice]] {
            stride(from: 0, to: choruses.count, by: chorusesPerPiece).map {
                Array(choruses[$0..<min(choruses.count, $0 + chorusesPerPiece)].joined())
            }
        }
        return TrainingCorpus(training: pieces(train), heldOut: pieces(held),
                              description: "eck-blues choruses=\(choruses) seed=\(seed)")
    }

    /// Every .mid/.midi file in `directory` (not recursive), its parts found by `split`, moved
    /// into C when the file names its key, and with `allKeys` also in the 11 other keys. Every
    /// tenth file (at least one, when there are two or more) is held out for evaluation.
    ///
    /// A corpus has one meter: the files' own (their first time signature, 4/4 without one),
    /// or with `meter` only the files in that meter. Files in several meters without `meter`
    /// are refused, naming the meters and how many files each has.
    public static func directory(_ directory: String, split: PartSplit, encoding: SliceEncoding,
                                 allKeys: Bool, meter wanted: Meter? = nil) throws -> TrainingCorpus {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
                .filter { $0.lowercased().hasSuffix(".mid") || $0.lowercased().hasSuffix(".midi") }.sorted()
        } catch {
            throw LoadError(description: "\(directory): cannot list the folder (\(error.localizedDescription))")
        }
        guard !names.isEmpty else { throw LoadError(description: "\(directory): no .mid or .midi files") }
        var scores: [(name: String, score: Score)] = []
        var warnings: [String] = []
        var swapped: [String] = [], single: [String] = []
        for name in names {
            let path = (directory as NSString).appendingPathComponent(name)
            let midi = try MIDIFile.read(path: path)
            if midi.hasUnsliceableMeter {
                throw LoadError(description: "\(path): a time signature with no whole number of eighths a bar (improv reads 2/4, 3/4, 4/4, 6/8, 12/8 and the like)")
            }
            var score = Score(midi: midi, split: split)
            if let key = score.key { score = score.transposed(by: -key.offsetFromC) }
            guard !(score.chords.isEmpty && score.melody.isEmpty) else {
                throw LoadError(description: "\(path): no notes in the chord or melody part (try --split)")
            }
            if midi.meters.count > 1 {
                warnings.append("\(name) changes meter (\(midi.meters.map(\.description).joined(separator: ", "))); read as \(score.meter) throughout")
            }
            let check = PartCheck(score)
            if check.looksSwapped { swapped.append(name) } else if check.chordPartIsSingleNotes { single.append(name) }
            scores.append((name, score))
        }
        if !swapped.isEmpty {
            warnings.append("in \(swapped.count) of \(names.count) files (\(examples(swapped))) the chord part is mostly single notes "
                + "and the melody part mostly chords: the split has probably swapped the parts (try the other order, or auto)")
        }
        if !single.isEmpty {
            warnings.append("in \(single.count) of \(names.count) files (\(examples(single))) the chord part is mostly single notes, not chords: check the split")
        }
        var byMeter: [Meter: [String]] = [:]
        for s in scores { byMeter[s.score.meter, default: []].append(s.name) }
        let meter: Meter
        if let wanted {
            guard byMeter[wanted] != nil else {
                throw LoadError(description: "\(directory): no file is in \(wanted) (found \(meterCounts(byMeter)))")
            }
            meter = wanted
            scores = scores.filter { $0.score.meter == wanted }
        } else {
            guard byMeter.count == 1 else {
                throw LoadError(description: "\(directory): the files are in several meters (\(meterCounts(byMeter))); "
                    + "a model learns one meter: train on one at a time (--meter \(meterCounts(byMeter, firstOnly: true))) or put each meter in a folder of its own")
            }
            meter = scores[0].score.meter
        }
        let pieces = scores.map { $0.score.slices(encoding: encoding) }
        var heldIndices = Set(pieces.indices.filter { ($0 + 1) % 10 == 0 })
        if heldIndices.isEmpty && pieces.count >= 2 { heldIndices = [pieces.count - 1] }
        var training = pieces.indices.filter { !heldIndices.contains($0) }.map { pieces[$0] }
        let heldOut = pieces.indices.filter(heldIndices.contains).map { pieces[$0] }
        let harmony = CorpusHarmony(pieces: training, meter: meter)
        if allKeys {
            training = training.flatMap { piece in
                (-5...6).map { shift in shift == 0 ? piece : piece.map { transpose($0, by: shift, encoding: encoding) } }
            }
        }
        var corpus = TrainingCorpus(training: training.filter { $0.count >= 2 }, heldOut: heldOut.filter { $0.count >= 2 },
                                    description: "folder \(directory) files=\(scores.count) meter=\(meter)\(allKeys ? " all-keys" : "")")
        corpus.meter = meter
        corpus.harmony = harmony
        corpus.warnings = warnings
        return corpus
    }

    static func examples(_ names: [String]) -> String {
        names.prefix(3).joined(separator: ", ") + (names.count > 3 ? ", ..." : "")
    }

    static func meterCounts(_ byMeter: [Meter: [String]], firstOnly: Bool = false) -> String {
        let sorted = byMeter.sorted { ($0.value.count, $1.key.description) > ($1.value.count, $0.key.description) }
        if firstOnly { return sorted[0].key.description }
        return sorted.map { "\($0.key): \($0.value.count) file\($0.value.count == 1 ? "" : "s"), e.g. \($0.value[0])" }
            .joined(separator: "; ")
    }

    /// A slice moved by semitones and folded back into the encoding's ranges.
    static func transpose(_ slice: Slice, by shift: Int, encoding: SliceEncoding) -> Slice {
        func move(_ p: UInt8) -> UInt8 { UInt8(clamping: Int(p) + shift) }
        var out = Slice(chord: PitchSet(slice.chord.map(move)), chordOnset: slice.chordOnset, melody: slice.melody)
        switch slice.melody {
        case .rest: break
        case .attack(let p): out.melody = .attack(move(p))
        case .hold(let p): out.melody = .hold(move(p))
        }
        return encoding.folded(out)
    }
}

extension TrainingCorpus {
    /// `choruses` training choruses of the phrase corpus (`PhraseCorpus`), as tunes of
    /// `chorusesPerPiece` choruses in one colour and chart, and `heldOutChoruses` more from tunes
    /// numbered after them (any held-out piece equal to a training piece is dropped).
    public static func phrases(choruses: Int, heldOutChoruses: Int = 32, chorusesPerPiece: Int = 2,
                               seed: UInt64) -> TrainingCorpus {
        let per = max(1, chorusesPerPiece)
        let trainTunes = (choruses + per - 1) / per, heldTunes = (heldOutChoruses + per - 1) / per
        let training = (0..<trainTunes).map { PhraseCorpus.tuneSlices($0, choruses: per, seed: seed) }
        let seen = Set(training)
        let heldOut = (trainTunes..<(trainTunes + heldTunes)).map { PhraseCorpus.tuneSlices($0, choruses: per, seed: seed) }
            .filter { !seen.contains($0) }
        return TrainingCorpus(training: training, heldOut: heldOut,
                              description: "phrases choruses=\(trainTunes * per) seed=\(seed)")
    }

    /// The phrase corpus with Eck blues choruses among it, one chorus in `eckEvery` (so the
    /// Eck form and its quarter-note lines survive); held-out pieces from both, in the same share.
    public static func mixed(choruses: Int, heldOutChoruses: Int = 32, eckEvery: Int = 4, chorusesPerPiece: Int = 2,
                             seed: UInt64) -> TrainingCorpus {
        let eckChoruses = choruses / max(1, eckEvery), eckHeld = heldOutChoruses / max(1, eckEvery)
        let phrases = phrases(choruses: choruses - eckChoruses, heldOutChoruses: heldOutChoruses - eckHeld,
                              chorusesPerPiece: chorusesPerPiece, seed: seed)
        let eck = eckBlues(choruses: eckChoruses, heldOutChoruses: eckHeld, chorusesPerPiece: chorusesPerPiece, seed: seed)
        // Eck pieces spread evenly through the phrase pieces (the trainer shuffles, but the
        // order is also what a reader of the corpus sees).
        var training: [[Slice]] = []
        let step = max(1, phrases.training.count / max(1, eck.training.count))
        var e = 0
        for (i, piece) in phrases.training.enumerated() {
            training.append(piece)
            if (i + 1) % step == 0, e < eck.training.count { training.append(eck.training[e]); e += 1 }
        }
        training += eck.training[e...]
        return TrainingCorpus(training: training, heldOut: phrases.heldOut + eck.heldOut,
                              description: "mixed choruses=\(choruses) eck-every=\(eckEvery) seed=\(seed)")
    }
}
