import Foundation
import LSTMModel
import MusicCore

/// What a training run aims at on the Eck corpus: every free chorus on the form's chords, and
/// the melody in the blues scale.
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
        /// Without a target: stop once the held-out loss has not improved for this many epochs
        /// (nil: train for maxEpochs or timeLimit).
        public var patience: Int?
        /// With a constant rate: multiply it by `decayFactor` after this many epochs without a
        /// held-out improvement (nil: never), down to `minimumRate`.
        public var plateau: Int?
        public var decayFactor: Float = 0.5
        public var minimumRate: Float = 1e-4
        /// A held-out loss this many times the best (or not finite) is a divergence: the best
        /// weights and optimizer state come back and the rate is cut by `decayFactor`.
        public var divergenceFactor = 1.5
        /// Give up after this many divergences.
        public var maxDivergences = 5
        public var initialization = Initialization()
        public init(topology: Topology) { self.topology = topology }
    }

    /// Why training stopped.
    public enum StopReason: Sendable, Equatable {
        case reachedTarget
        case noImprovement(epochs: Int)
        case epochLimit
        case timeLimit
        case interrupted
        case diverged(times: Int)

        public var description: String {
            switch self {
            case .reachedTarget: return "it reached the target"
            case .noImprovement(let n): return "the held-out loss had not improved for \(n) epochs"
            case .epochLimit: return "it reached the epoch limit"
            case .timeLimit: return "it reached the time limit"
            case .interrupted: return "it was stopped from outside"
            case .diverged(let n): return "it diverged \(n) times"
            }
        }
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
        public var stopReason: StopReason
        /// Held-out loss of the kept model.
        public var bestLoss: Double
        /// Epochs after which a divergence was undone, and those after which the rate was cut.
        public var restoredAfter: [Int]
        public var rateCutAfter: [Int]

        /// One line: which epoch was kept, and why training stopped.
        public var summary: String {
            let kept = secondsToTarget != nil
                ? String(format: "kept epoch %d, the first to reach the target (held-out loss %.3f)", bestEpoch, bestLoss)
                : String(format: "kept epoch %d, the lowest held-out loss (%.3f)", bestEpoch, bestLoss)
            var extra = ""
            if !restoredAfter.isEmpty {
                extra += "; best weights restored after divergence at epoch\(restoredAfter.count > 1 ? "s" : "") "
                    + restoredAfter.map(String.init).joined(separator: ", ")
            }
            if !rateCutAfter.isEmpty { extra += "; learning rate cut after epoch " + rateCutAfter.map(String.init).joined(separator: ", ") }
            return "\(kept) of \(records.count); stopped because \(stopReason.description)\(extra)"
        }
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
        // A folder's most common chart is the model's form (ImprovModel.form).
        if let chart = corpus.harmony?.charts.first {
            trainingFacts["form"] = chart
            trainingFacts["form-name"] = "corpus"
        }
    }

    /// Runs until the target, the epoch or time limit, or until `shouldStop` says so (checked
    /// after every batch). `onEpoch` sees each record and the model as it stands.
    public func run(shouldStop: @escaping () -> Bool = { false },
                    onBatch: (BatchReport) -> Void = { _ in },
                    onEpoch: (EpochRecord, ImprovModel) -> Void = { _, _ in }) -> Outcome {
        let start = Date()
        let sequences = corpus.training.map { TrainingData.sequence($0, encoding: encoding) }
        let heldOut = corpus.heldOut.map { TrainingData.sequence($0, encoding: encoding) }
        var rate: Float?
        if case .constant(let r) = options.schedule { rate = r }
        func makeTrainer(_ network: Network, _ schedule: LearningRateSchedule) -> Trainer {
            Trainer(network: network, optimizer: options.optimizer, schedule: schedule, clip: options.clip,
                    batchSize: options.batchSize, seed: options.seed, threads: options.threads)
        }
        var trainer = makeTrainer(Network(topology: options.topology, seed: options.seed, initialization: options.initialization), options.schedule)
        // A new trainer at another rate, carrying on from `network` and `state`.
        func retrain(_ network: Network, _ state: Trainer.ResumeState, rate r: Float) {
            let next = makeTrainer(network, .constant(r))
            var s = state
            s.shuffleState = trainer.resumeState.shuffleState
            next.resumeState = s
            trainer = next
            rate = r
        }
        var records: [EpochRecord] = []
        var best: (model: ImprovModel, loss: Double, epoch: Int, network: Network, state: Trainer.ResumeState)?
        var secondsToTarget: Double?
        var interrupted = false
        var reason = StopReason.epochLimit
        var sinceBest = 0, sinceCut = 0
        var restored: [Int] = [], cuts: [Int] = []

        for epoch in 0..<options.maxEpochs {
            var diverging = false
            let stats = trainer.trainEpoch(sequences: sequences) { report in
                onBatch(report)
                if !report.loss.total.isFinite { diverging = true; return .stop }
                return shouldStop() ? .stop : .continue
            }
            interrupted = stats.stopped && !diverging
            let model = ImprovModel(network: trainer.network, encoding: encoding, key: .c,
                                    training: trainingFacts.merging(["epochs": "\(epoch + 1)"]) { $1 }, harmony: corpus.harmony)
            let held = heldOut.isEmpty ? stats.loss : trainer.evaluate(sequences: heldOut)
            var record = EpochRecord(epoch: epoch + 1, training: stats.loss, heldOut: held, learningRate: stats.learningRate,
                                     elapsed: 0, slicesPerSecond: stats.slicesPerSecond)
            if let b = best, !diverging, !interrupted {
                diverging = !held.total.isFinite || held.total > options.divergenceFactor * b.loss
            } else if best == nil && !held.total.isFinite {
                diverging = true
            }
            var reached = false
            if let target = options.target, !interrupted, !diverging {
                let figures = Self.freeRunFigures(model, choruses: target.choruses, heldOut: corpus.heldOut.first ?? corpus.training[0],
                                                  seed: options.seed)
                record.chordFormAccuracy = figures.chordFormAccuracy
                record.inScale = figures.inScale
                reached = figures.chordFormAccuracy >= target.chordFormAccuracy && figures.inScale >= target.inScale
            }
            record.elapsed = Date().timeIntervalSince(start)
            records.append(record)
            onEpoch(record, model)
            if interrupted { reason = .interrupted; break }
            if diverging {
                restored.append(epoch + 1)
                guard let b = best, restored.count < options.maxDivergences else { reason = .diverged(times: restored.count); break }
                // Undo the diverging epoch: the best weights and moments, at a lower rate.
                let r = max(options.minimumRate, (rate ?? options.schedule.rate(atBatch: trainer.optimizerState.steps)) * options.decayFactor)
                retrain(b.network, b.state, rate: r)
                sinceCut = 0
                continue
            }
            if reached || best == nil || held.total < best!.loss {
                best = (model, held.total, epoch + 1, trainer.network, trainer.resumeState)
                sinceBest = 0
                sinceCut = 0
            } else {
                sinceBest += 1
                sinceCut += 1
            }
            if reached { secondsToTarget = record.elapsed; reason = .reachedTarget; break }
            if options.target == nil, let patience = options.patience, sinceBest >= patience {
                reason = .noImprovement(epochs: sinceBest)
                break
            }
            if let plateau = options.plateau, let r = rate, sinceCut >= plateau, r > options.minimumRate {
                retrain(trainer.network, trainer.resumeState, rate: max(options.minimumRate, r * options.decayFactor))
                cuts.append(epoch + 1)
                sinceCut = 0
            }
            if let limit = options.timeLimit, record.elapsed >= limit { reason = .timeLimit; break }
        }
        guard let kept = best else {
            // Diverged before any sound epoch: keep the untrained weights' model.
            let model = ImprovModel(network: Network(topology: options.topology, seed: options.seed), encoding: encoding,
                                    key: .c, training: trainingFacts, harmony: corpus.harmony)
            return Outcome(best: model, bestEpoch: 0, secondsToTarget: nil, records: records, interrupted: interrupted,
                           stopReason: reason, bestLoss: .infinity, restoredAfter: restored, rateCutAfter: cuts)
        }
        var final = kept.model
        final.training["best-epoch"] = "\(kept.epoch)"
        final.training["stopped"] = reason.description
        if let s = secondsToTarget { final.training["seconds-to-target"] = String(format: "%.1f", s) }
        return Outcome(best: final, bestEpoch: kept.epoch, secondsToTarget: secondsToTarget, records: records,
                       interrupted: interrupted, stopReason: reason, bestLoss: kept.loss, restoredAfter: restored, rateCutAfter: cuts)
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
        let f = Evaluation.musicalFigures(played, form: EckCorpus.form, encoding: model.encoding,
                                          trainingBars: EckCorpus.trainingBars, fromBar: 1)
        return (f.chordFormAccuracy, f.inScale, f.novelty)
    }
}
