import SeededRandom

/// Settings of one fine-tune: a few hundred Adam steps on a handful of sequences, pulled toward
/// the base weights so that what the base learned survives.
public struct FineTuneOptions: Sendable, Hashable {
    /// Optimizer updates.
    public var steps: Int
    public var learningRate: Float
    /// λ in loss + λ/2·||θ − θ_base||² (0: no pull). The loss is per slice, as in `Trainer`.
    public var pull: Float
    /// Global L2 norm limit for each step's gradient (loss and pull together); nil for none.
    public var clip: Float?
    /// Sequences per step; when there are no more than this, every step sees all of them.
    public var batchSize: Int
    /// Drives the order of the sequences when there are more than `batchSize`.
    public var seed: UInt64
    public var optimizer: Optimizer
    /// Tensors (`ParameterLayout` names) left as they are: their gradient is zeroed before
    /// clipping and the update. E.g. the chord part's, so that the melody's loss cannot
    /// reach the chord cells through h_c and unlearn the form.
    public var frozenTensors: Set<String>

    public init(steps: Int = 300, learningRate: Float = 0.003, pull: Float = 0.3, clip: Float? = 1,
                batchSize: Int = 4, seed: UInt64 = 1, optimizer: Optimizer = .adam, frozenTensors: Set<String> = []) {
        self.steps = steps
        self.learningRate = learningRate
        self.pull = pull
        self.clip = clip
        self.batchSize = batchSize
        self.seed = seed
        self.optimizer = optimizer
        self.frozenTensors = frozenTensors
    }

    /// The chord part's tensors: freeze them to adapt only the melody.
    public static let chordTensors: Set<String> = ["chord.weight", "chord.bias", "chord_out.weight", "chord_out.bias"]

    /// A reason the settings are unusable, or nil.
    public var problem: String? {
        if steps < 0 { return "steps is \(steps)" }
        if !(learningRate > 0 && learningRate.isFinite) { return "learning rate \(learningRate) is not positive" }
        if !(pull >= 0 && pull.isFinite) { return "pull \(pull) is negative" }
        if let c = clip, !(c > 0) { return "clip \(c) is not positive" }
        if batchSize < 1 { return "batch size \(batchSize) is below 1" }
        return optimizer.problem
    }
}

/// What one fine-tune did.
public struct FineTuneReport: Sendable, Equatable {
    /// Updates applied (fewer than asked when stopped).
    public var steps: Int
    /// True when `shouldStop` ended it early.
    public var stopped: Bool
    /// Loss per slice over all the sequences, teacher-forced, before the first and after the
    /// last update (without the pull term).
    public var lossBefore: LossStats
    public var lossAfter: LossStats
    /// ||θ − θ_base|| at the end.
    public var distanceFromBase: Double
    /// Steps whose gradient was clipped.
    public var clippedSteps: Int
    public var seconds: Double
}

/// Fine-tunes parameters of one topology toward a few sequences, with a pull to the base:
/// Adam (or any `Optimizer`) on
///
///     L(θ) = (sum of slice losses of the batch) / (slices in the batch) + λ/2·||θ − θ_base||²
///
/// with the gradient (loss and pull together) clipped to a global norm, using the same
/// forward and BPTT code as `Trainer` (`SequenceWorkspace`).
///
/// Single-threaded on purpose: it runs beside the real-time engine, which needs the other core.
/// Deterministic: the same start, sequences and options give bit-identical parameters.
/// The scratch (activations, gradient, optimizer moments, order) is kept between calls and
/// grows only to the longest sequence and the largest sequence count seen, so repeated
/// fine-tunes in a session do not reallocate. Not thread-safe: one caller at a time.
public final class FineTuner {
    public let base: Network
    private let dims: Dims
    private let workspace: SequenceWorkspace
    private let gradient: UnsafeMutablePointer<Float>
    private var optimizerState: OptimizerState
    private var order: [Int] = []

    public init(base: Network) {
        self.base = base
        dims = base.dims
        workspace = SequenceWorkspace(dims: base.dims)
        gradient = .allocate(capacity: base.layout.count)
        gradient.initialize(repeating: 0, count: base.layout.count)
        optimizerState = OptimizerState(count: base.layout.count)
    }

    deinit { gradient.deallocate() }

    /// Fine-tunes `parameters` in place (they need not be the base's: a session continues from
    /// its last adaptation, still pulled toward the base). `shouldStop` is asked before every
    /// step; when it says yes, the parameters are left as they are after the steps done.
    @discardableResult
    public func fineTune(_ parameters: inout [Float], on sequences: [TrainingSequence], options: FineTuneOptions,
                         shouldStop: () -> Bool = { false }) -> FineTuneReport {
        precondition(options.problem == nil, "fine-tune options: \(options.problem ?? "")")
        precondition(parameters.count == base.layout.count, "parameter count mismatch")
        precondition(!sequences.isEmpty, "nothing to fine-tune on")
        for s in sequences {
            if let problem = s.problem(for: base.topology) { preconditionFailure("bad sequence: \(problem)") }
        }
        for name in options.frozenTensors {
            precondition(base.layout.slot(named: name) != nil, "no tensor \"\(name)\" to freeze")
        }
        let frozen = base.layout.tensors.filter { options.frozenTensors.contains($0.name) }
        let clock = ContinuousClock()
        let start = clock.now
        let p = dims.parameterCount
        resetOptimizer()
        order.removeAll(keepingCapacity: true)
        order.append(contentsOf: sequences.indices)
        let everyStep = sequences.count <= options.batchSize
        var rng = SeededGenerator(seed: options.seed ^ 0xF1AE_7E0E_0000_0000)
        var cursor = order.count  // shuffle before the first batch
        var done = 0, clipped = 0, stopped = false

        let lossBefore = evaluate(parameters, sequences)
        base.parameters.withUnsafeBufferPointer { baseBuffer in
            let anchor = baseBuffer.baseAddress!
            for _ in 0..<options.steps {
                if shouldStop() { stopped = true; break }
                // This step's batch: order[first..<last].
                let first: Int, last: Int
                if everyStep {
                    first = 0; last = order.count
                } else {
                    if cursor + options.batchSize > order.count {
                        // A new pass in a fresh order (Fisher-Yates from the seed).
                        for i in stride(from: order.count - 1, to: 0, by: -1) {
                            order.swapAt(i, rng.nextIndex(below: i + 1))
                        }
                        cursor = 0
                    }
                    first = cursor; last = cursor + options.batchSize
                    cursor = last
                }
                var slices = 0
                for k in first..<last { slices += sequences[order[k]].length }
                let scale = 1 / Float(slices)
                gradient.update(repeating: 0, count: p)
                parameters.withUnsafeMutableBufferPointer { wb in
                    let w = wb.baseAddress!
                    for k in first..<last {
                        let s = sequences[order[k]]
                        _ = workspace.forward(parameters: w, sequence: s)
                        workspace.backward(parameters: w, sequence: s, scale: scale, gradient: gradient)
                    }
                    // The pull: d/dθ λ/2·||θ − θ_base||² = λ(θ − θ_base).
                    if options.pull > 0 {
                        let lambda = options.pull
                        for i in 0..<p { gradient[i] += lambda * (w[i] - anchor[i]) }
                    }
                    for slot in frozen { (gradient + slot.offset).update(repeating: 0, count: slot.count) }
                    var sq = 0.0
                    for i in 0..<p { sq += Double(gradient[i]) * Double(gradient[i]) }
                    if let c = options.clip, sq.squareRoot() > Double(c) {
                        let f = Float(Double(c) / sq.squareRoot())
                        for i in 0..<p { gradient[i] *= f }
                        clipped += 1
                    }
                    optimizerState.apply(options.optimizer, learningRate: options.learningRate, weights: wb,
                                         gradient: UnsafeBufferPointer(start: gradient, count: p))
                }
                done += 1
            }
        }
        let lossAfter = evaluate(parameters, sequences)
        var distance = 0.0
        base.parameters.withUnsafeBufferPointer { b in
            for i in 0..<p { let d = Double(parameters[i]) - Double(b[i]); distance += d * d }
        }
        let elapsed = clock.now - start
        return FineTuneReport(steps: done, stopped: stopped, lossBefore: lossBefore, lossAfter: lossAfter,
                              distanceFromBase: distance.squareRoot(), clippedSteps: clipped,
                              seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
    }

    /// Fine-tunes a copy of `start` (the base's parameters when nil) and returns it.
    public func fineTuned(on sequences: [TrainingSequence], from start: [Float]? = nil,
                          options: FineTuneOptions) -> (parameters: [Float], report: FineTuneReport) {
        var parameters = start ?? base.parameters
        let report = fineTune(&parameters, on: sequences, options: options)
        return (parameters, report)
    }

    /// Fresh moments without reallocating them.
    private func resetOptimizer() {
        optimizerState.first.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        optimizerState.second.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        optimizerState.steps = 0
        optimizerState.beta1Power = 1
        optimizerState.beta2Power = 1
    }

    private func evaluate(_ parameters: [Float], _ sequences: [TrainingSequence]) -> LossStats {
        parameters.withUnsafeBufferPointer { w in
            sequences.reduce(LossStats()) { $0 + workspace.forward(parameters: w.baseAddress!, sequence: $1) }
        }
    }
}

extension Network {
    /// This network fine-tuned on `sequences` with a pull toward its own weights (a one-off
    /// `FineTuner`; keep one to reuse the scratch).
    public func fineTuned(on sequences: [TrainingSequence], options: FineTuneOptions) -> (parameters: [Float], report: FineTuneReport) {
        FineTuner(base: self).fineTuned(on: sequences, options: options)
    }
}
