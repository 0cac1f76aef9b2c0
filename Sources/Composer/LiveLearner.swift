import Dispatch
import Foundation  // FileManager (kept models)
import LSTMModel
import MusicCore
import Synchronization

/// Learns the player live: after each call, fine-tunes the model on this session's recent
/// phrases with a pull toward the base weights (so the style survives), and hands the adapted
/// weights to the engine, which swaps them in at a slice boundary.
///
/// Each fine-tune starts from the last adapted weights (the session accumulates) and is pulled
/// toward the base's (so it cannot drift without bound); it trains on the last
/// `recentPhrases` phrases, encoded exactly like training data (`TrainingData.sequence`).
/// By default only the melody part adapts (`Options.adaptChords`); bench/RESULTS-learning.md
/// shows what the defaults do to the built-in model.
///
/// Threads: `submit`, `reset`, `save` and `adaptedModel` may be called from any thread;
/// `takeUpdate` is for one consumer (the engine's real-time thread) and never blocks or
/// allocates. In `.background` mode one worker (a serial dispatch queue) trains; a phrase
/// submitted while it trains is learned by one more fine-tune afterwards, and several such
/// phrases share that one fine-tune (each new submission supersedes the queued one).
public final class LiveLearner: Sendable {
    public enum Mode: Sendable, Hashable {
        /// `submit` fine-tunes at once on the caller's thread (offline jams, tests): deterministic.
        case synchronous
        /// One worker thread fine-tunes; `submit` returns at once.
        case background
    }

    public struct Options: Sendable, Hashable {
        /// Adam updates per fine-tune.
        public var steps: Int
        public var learningRate: Float
        /// λ, the pull toward the base weights (0: none).
        public var pull: Float
        /// Global gradient-norm limit (nil: none).
        public var clip: Float?
        /// Phrases per update; more recent phrases than this are taken in shuffled batches.
        public var batchSize: Int
        /// How many of the most recent phrases are learned from (a ring).
        public var recentPhrases: Int
        public var mode: Mode
        /// Also adapt the chord part (off by default: the melody's loss would reach the chord
        /// cells through h_c and unlearn the form; the player's calls teach melody).
        public var adaptChords: Bool
        /// Seed of the fine-tunes' batch order (the n-th fine-tune uses seed + n).
        public var seed: UInt64

        /// The defaults: see bench/RESULTS-learning.md for what they do to the built-in model
        /// (λ = 0.3: the lick's cross-entropy falls to a quarter, Eck held-out rises 1.1 nats/slice).
        public init(steps: Int = 300, learningRate: Float = 0.003, pull: Float = 0.3, clip: Float? = 1,
                    batchSize: Int = 4, recentPhrases: Int = 8, mode: Mode = .background, adaptChords: Bool = false,
                    seed: UInt64 = 1) {
            self.steps = steps
            self.learningRate = learningRate
            self.pull = pull
            self.clip = clip
            self.batchSize = batchSize
            self.recentPhrases = recentPhrases
            self.mode = mode
            self.adaptChords = adaptChords
            self.seed = seed
        }

        /// A reason the settings are unusable, or nil.
        public var problem: String? {
            if recentPhrases < 1 { return "recent phrases is \(recentPhrases), must be at least 1" }
            return fineTune(number: 0).problem
        }

        func fineTune(number: Int) -> FineTuneOptions {
            FineTuneOptions(steps: steps, learningRate: learningRate, pull: pull, clip: clip, batchSize: batchSize,
                            seed: seed &+ UInt64(number), frozenTensors: adaptChords ? [] : FineTuneOptions.chordTensors)
        }
    }

    /// A kept (saved) adapted model looked up at start.
    public enum KeptModel: Sendable {
        /// Loaded, and it fits the base.
        case loaded(ImprovModel)
        /// No file: nothing kept yet.
        case absent
        /// A file that cannot be used; the reason names it. The base should be used instead.
        case refused(reason: String)

        public var model: ImprovModel? {
            if case .loaded(let m) = self { return m }
            return nil
        }

        public var reason: String? {
            if case .refused(let r) = self { return r }
            return nil
        }
    }

    /// Training-metadata keys of an adapted model (beside the base's own facts).
    public static let adaptedFromKey = "adapted-from", adaptedPhrasesKey = "adapted-phrases"

    public let base: ImprovModel
    public let options: Options
    let core: LiveLearnerCore
    private let queue: DispatchQueue?

    /// - Parameter start: a kept adapted model to continue from (see `loadKept`); the pull
    ///   is still toward `base`, and `reset` returns to `base`.
    public init(base: ImprovModel, options: Options = Options(), start: ImprovModel? = nil) {
        precondition(options.problem == nil, "live learner options: \(options.problem ?? "")")
        if let s = start {
            precondition(s.network.topology == base.network.topology && s.encoding == base.encoding,
                         "the start model does not fit the base")
        }
        self.base = base
        self.options = options
        let phrases = start.flatMap { Int($0.training[Self.adaptedPhrasesKey] ?? "") } ?? 0
        core = LiveLearnerCore(base: base, options: options, start: start?.network.parameters ?? base.network.parameters,
                               phrasesLearned: phrases)
        queue = options.mode == .background ? DispatchQueue(label: "improv.live-learner", qos: .utility) : nil
    }

    deinit { close() }

    /// Learns from a phrase in the model's key (C): the player's call with the chords heard
    /// under it. Returns false (and learns nothing) when the phrase is shorter than two
    /// slices, strikes no melody note, or the learner is closed. In `.synchronous` mode the
    /// fine-tune is done when this returns; in `.background` mode it is queued.
    ///
    /// Cheap but not allocation-free (the phrase is kept in the ring); call it once per phrase,
    /// not on the per-slice path.
    @discardableResult
    public func submit(phrase: [Slice]) -> Bool {
        guard phrase.count >= 2, phrase.contains(where: { $0.melody.isAttack }) else { return false }
        guard let queue else {
            guard core.enqueue(phrase) else { return false }
            core.runJob()
            return true
        }
        guard let schedule = core.enqueueScheduling(phrase) else { return false }
        if schedule {
            let core = self.core
            queue.async { core.runJob() }
        }
        return true
    }

    /// For the engine's real-time thread at a slice boundary: when adapted weights have been
    /// published since the last call, copies them into `parameters` (which must hold exactly
    /// the network's parameter count) and returns true. Never blocks (a try-lock: false when
    /// the worker is publishing just then; ask again at the next boundary) and never allocates.
    public func takeUpdate(into parameters: UnsafeMutableBufferPointer<Float>) -> Bool {
        core.takeUpdate(into: parameters)
    }

    /// Back to the base weights (the controller's reset): forgets the session's phrases,
    /// abandons a running fine-tune, and publishes the base weights as an update, so the
    /// engine's next `takeUpdate` gets them.
    public func reset() { core.reset() }

    /// Updates published so far: finished fine-tunes and resets.
    public var generation: Int { core.state.withLock { $0.generation } }

    /// Phrases the current weights have learned from (the kept model's count included).
    public var phrasesLearned: Int { core.state.withLock { $0.publishedPhrases } }

    /// Fine-tunes started so far (a superseded submission starts none of its own).
    public var fineTunesStarted: Int { core.state.withLock { $0.jobsStarted } }

    /// True while a fine-tune is queued or running.
    public var isBusy: Bool { core.state.withLock { $0.scheduled || $0.training } }

    /// What the last published fine-tune did (nil before the first and after a reset).
    public var lastReport: FineTuneReport? { core.state.withLock { $0.lastReport } }

    /// The current adapted weights as a model, with metadata saying they are adapted and from
    /// which base (allocates).
    public func adaptedModel() -> ImprovModel {
        let (parameters, phrases) = core.state.withLock { ($0.current, $0.publishedPhrases) }
        var model = base
        model.network = Network(topology: base.network.topology, parameters: parameters)
        model.training[Self.adaptedFromKey] = Self.fingerprint(base)
        model.training[Self.adaptedPhrasesKey] = "\(phrases)"
        model.training["adapted-steps"] = "\(options.steps)"
        model.training["adapted-learning-rate"] = "\(options.learningRate)"
        model.training["adapted-pull"] = "\(options.pull)"
        return model
    }

    /// Saves the adapted model ("keep"): atomically, through `ImprovModel.save`.
    public func save(to path: String) throws {
        try adaptedModel().save(path: path)
    }

    /// The kept model at `path` if there is one and it fits `base` (same topology, slice
    /// encoding and key); otherwise why not.
    public static func loadKept(path: String, base: ImprovModel) -> KeptModel {
        guard FileManager.default.fileExists(atPath: path) else { return .absent }
        let kept: ImprovModel
        do { kept = try ImprovModel.load(path: path) } catch {
            return .refused(reason: "kept model \(path) not loaded: \((error as? ModelFileError)?.reason ?? "\(error)")")
        }
        func describe(_ t: Topology) -> String {
            "\(t.chordBlocks)x\(t.chordCellsPerBlock) chord, \(t.melodyBlocks)x\(t.melodyCellsPerBlock) melody \(t.cellKind.rawValue)"
        }
        if kept.network.topology != base.network.topology {
            return .refused(reason: "kept model \(path) has another topology (\(describe(kept.network.topology))) "
                + "than the model in use (\(describe(base.network.topology))); using the base model")
        }
        if kept.encoding != base.encoding {
            return .refused(reason: "kept model \(path) has another slice encoding than the model in use; using the base model")
        }
        if kept.key != base.key {
            return .refused(reason: "kept model \(path) is in \(kept.key), the model in use in \(base.key); using the base model")
        }
        return .loaded(kept)
    }

    /// Ends the worker cleanly: a running fine-tune stops at its next step (its result is not
    /// published), queued ones do not start, and this returns once the worker is idle.
    /// Idempotent; later submissions are refused.
    public func close() {
        core.close()
        queue?.sync {}  // the serial queue's jobs before this one have ended: the join
    }

    /// As `close`, for the real-time thread, which must not wait for a fine-tune's step: the
    /// worker is told to stop here and joined on another thread (where this learner's last
    /// reference then goes, so its deinit does not join on the caller's thread either).
    public func closeInBackground() {
        core.close()
        DispatchQueue.global(qos: .utility).async { self.close() }
    }

    /// Identifies a base model's weights: FNV-1a (64 bits) of its topology and parameters.
    public static func fingerprint(_ model: ImprovModel) -> String {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        func mix(_ byte: UInt8) { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        for b in model.network.topology.jsonString.utf8 { mix(b) }
        for x in model.network.parameters {
            let bits = x.bitPattern
            for k in 0..<4 { mix(UInt8(truncatingIfNeeded: bits >> (8 * k))) }
        }
        let hex = String(h, radix: 16)
        return "fnv1a64:" + String(repeating: "0", count: 16 - hex.count) + hex
    }
}

/// The learner's shared part: what the worker, the submitting thread and the engine's
/// thread meet on. Jobs capture this, not the `LiveLearner`, so the learner's deinit (which
/// joins the worker) never runs on the worker.
final class LiveLearnerCore: Sendable {
    struct State {
        /// The recent phrases, a ring of at most `recentPhrases` (`next` is the oldest).
        var ring: [[Slice]]
        var next = 0
        /// Accepted phrases since the start (kept model included) or the last reset.
        var phrasesLearned: Int
        /// The published (latest adapted) weights, and the phrase count they learned from.
        var current: [Float]
        var publishedPhrases: Int
        var generation = 0
        /// The generation last copied out by `takeUpdate`.
        var taken = 0
        /// A background fine-tune is queued and has not started.
        var scheduled = false
        var training = false
        var jobsStarted = 0
        var lastReport: FineTuneReport?
        var closed = false
    }

    /// The worker's reusable scratch (only one fine-tune runs at a time: this lock).
    struct Scratch {
        let tuner: FineTuner
        var parameters: [Float]
    }

    let base: ImprovModel
    let options: LiveLearner.Options
    let state: Guarded<State>
    let scratch: Guarded<Scratch>
    /// Bumped (under the state lock) by reset and close: a fine-tune begun in an earlier era
    /// stops at its next step and publishes nothing.
    let era = Atomic<Int>(0)

    init(base: ImprovModel, options: LiveLearner.Options, start: [Float], phrasesLearned: Int) {
        self.base = base
        self.options = options
        var ring: [[Slice]] = []
        ring.reserveCapacity(options.recentPhrases)
        state = Guarded(State(ring: ring, phrasesLearned: phrasesLearned, current: start, publishedPhrases: phrasesLearned))
        scratch = Guarded(Scratch(tuner: FineTuner(base: base.network), parameters: start))
    }

    /// Adds a phrase to the ring (false when closed).
    func enqueue(_ phrase: [Slice]) -> Bool {
        state.withLock { s in add(phrase, to: &s) }
    }

    /// Adds a phrase; true when a background job must be scheduled (none is queued), nil when closed.
    func enqueueScheduling(_ phrase: [Slice]) -> Bool? {
        state.withLock { s -> Bool? in
            guard add(phrase, to: &s) else { return nil }
            if s.scheduled { return false }
            s.scheduled = true
            return true
        }
    }

    private func add(_ phrase: [Slice], to s: inout State) -> Bool {
        guard !s.closed else { return false }
        if s.ring.count < options.recentPhrases {
            s.ring.append(phrase)
        } else {
            s.ring[s.next] = phrase
            s.next = (s.next + 1) % options.recentPhrases
        }
        s.phrasesLearned += 1
        return true
    }

    /// One fine-tune on the ring as it stands now, from the current weights; publishes the
    /// result unless a reset or close came in between.
    func runJob() {
        scratch.withLock { scratch in
            let job = state.withLock { s -> (phrases: [[Slice]], era: Int, phrasesLearned: Int, number: Int)? in
                s.scheduled = false
                guard !s.closed, !s.ring.isEmpty else { return nil }
                s.training = true
                s.jobsStarted += 1
                // Oldest first, so a given history always gives the same batches.
                let ordered = Array(s.ring[s.next...] + s.ring[..<s.next])
                scratch.parameters.withUnsafeMutableBufferPointer { dst in
                    s.current.withUnsafeBufferPointer { dst.baseAddress!.update(from: $0.baseAddress!, count: $0.count) }
                }
                return (ordered, era.load(ordering: .acquiring), s.phrasesLearned, s.jobsStarted - 1)
            }
            guard let job else { return }
            let sequences = job.phrases.map { TrainingData.sequence($0, encoding: base.encoding) }
            let tuner = scratch.tuner
            let report = tuner.fineTune(&scratch.parameters, on: sequences, options: options.fineTune(number: job.number),
                                        shouldStop: { era.load(ordering: .relaxed) != job.era })
            state.withLock { s in
                s.training = false
                guard !report.stopped, era.load(ordering: .relaxed) == job.era else { return }
                s.current.withUnsafeMutableBufferPointer { dst in
                    scratch.parameters.withUnsafeBufferPointer { dst.baseAddress!.update(from: $0.baseAddress!, count: $0.count) }
                }
                s.publishedPhrases = job.phrasesLearned
                s.generation += 1
                s.lastReport = report
            }
        }
    }

    func takeUpdate(into parameters: UnsafeMutableBufferPointer<Float>) -> Bool {
        state.withLockIfAvailable { s -> Bool in
            guard s.generation != s.taken else { return false }
            precondition(parameters.count == s.current.count, "takeUpdate: buffer of \(parameters.count) floats, the network has \(s.current.count)")
            s.current.withUnsafeBufferPointer { parameters.baseAddress!.update(from: $0.baseAddress!, count: $0.count) }
            s.taken = s.generation
            return true
        } ?? false
    }

    func reset() {
        state.withLock { s in
            era.add(1, ordering: .releasing)
            s.ring.removeAll(keepingCapacity: true)
            s.next = 0
            s.phrasesLearned = 0
            s.publishedPhrases = 0
            s.lastReport = nil
            s.current.withUnsafeMutableBufferPointer { dst in
                base.network.parameters.withUnsafeBufferPointer { dst.baseAddress!.update(from: $0.baseAddress!, count: $0.count) }
            }
            s.generation += 1
        }
    }

    func close() {
        state.withLock { s in
            guard !s.closed else { return }
            s.closed = true
            era.add(1, ordering: .releasing)
        }
    }
}
