/// The chord-and-melody network: topology plus one flat parameter vector.
///
/// `step` is what the real-time loop calls once per slice; it allocates nothing (weights are
/// read through `withUnsafeBufferPointer`, all state lives in a preallocated `NetworkState`).
public struct Network: Sendable, Equatable {
    public let topology: Topology
    public let layout: ParameterLayout
    /// All weights and biases, laid out as `layout` says (the count must stay `layout.count`;
    /// `step` checks it).
    public var parameters: [Float]
    let dims: Dims

    /// A freshly initialised network; the same topology, seed and initialization always give
    /// bit-identical parameters.
    public init(topology: Topology, seed: UInt64, initialization: Initialization = Initialization()) {
        precondition(topology.problem == nil, "invalid topology: \(topology.problem ?? "")")
        self.topology = topology
        layout = ParameterLayout(topology)
        dims = Dims(layout)
        parameters = layout.initialParameters(seed: seed, initialization: initialization)
    }

    /// A network with the given parameters (`parameters.count` must equal the layout's count).
    public init(topology: Topology, parameters: [Float]) {
        precondition(topology.problem == nil, "invalid topology: \(topology.problem ?? "")")
        self.topology = topology
        layout = ParameterLayout(topology)
        dims = Dims(layout)
        precondition(parameters.count == layout.count, "parameter count mismatch")
        self.parameters = parameters
    }

    public static func == (a: Network, b: Network) -> Bool {
        a.topology == b.topology && a.parameters == b.parameters
    }

    /// A zeroed state for this network.
    public func makeState() -> NetworkState { NetworkState(topology: topology) }

    /// A copy of one named tensor (allocates).
    public func tensor(named name: String) -> [Float]? {
        guard let s = layout.slot(named: name) else { return nil }
        return Array(parameters[s.offset..<(s.offset + s.count)])
    }

    // MARK: Stepping

    /// One time step, reading the inputs from `state.chordInput` and `state.melodyInput`.
    public func step(_ state: NetworkState) {
        step(state, chordInput: UnsafePointer(state.storage + state.chordInputOffset),
             melodyInput: UnsafePointer(state.storage + state.melodyInputOffset))
    }

    /// One time step with inputs from the caller's buffers (sizes chordInputs, melodyInputs).
    /// Afterwards `state` holds h(t), c(t) and the predictions for the next slice.
    public func step(_ state: NetworkState, chordInput: UnsafeBufferPointer<Float>,
                     melodyInput: UnsafeBufferPointer<Float>) {
        precondition(chordInput.count >= dims.ic && melodyInput.count >= dims.im, "input too short")
        step(state, chordInput: chordInput.baseAddress!, melodyInput: melodyInput.baseAddress!)
    }

    /// One time step with inputs from arrays (no allocation: the arrays are only read).
    public func step(_ state: NetworkState, chordInput: [Float], melodyInput: [Float]) {
        chordInput.withUnsafeBufferPointer { c in
            melodyInput.withUnsafeBufferPointer { m in
                step(state, chordInput: c, melodyInput: m)
            }
        }
    }

    func step(_ s: NetworkState, chordInput xc: UnsafePointer<Float>, melodyInput xm: UnsafePointer<Float>) {
        precondition(s.topology == topology, "state of another topology")
        let st = s.storage
        let d = dims
        parameters.withUnsafeBufferPointer { pb in
            precondition(pb.count == d.parameterCount, "parameter count mismatch")
            // Both parts read h_c(t-1) before either writes h(t); act aliases z, c aliases
            // c(t-1) and h aliases h(t-1) (the kernels read each element before writing it).
            let chord = PartBuffers(z: st + s.chordGateOffset, cPrev: st + s.chordCellOffset,
                                    c: st + s.chordCellOffset, tanhC: st + s.chordTanhOffset,
                                    hPrev: st + s.chordHiddenOffset, h: st + s.chordHiddenOffset)
            let melody = PartBuffers(z: st + s.melodyGateOffset, cPrev: st + s.melodyCellOffset,
                                     c: st + s.melodyCellOffset, tanhC: st + s.melodyTanhOffset,
                                     hPrev: st + s.melodyHiddenOffset, h: st + s.melodyHiddenOffset)
            Network.forwardStep(d, pb.baseAddress!, xc: xc, xm: xm, chord: chord, melody: melody,
                                chordLogits: st + s.chordLogitOffset, chordProbs: st + s.chordProbOffset,
                                melodyLogits: st + s.melodyLogitOffset, melodyProbs: st + s.melodyProbOffset)
        }
        s.steps &+= 1
    }

    /// The step shared by inference and training.
    ///
    ///     z_c = b_c + W_c^T [x_c; h_c(t-1)]                      (Gc)
    ///     z_m = b_m + W_m^T [x_m; h_c(t-1); h_m(t-1)]            (Gm)
    ///     cells: LSTM blocks or tanh                              -> h_c(t) (Hc), h_m(t) (Hm)
    ///     y_c = sigmoid(b_co + W_co^T [h_c(t); x_c])              (Oc)
    ///     p_m = softmax(b_mo + W_mo^T [h_m(t); x_m])              (Cm)
    @inline(__always)
    static func forwardStep(_ d: Dims, _ p: UnsafePointer<Float>,
                            xc: UnsafePointer<Float>, xm: UnsafePointer<Float>,
                            chord: PartBuffers, melody: PartBuffers,
                            chordLogits: UnsafeMutablePointer<Float>, chordProbs: UnsafeMutablePointer<Float>,
                            melodyLogits: UnsafeMutablePointer<Float>, melodyProbs: UnsafeMutablePointer<Float>) {
        // Pre-activations of both parts (from h(t-1)).
        chord.z.update(from: p + d.chordBias, count: d.gc)
        Kernels.addRows(chord.z, width: d.gc, weight: p + d.chordWeight, input: xc, rows: d.ic)
        Kernels.addRows(chord.z, width: d.gc, weight: p + d.chordWeight + d.ic * d.gc,
                        input: chord.hPrev, rows: d.hc)
        melody.z.update(from: p + d.melodyBias, count: d.gm)
        Kernels.addRows(melody.z, width: d.gm, weight: p + d.melodyWeight, input: xm, rows: d.im)
        Kernels.addRows(melody.z, width: d.gm, weight: p + d.melodyWeight + d.im * d.gm,
                        input: chord.hPrev, rows: d.hc)
        Kernels.addRows(melody.z, width: d.gm, weight: p + d.melodyWeight + (d.im + d.hc) * d.gm,
                        input: melody.hPrev, rows: d.hm)
        // Cells.
        if d.lstm {
            Kernels.lstmForward(z: chord.z, act: chord.z, cPrev: chord.cPrev, c: chord.c,
                                tanhC: chord.tanhC, h: chord.h, blocks: d.bc, cellsPerBlock: d.nc)
            Kernels.lstmForward(z: melody.z, act: melody.z, cPrev: melody.cPrev, c: melody.c,
                                tanhC: melody.tanhC, h: melody.h, blocks: d.bm, cellsPerBlock: d.nm)
        } else {
            Kernels.tanhForward(z: chord.z, h: chord.h, count: d.hc)
            Kernels.tanhForward(z: melody.z, h: melody.h, count: d.hm)
        }
        // Chord outputs: independent sigmoid units.
        chordLogits.update(from: p + d.chordOutBias, count: d.oc)
        Kernels.addRows(chordLogits, width: d.oc, weight: p + d.chordOutWeight, input: chord.h, rows: d.hc)
        Kernels.addRows(chordLogits, width: d.oc, weight: p + d.chordOutWeight + d.hc * d.oc, input: xc, rows: d.ic)
        for k in 0..<d.oc { chordProbs[k] = fastSigmoid(chordLogits[k]) }
        // Melody outputs: softmax over classes.
        melodyLogits.update(from: p + d.melodyOutBias, count: d.cm)
        Kernels.addRows(melodyLogits, width: d.cm, weight: p + d.melodyOutWeight, input: melody.h, rows: d.hm)
        Kernels.addRows(melodyLogits, width: d.cm, weight: p + d.melodyOutWeight + d.hm * d.cm, input: xm, rows: d.im)
        Kernels.softmax(melodyLogits, melodyProbs, count: d.cm)
    }
}

/// Where one part's per-step values live.
struct PartBuffers {
    /// Pre-activations in, activations out [G].
    var z: UnsafeMutablePointer<Float>
    var cPrev: UnsafeMutablePointer<Float>
    var c: UnsafeMutablePointer<Float>
    var tanhC: UnsafeMutablePointer<Float>
    var hPrev: UnsafeMutablePointer<Float>
    var h: UnsafeMutablePointer<Float>
}

/// Sizes and offsets as plain integers for the kernels.
struct Dims: Sendable, Hashable {
    let ic, im, oc, cm: Int
    let bc, nc, hc, gc: Int
    let bm, nm, hm, gm: Int
    let lstm: Bool
    let chordWeight, chordBias, melodyWeight, melodyBias: Int
    let chordOutWeight, chordOutBias, melodyOutWeight, melodyOutBias: Int
    let parameterCount: Int

    init(_ l: ParameterLayout) {
        let t = l.topology
        ic = t.chordInputs; im = t.melodyInputs; oc = t.chordOutputs; cm = t.melodyClasses
        bc = t.chordBlocks; nc = t.chordCellsPerBlock; hc = t.chordCells; gc = t.chordGateWidth
        bm = t.melodyBlocks; nm = t.melodyCellsPerBlock; hm = t.melodyCells; gm = t.melodyGateWidth
        lstm = t.cellKind == .lstm
        chordWeight = l.chordWeight; chordBias = l.chordBias
        melodyWeight = l.melodyWeight; melodyBias = l.melodyBias
        chordOutWeight = l.chordOutWeight; chordOutBias = l.chordOutBias
        melodyOutWeight = l.melodyOutWeight; melodyOutBias = l.melodyOutBias
        parameterCount = l.count
    }
}
