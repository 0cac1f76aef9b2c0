import ArgumentParser
import AtomicFiles
import Composer
import Foundation
import LSTMModel
import MusicCore
import Pictures

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train the chord-and-melody LSTM on the Eck blues corpus or on a folder of MIDI files.",
        discussion: """
            Shows a progress bar with the loss and the time left; writes the loss per epoch beside the \
            model as CSV and as an SVG plot, and a checkpoint after every epoch (the last three are kept). \
            On the Eck corpus training stops as soon as the model, playing freely for 100 choruses, keeps \
            the 12-bar form in every bar and puts 99% of its notes on the scale; on a folder, once the \
            held-out loss has not improved for --patience epochs. The last line names the epoch kept \
            and why training stopped. Ctrl-C stops cleanly and keeps the best model so far.
            """
    )

    @Option(help: "eck-blues, phrases (call-and-answer phrases in four colours), mixed (phrases and one Eck chorus in four), or a folder of .mid files.")
    var corpus = "eck-blues"

    @Option(help: "Where to write the model (a .safetensors file).")
    var out: String

    @Option(help: "eck-blues, phrases, mixed: how many training choruses (32 more are held out).")
    var choruses = 256

    @Option(help: "Seed of the weights, the corpus choice and the shuffle.")
    var seed: UInt64 = 1

    @Option(help: "At most this many epochs.")
    var epochs = 5000

    @Option(help: "Stop after this many seconds.")
    var timeLimit: Double?

    @Option(help: "adam, sgd (with momentum, as in the paper) or rmsprop.")
    var optimizer = "adam"

    @Option(help: "Learning rate (constant).")
    var learningRate: Float = 0.02

    @Option(help: "Cyclical (triangular) learning rate as MIN,MAX,HALF-CYCLE-IN-BATCHES, instead of a constant one.")
    var cyclical: String?

    @Option(help: "Momentum for sgd.")
    var momentum: Float = 0.9

    @Option(help: "Clip the gradient's global norm to this (0: no clipping).")
    var clip: Float = 1

    @Option(help: "Sequences per minibatch (default: 2 on the Eck corpus, else 4).")
    var batch: Int?

    @Option(help: "lstm, or rnn for a plain tanh RNN (for comparison).")
    var cell = "lstm"

    @Option(help: "Chord cell blocks (default: 8 on the Eck corpus, else \(Topology.default().chordBlocks)).") var chordBlocks: Int?
    @Option(help: "Cells per chord block (default: \(Topology.default().chordCellsPerBlock)).") var chordCells = Topology.default().chordCellsPerBlock
    @Option(help: "Melody cell blocks (default: 8 on the Eck corpus, else \(Topology.default().melodyBlocks)).") var melodyBlocks: Int?
    @Option(help: "Cells per melody block (default: \(Topology.default().melodyCellsPerBlock)).") var melodyCells = Topology.default().melodyCellsPerBlock

    @Option(help: "Folder corpus: auto, track:C,M (0-based), channel:C,M (1-16) or pitch:N.")
    var split = "auto"

    @Flag(help: "Folder corpus: also train on every piece moved into the 11 other keys.")
    var allKeys = false

    @Option(help: "Folder corpus: train on the files in this meter only (4/4, 3/4, 6/8, ...).")
    var meter: String?

    @Option(help: "Without a target: stop after this many epochs without a better held-out loss (0: never).")
    var patience = 20

    @Option(help: "Halve a constant learning rate after this many epochs without a better held-out loss (0: never).")
    var plateau = 6

    @Flag(help: "Eck corpus: do not stop at the target; train for --epochs or --time-limit.")
    var noTarget = false

    @Option(help: "Worker threads for a minibatch.")
    var threads = min(2, ProcessInfo.processInfo.activeProcessorCount)

    func run() throws {
        let encoding = SliceEncoding.eck
        let isEck = corpus == "eck-blues"
        let data: TrainingCorpus
        switch corpus {
        case "eck-blues": data = .eckBlues(choruses: choruses, seed: seed)
        case "phrases": data = .phrases(choruses: choruses, seed: seed)
        case "mixed": data = .mixed(choruses: choruses, seed: seed)
        default: data = try .directory(corpus, split: try PartSplit(argument: split), encoding: encoding, allKeys: allKeys,
                                       meter: try parseMeter())
        }
        for w in data.warnings { print("warning: \(split == "auto" ? "" : "--split \(split): ")\(w)") }
        var topology = TrainingData.topology(for: encoding, like: .default())
        // On the Eck corpus, 8x2+8x2 cells at batch 2 reach the paper's target fastest
        // (bench/RESULTS-speed.md: median 1.2 s, worst 1.8 s over ten seeds, against 7.9 s and
        // more than 20 s for 4x2+4x2 at batch 4).
        topology.chordBlocks = chordBlocks ?? (isEck ? 8 : Topology.default().chordBlocks)
        topology.chordCellsPerBlock = chordCells
        topology.melodyBlocks = melodyBlocks ?? (isEck ? 8 : Topology.default().melodyBlocks)
        topology.melodyCellsPerBlock = melodyCells
        guard let kind = CellKind(rawValue: cell == "rnn" ? "tanhRNN" : cell) else {
            throw ValidationError("--cell: expected lstm or rnn, found \"\(cell)\"")
        }
        topology.cellKind = kind
        if let problem = topology.problem { throw ValidationError("network size: \(problem)") }

        var options = TrainingRun.Options(topology: topology)
        options.optimizer = try parseOptimizer()
        options.schedule = try parseSchedule()
        options.clip = clip > 0 ? clip : nil
        options.batchSize = batch ?? (isEck ? 2 : 4)
        options.seed = seed
        options.maxEpochs = epochs
        options.timeLimit = timeLimit
        options.target = isEck && !noTarget ? LearningTarget() : nil
        options.threads = max(1, threads)
        options.patience = patience > 0 ? patience : nil
        options.plateau = plateau > 0 ? plateau : nil

        let run = TrainingRun(corpus: data, encoding: encoding, options: options)
        let stop = StopFlag.catchingSignals()
        let base = out.hasSuffix(".safetensors") ? String(out.dropLast(".safetensors".count)) : out
        let checkpoints = base + ".checkpoints"
        try FileManager.default.createDirectory(atPath: checkpoints, withIntermediateDirectories: true)
        var progress = ProgressBar()
        var records: [EpochRecord] = []
        let slicesPerEpoch = data.training.reduce(0) { $0 + $1.count - 1 }
        print("training on \(data.description): \(data.training.count) pieces, \(slicesPerEpoch) slices per epoch, "
              + "\(data.heldOut.count) held out; \(topology.chordBlocks)x\(topology.chordCellsPerBlock) chord and "
              + "\(topology.melodyBlocks)x\(topology.melodyCellsPerBlock) melody \(cell) cells")

        let started = Date()
        var lastLoss = "?"
        let outcome = run.run(
            shouldStop: { stop.isSet },
            onBatch: { report in
                lastLoss = String(format: "%.3f", report.loss.total)
                let elapsed = Date().timeIntervalSince(started)
                let done = Double(report.epoch) + report.fraction
                var left = elapsed / max(done, 1e-9) * (Double(epochs) - done)
                if let limit = timeLimit { left = min(left, limit - elapsed) }
                progress.draw("epoch \(report.epoch + 1)/\(epochs) \(ProgressBar.bar(report.fraction)) loss \(lastLoss) "
                              + "elapsed \(ProgressBar.duration(elapsed)) left at most \(ProgressBar.duration(left))")
            },
            onEpoch: { record, model in
                records.append(record)
                let line = String(format: "epoch %d: loss %.3f (chord %.3f, melody %.3f), held-out %.3f, %.0f slices/s, %.1f s",
                                  record.epoch, record.training.total, record.training.chord, record.training.melody,
                                  record.heldOut.total, record.slicesPerSecond, record.elapsed)
                    + (record.chordFormAccuracy.map { String(format: ", form %.1f%%", 100 * $0) } ?? "")
                    + (record.inScale.map { String(format: ", in scale %.1f%%", 100 * $0) } ?? "")
                progress.finish(line)
                do {
                    try model.save(path: (checkpoints as NSString).appendingPathComponent(String(format: "epoch-%04d.safetensors", record.epoch)))
                    let old = (checkpoints as NSString).appendingPathComponent(String(format: "epoch-%04d.safetensors", record.epoch - 3))
                    try? FileManager.default.removeItem(atPath: old)
                    try AtomicFile.write(LossLog.csv(records), to: base + ".loss.csv")
                    try AtomicFile.write(Self.lossPlot(records, title: "improv train: \(data.description)"), to: base + ".loss.svg")
                } catch {
                    progress.finish("warning: \(error)")
                }
            })

        try outcome.best.save(path: out)
        try AtomicFile.write(LossLog.csv(outcome.records), to: base + ".loss.csv")
        try AtomicFile.write(Self.lossPlot(outcome.records, title: "improv train: \(data.description)"), to: base + ".loss.svg")
        if let s = outcome.secondsToTarget {
            print(String(format: "reached the target (form 100%%, in scale >= 99%% over 100 free choruses) in %.1f s", s))
        }
        print("wrote \(out), \(base).loss.csv, \(base).loss.svg and checkpoints in \(checkpoints)")
        print(outcome.summary)
    }

    static func lossPlot(_ records: [EpochRecord], title: String) -> String {
        LossPlotSVG(title: title, epochs: records.map(\.epoch), training: records.map(\.training.total),
                    heldOut: records.map(\.heldOut.total)).render()
    }

    func parseMeter() throws -> Meter? {
        guard let meter else { return nil }
        guard let m = Meter(meter) else { throw ValidationError("--meter: expected e.g. 4/4, 3/4 or 6/8, found \"\(meter)\"") }
        return m
    }

    func parseOptimizer() throws -> Optimizer {
        switch optimizer {
        case "adam": return .adam
        case "sgd": return .sgd(momentum: momentum)
        case "rmsprop": return .rmsprop
        default: throw ValidationError("--optimizer: expected adam, sgd or rmsprop, found \"\(optimizer)\"")
        }
    }

    func parseSchedule() throws -> LearningRateSchedule {
        guard let cyclical else { return .constant(learningRate) }
        let parts = cyclical.split(separator: ",").map { String($0) }
        guard parts.count == 3, let lo = Float(parts[0]), let hi = Float(parts[1]), let half = Int(parts[2]) else {
            throw ValidationError("--cyclical: expected MIN,MAX,HALF-CYCLE such as 0.001,0.02,200, found \"\(cyclical)\"")
        }
        let schedule = LearningRateSchedule.triangular(min: lo, max: hi, halfCycle: half)
        if let problem = schedule.problem { throw ValidationError("--cyclical: \(problem)") }
        return schedule
    }
}
