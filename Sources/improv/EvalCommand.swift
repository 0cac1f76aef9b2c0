import ArgumentParser
import AtomicFiles
import Composer
import Foundation
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
            that are not a training segment) and held-out cross-entropy per slice.
            """
    )

    @Option(help: "A model file; without it, the model built into improv.")
    var model: String?

    @Option(help: "eck-blues (the choruses the model was trained on, read from its metadata, else --training-choruses).")
    var corpus = "eck-blues"

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

    @Flag(help: "With --calls: print the results as JSON (per call, per seed, means, baselines).")
    var json = false

    func validate() throws {
        if calls == nil {
            guard preset == nil, seeds == nil, !json else { throw ValidationError("--preset, --seeds and --json go with --calls DIR") }
        } else {
            guard svg == nil else { throw ValidationError("--svg draws the model comparison; it does not go with --calls") }
            guard (seeds ?? 3) >= 1 else { throw ValidationError("--seeds must be at least 1") }
        }
    }

    func run() throws {
        if let calls { return try runCalls(calls) }
        guard corpus == "eck-blues" else {
            throw ValidationError("--corpus: only eck-blues has a form to score against; found \"\(corpus)\"")
        }
        let m = try model.map { try ImprovModel.load(path: $0) } ?? ImprovModel.builtIn()
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
