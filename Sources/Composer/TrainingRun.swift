import Foundation
import LSTMModel
import MusicCore

/// What a training run aims at: the targets on the Eck corpus.
public struct LearningTarget: Sendable {
    /// Free-running choruses checked after each epoch.
    public var choruses = 100
    public var chordFormAccuracy = 1.0
    public var inScale = 0.99
    public init() {}
}

/// One line of the loss log.
public struct EpochRecord: Sendable {
    public var epoch: Int
    public var training: LossStats
    public var heldOut: LossStats
    public var learningRate: Float
    /// Seconds since training started, at the end of this epoch (checks included).
    public var elapsed: Double
    public var slicesPerSecond: Double
    /// Free-running figures, when the corpus has a form to check against.
    public var chordFormAccuracy: Double?
    public var inScale: Double?
}

/// Trains an `ImprovModel` epoch by epoch: held-out loss after every epoch, the best model kept,
/// and on the Eck corpus a free-running check of the form and the scale, so training can stop
/// as soon as the model plays the blues right.
public final class TrainingRun {
    public struct Options: Sendable {
        public var topology: Topology
        public var optimizer: Optimizer = .adam
        public var schedule: LearningRateSchedule = .constant(0.02)
        public var clip: Float? = 1
        public var batchSize = 4
        public var seed: UInt64 = 1
        public var maxEpochs = 5000
        /// Stop after this many seconds (nil: no limit).
        public var timeLimit: Double?
        /// Stop once reached (nil: train for maxEpochs or timeLimit).
        public var target: LearningTarget?
        public var threads = min(2, ProcessInfo.processInfo.activeProcessorCount)
        public var initialization = Initialization()
        public init(topology: Topology) { self.topology = topology }
    }

    public struct Outcome: Sendable {
        /// The model that reached the target, or else the one with the lowest held-out loss.
        public var best: ImprovModel
        public var bestEpoch: Int
        /// Seconds from the start until the target was reached, if it was.
        public var secondsToTarget: Double?
        public var records: [EpochRecord]
        /// True when stopped from outside (Ctrl-C).
        public var interrupted: Bool
    }

    public let corpus: TrainingCorpus
    public let encoding: SliceEncoding
    public let options: Options
    /// Facts stored in the model's metadata.
    public var trainingFacts: [String: String]

    public init(corpus: TrainingCorpus, encoding: SliceEncoding, options: Options) {
        self.corpus = corpus
        self.encoding = encoding
        self.options = options
        trainingFacts = [
            "corpus": corpus.description, "optimizer": "\(options.optimizer)", "schedule": "\(options.schedule)",
            "batch": "\(options.batchSize)", "seed": "\(options.seed)", "clip": options.clip.map { "\($0)" } ?? "none",
            "cell": options.topology.cellKind.rawValue,
        ]
    }

    /// Runs until the target, the epoch or time limit, or until `shouldStop` says so (checked
    /// after every batch). `onEpoch` sees each record and the model as it stands.
    public func run(shouldStop: @escaping () -> Bool = { false },
                    onBatch: (BatchReport) -> Void = { _ in },
                    onEpoch: (EpochRecord, ImprovModel) -> Void = { _, _ in }) -> Outcome {
        let start = Date()
        let sequences = corpus.training.map { TrainingData.sequence($0, encoding: encoding) }
        let heldOut = corpus.heldOut.map { TrainingData.sequence($0, encoding: encoding) }
        let trainer = Trainer(network: Network(topology: options.topology, seed: options.seed,
                                                      initialization: options.initialization), optimizer: options.optimizer,
                              schedule: options.schedule, clip: options.clip, batchSize: options.batchSize,
                              seed: options.seed, threads: options.threads)
        var records: [EpochRecord] = []
        var best: (model: ImprovModel, loss: Double, epoch: Int)?
        var secondsToTarget: Double?
        var interrupted = false

        for epoch in 0..<options.maxEpochs {
            let stats = trainer.trainEpoch(sequences: sequences) { report in
                onBatch(report)
                return shouldStop() ? .stop : .continue
            }
            interrupted = stats.stopped
            let model = ImprovModel(network: trainer.network, encoding: encoding, key: .c,
                                    training: trainingFacts.merging(["epochs": "\(epoch + 1)"]) { $1 })
            let held = heldOut.isEmpty ? stats.loss : trainer.evaluate(sequences: heldOut)
            var record = EpochRecord(epoch: epoch + 1, training: stats.loss, heldOut: held, learningRate: stats.learningRate,
                                     elapsed: 0, slicesPerSecond: stats.slicesPerSecond)
            var reached = false
            if let target = options.target, !interrupted {
                let figures = Self.freeRunFigures(model, choruses: target.choruses, heldOut: corpus.heldOut.first ?? corpus.training[0],
                                                  seed: options.seed)
                record.chordFormAccuracy = figures.chordFormAccuracy
                record.inScale = figures.inScale
                reached = figures.chordFormAccuracy >= target.chordFormAccuracy && figures.inScale >= target.inScale
            }
            record.elapsed = Date().timeIntervalSince(start)
            records.append(record)
            if reached {
                secondsToTarget = record.elapsed
                best = (model, held.total, epoch + 1)
            } else if best == nil || held.total < best!.loss {
                best = (model, held.total, epoch + 1)
            }
            onEpoch(record, model)
            if reached || interrupted { break }
            if let limit = options.timeLimit, record.elapsed >= limit { break }
        }
        var final = best!.model
        final.training["best-epoch"] = "\(best!.epoch)"
        if let s = secondsToTarget { final.training["seconds-to-target"] = String(format: "%.1f", s) }
        return Outcome(best: final, bestEpoch: best!.epoch, secondsToTarget: secondsToTarget, records: records,
                       interrupted: interrupted)
    }

    /// Free-runs the model (paper sampling) over `choruses` choruses after a one-bar prime and
    /// scores the form and the scale against the Eck blues.
    public static func freeRunFigures(_ model: ImprovModel, choruses: Int, heldOut piece: [Slice], seed: UInt64)
        -> (chordFormAccuracy: Double, inScale: Double, novelty: Double) {
        let predictor = model.predictor()
        var p = predictor
        var rng = SeededGenerator(seed: seed &+ 0xC0FFEE)
        let prime = Array(piece.prefix(TimeGrid.slicesPerBar))
        let played = p.freeRun(prime: prime, count: choruses * TimeGrid.slicesPerChorus - prime.count, using: &rng)
        let f = Evaluation.musicalFigures(played, form: .eckBlues, encoding: model.encoding,
                                          trainingBars: EckCorpus.trainingBars, fromBar: 1)
        return (f.chordFormAccuracy, f.inScale, f.novelty)
    }
}
