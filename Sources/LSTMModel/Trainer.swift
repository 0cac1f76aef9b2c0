import Dispatch
import Foundation  // ProcessInfo, Date (not in the step)
import SeededRandom

/// What the caller tells the trainer after each batch.
public enum TrainingControl: Sendable {
    case `continue`
    /// Stop the epoch now (e.g. Ctrl-C); the batch just reported has been applied.
    case stop
}

/// Reported after every batch (update), e.g. for a progress bar.
public struct BatchReport: Sendable {
    /// Epochs completed before this one (0-based index of the running epoch).
    public var epoch: Int
    /// Batches done in this epoch, 1...batchCount.
    public var batch: Int
    public var batchCount: Int
    /// batch / batchCount.
    public var fraction: Double
    /// Loss of this batch's sequences before the update.
    public var loss: LossStats
    public var learningRate: Float
    /// Global L2 norm of the averaged gradient before clipping.
    public var gradientNorm: Double
    /// Total updates done by this trainer, this one included.
    public var updates: Int
}

/// The result of one epoch.
public struct EpochStats: Sendable {
    /// 0-based index of this epoch.
    public var epoch: Int
    /// Training loss summed over the epoch's batches, each measured before its update.
    public var loss: LossStats
    public var batches: Int
    public var sequences: Int
    /// Mean global gradient norm (before clipping) over the batches.
    public var meanGradientNorm: Double
    /// Batches whose gradient was clipped.
    public var clippedBatches: Int
    /// Learning rate of the last batch.
    public var learningRate: Float
    /// Wall-clock seconds.
    public var seconds: Double
    /// True when the callback stopped the epoch early.
    public var stopped: Bool
    /// Training throughput (forward + backward + update).
    public var slicesPerSecond: Double { seconds > 0 ? Double(loss.slices) / seconds : 0 }
}

/// Minibatch BPTT training over whole sequences.
///
/// Each batch: every sequence is run forward from the zero state and backpropagated through
/// all its steps; the gradient of (sum of slice losses) / (slices in the batch) is clipped to
/// a global L2 norm, and the optimizer applies it at the schedule's learning rate.
///
/// Deterministic: the same network, settings, seed and data give bit-identical weights, with
/// any number of threads. The shuffle comes from the seed; each sequence of a batch gets its
/// own gradient buffer, and these are summed in batch order after the parallel part
/// (`DispatchQueue.concurrentPerform` over the sequences).
public final class Trainer {
    public private(set) var network: Network
    public let optimizer: Optimizer
    public let schedule: LearningRateSchedule
    /// Global gradient-norm limit; nil for none.
    public let clip: Float?
    public let batchSize: Int
    public let threads: Int
    /// Epochs completed.
    public private(set) var epochs = 0
    /// Optimizer moments and update count.
    public var optimizerState: OptimizerState

    /// Everything besides the network needed to resume training bit-exactly (optimizer
    /// moments, update and epoch counts, shuffle generator). Codable for checkpoints.
    public struct ResumeState: Sendable, Hashable, Codable {
        public var optimizer: OptimizerState
        public var epochs: Int
        public var shuffleState: UInt64
    }

    /// Read it with the network at a checkpoint; set it (with `setNetwork`) to resume.
    public var resumeState: ResumeState {
        get { ResumeState(optimizer: optimizerState, epochs: epochs, shuffleState: rng.state) }
        set {
            precondition(newValue.optimizer.first.count == network.layout.count, "optimizer state of another topology")
            optimizerState = newValue.optimizer
            epochs = newValue.epochs
            rng.state = newValue.shuffleState
        }
    }

    private var rng: SeededGenerator
    private let dims: Dims
    private var workspaces: [SequenceWorkspace] = []
    private var gradients: UnsafeMutablePointer<Float>   // [batchSize][P]
    private let sum: UnsafeMutablePointer<Float>          // [P]
    private let losses: UnsafeMutablePointer<LossStats>   // [batchSize]

    /// The defaults (Adam at 0.01, clip 1, batches of 2 sequences) are the fastest robust
    /// settings found on the synthetic blues task (dev/README.md: 1.7-3.6 s over five seeds):
    /// with 2 threads each sequence of a batch gets a core. Batches of 4 learned about as
    /// fast (1.6-5.9 s), of 8 slower (2.9-10.6 s); SGD with momentum 0.9 (the paper's rule,
    /// lr 0.1) missed 60 s on two seeds of five; RMSprop (lr 0.003) took 2.8-47 s; the
    /// triangular cyclical rate (0.002-0.02) 1.2-6.5 s.
    ///
    /// - Parameters:
    ///   - clip: global L2 norm limit for the averaged gradient (nil: no clipping).
    ///   - threads: worker threads for a batch (1 runs everything on the caller's thread).
    ///   - seed: drives the shuffle order of every epoch.
    public init(network: Network, optimizer: Optimizer = .adam,
                schedule: LearningRateSchedule = .constant(0.01), clip: Float? = 1,
                batchSize: Int = 2, seed: UInt64,
                threads: Int = min(2, ProcessInfo.processInfo.activeProcessorCount)) {
        precondition(batchSize >= 1, "batchSize must be >= 1")
        precondition(optimizer.problem == nil, optimizer.problem ?? "")
        precondition(schedule.problem == nil, schedule.problem ?? "")
        if let c = clip { precondition(c > 0, "clip must be positive") }
        self.network = network
        self.optimizer = optimizer
        self.schedule = schedule
        self.clip = clip
        self.batchSize = batchSize
        self.threads = max(1, threads)
        self.rng = SeededGenerator(seed: seed ^ 0x5EED_7EA1_0000_0000)
        dims = network.dims
        optimizerState = OptimizerState(count: network.layout.count)
        let p = network.layout.count
        gradients = .allocate(capacity: batchSize * p)
        gradients.initialize(repeating: 0, count: batchSize * p)
        sum = .allocate(capacity: p)
        sum.initialize(repeating: 0, count: p)
        losses = .allocate(capacity: batchSize)
        losses.initialize(repeating: LossStats(), count: batchSize)
        workspaces = (0..<batchSize).map { _ in SequenceWorkspace(dims: network.dims) }
    }

    deinit {
        gradients.deallocate()
        sum.deallocate()
        losses.deallocate()
    }

    /// Replaces the network (e.g. after loading a checkpoint); the topology must not change.
    public func setNetwork(_ n: Network) {
        precondition(n.topology == network.topology, "topology changed")
        network = n
    }

    /// One pass over `sequences` in an order shuffled from the seed, in batches of
    /// `batchSize` (the last batch may be smaller). `onBatch` is called after every update;
    /// return `.stop` to end the epoch early (then `stopped` is true).
    public func trainEpoch(sequences: [TrainingSequence],
                           onBatch: (BatchReport) -> TrainingControl = { _ in .continue }) -> EpochStats {
        let start = Date()
        // Fisher-Yates from the trainer's generator (own implementation: stable across
        // Swift versions).
        var order = Array(sequences.indices)
        if order.count > 1 {
            for i in stride(from: order.count - 1, to: 0, by: -1) {
                order.swapAt(i, rng.nextIndex(below: i + 1))
            }
        }
        let batchCount = (order.count + batchSize - 1) / batchSize
        var total = LossStats()
        var normSum = 0.0
        var clipped = 0
        var lastRate: Float = 0
        var done = 0
        var stopped = false
        for b in 0..<batchCount {
            let members = Array(order[(b * batchSize)..<min(order.count, (b + 1) * batchSize)])
            let (loss, norm, rate, wasClipped) = trainBatch(members.map { sequences[$0] })
            total = total + loss
            normSum += norm
            if wasClipped { clipped += 1 }
            lastRate = rate
            done += 1
            let report = BatchReport(epoch: epochs, batch: b + 1, batchCount: batchCount,
                                     fraction: Double(b + 1) / Double(batchCount), loss: loss,
                                     learningRate: rate, gradientNorm: norm, updates: optimizerState.steps)
            if onBatch(report) == .stop {
                stopped = b + 1 < batchCount
                break
            }
        }
        let stats = EpochStats(epoch: epochs, loss: total, batches: done, sequences: min(order.count, done * batchSize),
                               meanGradientNorm: done > 0 ? normSum / Double(done) : 0,
                               clippedBatches: clipped, learningRate: lastRate,
                               seconds: Date().timeIntervalSince(start), stopped: stopped)
        if !stopped { epochs += 1 }
        return stats
    }

    /// One update from the given sequences (at most `batchSize`). Returns the batch loss
    /// (before the update), the gradient norm before clipping, the rate used and whether
    /// the gradient was clipped.
    @discardableResult
    public func trainBatch(_ batch: [TrainingSequence]) -> (loss: LossStats, gradientNorm: Double,
                                                           learningRate: Float, clipped: Bool) {
        precondition(!batch.isEmpty && batch.count <= batchSize, "batch of \(batch.count) sequences")
        for s in batch {
            if let problem = s.problem(for: network.topology) { preconditionFailure("bad sequence: \(problem)") }
        }
        let p = dims.parameterCount
        let slices = batch.reduce(0) { $0 + $1.length }
        let scale = 1 / Float(slices)
        network.parameters.withUnsafeBufferPointer { wb in
            let job = BatchJob(weights: wb.baseAddress!, gradients: gradients, losses: losses,
                               parameterCount: p, scale: scale)
            let ws = workspaces
            runParallel(count: batch.count) { i in
                job.run(workspace: ws[i], sequence: batch[i], slot: i)
            }
        }
        // Sum per-sequence gradients and losses in batch order (deterministic).
        sum.update(from: gradients, count: p)
        var loss = losses[0]
        for i in 1..<batch.count {
            let g = gradients + i * p
            for k in 0..<p { sum[k] += g[k] }
            loss = loss + losses[i]
        }
        var sq = 0.0
        for k in 0..<p { sq += Double(sum[k]) * Double(sum[k]) }
        let norm = sq.squareRoot()
        var wasClipped = false
        if let c = clip, norm > Double(c) {
            let f = Float(Double(c) / norm)
            for k in 0..<p { sum[k] *= f }
            wasClipped = true
        }
        let rate = schedule.rate(atBatch: optimizerState.steps)
        network.parameters.withUnsafeMutableBufferPointer { w in
            optimizerState.apply(optimizer, learningRate: rate, weights: w,
                                 gradient: UnsafeBufferPointer(start: sum, count: p))
        }
        return (loss, norm, rate, wasClipped)
    }

    /// Loss per slice over `sequences` (teacher-forced from the zero state), no update.
    public func evaluate(sequences: [TrainingSequence]) -> LossStats {
        for s in sequences {
            if let problem = s.problem(for: network.topology) { preconditionFailure("bad sequence: \(problem)") }
        }
        var total = LossStats()
        var i = 0
        while i < sequences.count {
            let chunk = Array(sequences[i..<min(sequences.count, i + batchSize)])
            network.parameters.withUnsafeBufferPointer { wb in
                let job = BatchJob(weights: wb.baseAddress!, gradients: gradients, losses: losses,
                                   parameterCount: dims.parameterCount, scale: 0)
                let ws = workspaces
                runParallel(count: chunk.count) { k in
                    job.evaluate(workspace: ws[k], sequence: chunk[k], slot: k)
                }
            }
            for k in 0..<chunk.count { total = total + losses[k] }
            i += batchSize
        }
        return total
    }

    private func runParallel(count: Int, _ body: @Sendable (Int) -> Void) {
        if threads == 1 || count == 1 {
            for i in 0..<count { body(i) }
        } else {
            DispatchQueue.concurrentPerform(iterations: count, execute: body)
        }
    }
}

/// The pointers a batch's parallel part works on; every sequence slot writes only its own
/// gradient row and loss, so the slots never race.
private struct BatchJob: @unchecked Sendable {
    let weights: UnsafePointer<Float>
    let gradients: UnsafeMutablePointer<Float>
    let losses: UnsafeMutablePointer<LossStats>
    let parameterCount: Int
    let scale: Float

    func run(workspace: SequenceWorkspace, sequence: TrainingSequence, slot: Int) {
        let g = gradients + slot * parameterCount
        g.update(repeating: 0, count: parameterCount)
        losses[slot] = workspace.forward(parameters: weights, sequence: sequence)
        workspace.backward(parameters: weights, sequence: sequence, scale: scale, gradient: g)
    }

    func evaluate(workspace: SequenceWorkspace, sequence: TrainingSequence, slot: Int) {
        losses[slot] = workspace.forward(parameters: weights, sequence: sequence)
    }
}

extension Network {
    /// Loss per slice over `sequences` (teacher-forced from the zero state), one thread.
    public func evaluate(sequences: [TrainingSequence]) -> LossStats {
        let ws = SequenceWorkspace(dims: dims)
        var total = LossStats()
        parameters.withUnsafeBufferPointer { p in
            for s in sequences {
                precondition(s.problem(for: topology) == nil, "bad sequence: \(s.problem(for: topology) ?? "")")
                total = total + ws.forward(parameters: p.baseAddress!, sequence: s)
            }
        }
        return total
    }
}
