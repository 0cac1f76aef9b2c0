import ArgumentParser
import AtomicFiles
import Composer
import Foundation
import LSTMModel
import MusicCore
import Pictures
import Presets

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Compare a model with a pentatonic random walk and Markov chains trained on the same corpus.",
        discussion: """
            For each: chord-form accuracy of free-running generation (bars whose chord is the form's in \
            every slice), the share of melody notes on the blues pentatonic scale, novelty (melody bars \
            that are not a training segment) and held-out cross-entropy per slice. With --corpus DIR \
            (a folder of MIDI files in the model's meter): held-out cross-entropy beside Markov chains \
            trained on the folder's training pieces, and for free running from each held-out piece \
            the changes a bar, the share of chords in the corpus's vocabulary, the melody in key and \
            novelty, with decoded, threshold and Bernoulli chords.
            """
    )

    @Option(help: "A model file; without it, the model built into improv.")
    var model: String?

    @Option(help: "eck-blues (the choruses the model was trained on, read from its metadata, else --training-choruses), or a folder of MIDI files: score against its held-out pieces.")
    var corpus = "eck-blues"

    @Option(help: "Folder corpus: how to find the parts, as for train.")
    var split = "auto"

    @Option(help: "Free-running choruses per model.")
    var choruses = 100

    @Option(help: "Training choruses for the baselines when the model does not say.")
    var trainingChoruses = 256

    @Option(help: "Seed of the corpus choice when the model does not say, and of the sampling.")
    var seed: UInt64 = 1

    @Option(help: "Also draw the table as an SVG bar chart.")
    var svg: String?

    @Option(help: "A folder of calls (MIDI files): measure improv's answers to them (see below).")
    var calls: String?

    @Option(help: "With --calls: a session preset, a TOML file or the name of a shipped one (default: the defaults).")
    var preset: String?

    @Option(help: "With --calls: answer each call with seeds 1 to N (default 3).")
    var seeds: Int?

    @Flag(help: "With --calls or a folder corpus: print the results as JSON.")
    var json = false

    @Flag(help: "Eck corpus: score the model alone and fail (exit 1) unless it meets improv train's target: every free-running bar in form, 99% of notes in scale.")
    var target = false

    func validate() throws {
        guard !target || (calls == nil && corpus == "eck-blues") else { throw ValidationError("--target checks a model on the Eck corpus: it goes with neither --calls nor --corpus DIR") }
        if calls == nil {
            guard preset == nil, seeds == nil else { throw ValidationError("--preset and --seeds go with --calls DIR") }
            guard !json || corpus != "eck-blues" else { throw ValidationError("--json goes with --calls DIR or --corpus DIR") }
        } else {
            guard svg == nil else { throw ValidationError("--svg draws the model comparison; it does not go with --calls") }
            guard (seeds ?? 3) >= 1 else { throw ValidationError("--seeds must be at least 1") }
        }
    }

    func run() throws {
        if let calls { return try runCalls(calls) }
        let m = try model.map { try ImprovModel.load(path: $0) } ?? ImprovModel.builtIn()
        if corpus != "eck-blues" { return try runFolder(corpus, model: m) }
        // Train the baselines on exactly the choruses the model saw.
        var count = trainingChoruses, corpusSeed = seed
        if let description = m.training["corpus"], description.hasPrefix("eck-blues") {
            for part in description.split(separator: " ") {
                let kv = part.split(separator: "=")
                if kv.count == 2, kv[0] == "choruses", let n = Int(kv[1]) { count = n }
                if kv.count == 2, kv[0] == "seed", let s = UInt64(kv[1]) { corpusSeed = s }
            }
        }
        let data = TrainingCorpus.eckBlues(choruses: count, seed: corpusSeed)
        let enc = m.encoding
        if target { return try checkTarget(m, data: data) }
        var predictors: [any SlicePredictor] = [
            m.predictor(name: "LSTM"),
            RandomWalkBaseline(encoding: enc, pieces: data.training),
            MarkovBaseline(order: 1, encoding: enc, pieces: data.training),
            MarkovBaseline(order: 2, encoding: enc, pieces: data.training),
        ]
        var results: [EvaluationResult] = []
        for i in predictors.indices {
            results.append(Evaluation.evaluate(&predictors[i], heldOut: data.heldOut, choruses: choruses, form: EckCorpus.form,
                                               encoding: enc, trainingBars: EckCorpus.trainingBars, seed: seed))
        }
        print("corpus: \(data.description), \(data.heldOut.count) held-out pieces")
        print(Evaluation.table(results))
        if let svg {
            let chart = BarChartSVG(
                title: "improv eval: \(data.description)",
                groups: ["chord form", "in scale", "novelty", "held-out CE (lower is better)"],
                series: results.map { ($0.name, [$0.chordFormAccuracy, $0.inScale, $0.novelty, $0.crossEntropy]) })
            try AtomicFile.write(chart.render(), to: svg)
        }
    }

    /// `--target`: the LSTM's row of the table, and a failure unless it meets `LearningTarget`.
    func checkTarget(_ m: ImprovModel, data: TrainingCorpus) throws {
        var predictor = m.predictor(name: "LSTM")
        let r = Evaluation.evaluate(&predictor, heldOut: data.heldOut, choruses: choruses, form: EckCorpus.form,
                                    encoding: m.encoding, trainingBars: EckCorpus.trainingBars, seed: seed)
        print(Evaluation.table([r]))
        let goal = LearningTarget()
        guard r.chordFormAccuracy >= goal.chordFormAccuracy && r.inScale >= goal.inScale else {
            print(String(format: "target not met: form %.1f%% (needs %.0f%%), in scale %.1f%% (needs %.0f%%)",
                         100 * r.chordFormAccuracy, 100 * goal.chordFormAccuracy, 100 * r.inScale, 100 * goal.inScale))
            throw ExitCode(1)
        }
        print("target met")
    }

    /// `--corpus DIR`: the held-out pieces of the folder (in the model's meter), the baselines
    /// trained on its training pieces.
    func runFolder(_ directory: String, model m: ImprovModel) throws {
        let allKeys = m.training["corpus"]?.contains("all-keys") ?? false
        let data = try TrainingCorpus.directory(directory, split: try PartSplit(argument: split), encoding: m.encoding,
                                                allKeys: allKeys, meter: m.meter)
        guard !data.heldOut.isEmpty, let harmony = data.harmony else {
            throw ValidationError("--corpus \(directory): needs at least two files in \(m.meter) to hold one out")
        }
        for w in data.warnings { FileHandle.standardError.write(Data("warning: \(w)\n".utf8)) }
        let bars = Evaluation.melodyBars(data.training, meter: data.meter, encoding: m.encoding)
        var rows = [Evaluation.corpusRow(data, harmony: harmony, encoding: m.encoding, trainingBars: bars)]
        var predictors: [any SlicePredictor] = [
            m.predictor(name: "LSTM, decoded chords", decodeChords: true),
            m.predictor(name: "LSTM, threshold chords"),
            m.predictor(sampling: SamplingOptions(chord: .bernoulli), name: "LSTM, Bernoulli chords"),
            MarkovBaseline(order: 1, encoding: m.encoding, pieces: data.training),
            MarkovBaseline(order: 2, encoding: m.encoding, pieces: data.training),
        ]
        for i in predictors.indices {
            rows.append(Evaluation.folder(&predictors[i], corpus: data, harmony: harmony, encoding: m.encoding,
                                          trainingBars: bars, seed: seed))
        }
        let result = FolderEvaluation(corpus: data.description, meter: data.meter.description, heldOutPieces: data.heldOut.count,
                                      vocabularySize: harmony.vocabulary.count, rows: rows)
        if json {
            let e = JSONEncoder()
            e.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try e.encode(result), as: UTF8.self))
        } else {
            print(Evaluation.folderTable(result))
        }
    }

    /// `--calls DIR`: the preset and model as `improv jam` takes them (--model, else the
    /// preset's model file, else the built-in one).
    func runCalls(_ directory: String) throws {
        let path = try preset.map { try PresetLocator.locate($0) }
        let p = try path.map { try Preset.load(path: $0) } ?? Preset()
        let modelPath = model ?? p.modelFile
        let m = try modelPath.map { try ImprovModel.load(path: $0) } ?? ImprovModel.builtIn()
        let evaluation = CallEvaluation(directory: directory, preset: p, presetName: preset ?? "defaults", model: m,
                                        modelName: modelPath ?? "built-in", seeds: seeds ?? 3)
        let report = try evaluation.run()
        print(json ? try report.json() : report.table())
    }
}
