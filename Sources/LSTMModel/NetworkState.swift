/// The preallocated, mutable state of one running network: cell states, unit outputs, the
/// last step's output probabilities and scratch space. `Network.step` and `Sampler.sample`
/// read and write only this memory and never allocate.
///
/// One block of memory, allocated once in `init` and freed in `deinit`. Not thread-safe:
/// use a state from one thread at a time (it is `@unchecked Sendable` so it can be handed
/// to the real-time thread that owns it).
public final class NetworkState: @unchecked Sendable {
    public let topology: Topology

    // Layout of `storage` (offsets in Floats). The recurrent part comes first so that it can
    // be copied as one range.
    let chordCellOffset: Int        // c_c [Hc] (unused by .tanhRNN)
    let chordHiddenOffset: Int      // h_c [Hc]
    let melodyCellOffset: Int       // c_m [Hm]
    let melodyHiddenOffset: Int     // h_m [Hm]
    /// Floats in the recurrent state (`saveRecurrentState` / `loadRecurrentState`).
    public let recurrentCount: Int
    let chordInputOffset: Int       // x_c [Ic]
    let melodyInputOffset: Int      // x_m [Im]
    let chordGateOffset: Int        // z_c [Gc] scratch
    let melodyGateOffset: Int       // z_m [Gm] scratch
    let chordTanhOffset: Int        // tanh(c_c) [Hc] scratch
    let melodyTanhOffset: Int       // tanh(c_m) [Hm] scratch
    let chordLogitOffset: Int       // [Oc]
    let chordProbOffset: Int        // [Oc]
    let melodyLogitOffset: Int      // [Cm]
    let melodyProbOffset: Int       // [Cm]
    let samplerScratchOffset: Int   // [Cm]
    let totalCount: Int

    let storage: UnsafeMutablePointer<Float>
    /// Sampler scratch: candidate indices for top-k, [Cm].
    let indexScratch: UnsafeMutablePointer<Int>

    /// Steps taken since creation or the last `reset()`.
    public internal(set) var steps: Int = 0

    public init(topology t: Topology) {
        precondition(t.problem == nil, "invalid topology: \(t.problem ?? "")")
        topology = t
        var o = 0
        func take(_ n: Int) -> Int { defer { o += n }; return o }
        chordCellOffset = take(t.chordCells)
        chordHiddenOffset = take(t.chordCells)
        melodyCellOffset = take(t.melodyCells)
        melodyHiddenOffset = take(t.melodyCells)
        recurrentCount = o
        chordInputOffset = take(t.chordInputs)
        melodyInputOffset = take(t.melodyInputs)
        chordGateOffset = take(t.chordGateWidth)
        melodyGateOffset = take(t.melodyGateWidth)
        chordTanhOffset = take(t.chordCells)
        melodyTanhOffset = take(t.melodyCells)
        chordLogitOffset = take(t.chordOutputs)
        chordProbOffset = take(t.chordOutputs)
        melodyLogitOffset = take(t.melodyClasses)
        melodyProbOffset = take(t.melodyClasses)
        samplerScratchOffset = take(t.melodyClasses)
        totalCount = o
        storage = .allocate(capacity: totalCount)
        storage.initialize(repeating: 0, count: totalCount)
        indexScratch = .allocate(capacity: t.melodyClasses)
        indexScratch.initialize(repeating: 0, count: t.melodyClasses)
    }

    deinit {
        storage.deallocate()
        indexScratch.deallocate()
    }

    /// Zeroes cell states, outputs, inputs and probabilities (the state before the first step).
    public func reset() {
        storage.update(repeating: 0, count: totalCount)
        steps = 0
    }

    /// Copies the whole state (recurrent state, inputs, last outputs, step count) of another
    /// state of the same topology. No allocation.
    public func copy(from other: NetworkState) {
        precondition(other.topology == topology, "copying a state of another topology")
        storage.update(from: other.storage, count: totalCount)
        steps = other.steps
    }

    /// Writes the recurrent state (cell states and unit outputs of both parts,
    /// `recurrentCount` floats) into `buffer`. No allocation.
    public func saveRecurrentState(into buffer: UnsafeMutableBufferPointer<Float>) {
        precondition(buffer.count >= recurrentCount)
        buffer.baseAddress!.update(from: storage, count: recurrentCount)
    }

    /// Restores the recurrent state saved by `saveRecurrentState(into:)`. No allocation.
    public func loadRecurrentState(from buffer: UnsafeBufferPointer<Float>) {
        precondition(buffer.count >= recurrentCount)
        storage.update(from: buffer.baseAddress!, count: recurrentCount)
    }

    /// The recurrent state as an array (allocates; for checkpoints and tests).
    public var recurrentState: [Float] {
        get { Array(UnsafeBufferPointer(start: storage, count: recurrentCount)) }
        set {
            precondition(newValue.count == recurrentCount)
            newValue.withUnsafeBufferPointer { loadRecurrentState(from: $0) }
        }
    }

    // MARK: Views (no allocation)

    /// Chord input units x_c; fill these and call `Network.step(_:)`.
    public var chordInput: UnsafeMutableBufferPointer<Float> { view(chordInputOffset, topology.chordInputs) }
    /// Melody input units x_m; fill these and call `Network.step(_:)`.
    public var melodyInput: UnsafeMutableBufferPointer<Float> { view(melodyInputOffset, topology.melodyInputs) }
    /// Chord output probabilities of the last step, each unit independent in [0, 1].
    public var chordProbabilities: UnsafeBufferPointer<Float> { UnsafeBufferPointer(view(chordProbOffset, topology.chordOutputs)) }
    /// Chord output logits (pre-sigmoid) of the last step.
    public var chordLogits: UnsafeBufferPointer<Float> { UnsafeBufferPointer(view(chordLogitOffset, topology.chordOutputs)) }
    /// Melody class probabilities of the last step (softmax; they sum to 1).
    public var melodyProbabilities: UnsafeBufferPointer<Float> { UnsafeBufferPointer(view(melodyProbOffset, topology.melodyClasses)) }
    /// Melody logits (pre-softmax) of the last step.
    public var melodyLogits: UnsafeBufferPointer<Float> { UnsafeBufferPointer(view(melodyLogitOffset, topology.melodyClasses)) }
    /// Chord cell states c_c (LSTM) — zero for `.tanhRNN`.
    public var chordCellState: UnsafeBufferPointer<Float> { UnsafeBufferPointer(view(chordCellOffset, topology.chordCells)) }
    /// Chord unit outputs h_c.
    public var chordHidden: UnsafeBufferPointer<Float> { UnsafeBufferPointer(view(chordHiddenOffset, topology.chordCells)) }
    /// Melody cell states c_m (LSTM) — zero for `.tanhRNN`.
    public var melodyCellState: UnsafeBufferPointer<Float> { UnsafeBufferPointer(view(melodyCellOffset, topology.melodyCells)) }
    /// Melody unit outputs h_m.
    public var melodyHidden: UnsafeBufferPointer<Float> { UnsafeBufferPointer(view(melodyHiddenOffset, topology.melodyCells)) }

    @inline(__always)
    func view(_ offset: Int, _ count: Int) -> UnsafeMutableBufferPointer<Float> {
        UnsafeMutableBufferPointer(start: storage + offset, count: count)
    }
}
