import SeededRandom

/// One named tensor inside the flat parameter vector.
public struct TensorSlot: Sendable, Hashable {
    /// improv's name for the tensor; also its name in model files.
    public var name: String
    /// Row-major shape.
    public var shape: [Int]
    /// Index of its first element in the flat parameter vector.
    public var offset: Int
    /// Number of elements (product of `shape`).
    public var count: Int
}

/// Where each named tensor lives in the one flat, contiguous parameter vector.
///
/// Weight matrices are stored input-major, `[inputs, outputs]` row-major: row r holds the
/// weights from input r to every output, so a sparse (multi-hot) input adds one contiguous
/// row and zero inputs are skipped. Pre-activation z = b + sum_r in[r] * W[r, :].
///
/// In storage order (Hc = chordCells, Hm = melodyCells, Bc/Bm = blocks, Gc/Gm = gate widths):
///
/// | name               | shape             | rows (inputs)                         |
/// |--------------------|-------------------|---------------------------------------|
/// | `chord.weight`     | [Ic + Hc, Gc]     | x_c(t) (Ic), h_c(t-1) (Hc)            |
/// | `chord.bias`       | [Gc]              |                                       |
/// | `melody.weight`    | [Im + Hc + Hm, Gm]| x_m(t) (Im), h_c(t-1) (Hc), h_m(t-1) (Hm) |
/// | `melody.bias`      | [Gm]              |                                       |
/// | `chord_out.weight` | [Hc + Ic, Oc]     | h_c(t) (Hc), x_c(t) (Ic)              |
/// | `chord_out.bias`   | [Oc]              |                                       |
/// | `melody_out.weight`| [Hm + Im, Cm]     | h_m(t) (Hm), x_m(t) (Im)              |
/// | `melody_out.bias`  | [Cm]              |                                       |
///
/// Columns of a part's weight and bias (its "gate width" G), for `.lstm` with H cells in B
/// blocks of H/B cells (cell j belongs to block j / cellsPerBlock):
///
///     [0, H)          cell inputs g_j = tanh(z_j)
///     [H, H+B)        input gates  i_b = sigmoid(z)
///     [H+B, H+2B)     forget gates f_b = sigmoid(z)
///     [H+2B, H+3B)    output gates o_b = sigmoid(z)
///
/// For `.tanhRNN`, G = H and the columns are the units h_j = tanh(z_j).
public struct ParameterLayout: Sendable, Hashable {
    public let topology: Topology
    /// The tensors in storage order; they tile `0..<count` without gaps.
    public let tensors: [TensorSlot]
    /// Total number of parameters.
    public let count: Int

    // Offsets used by the kernels.
    public let chordWeight: Int
    public let chordBias: Int
    public let melodyWeight: Int
    public let melodyBias: Int
    public let chordOutWeight: Int
    public let chordOutBias: Int
    public let melodyOutWeight: Int
    public let melodyOutBias: Int

    public init(_ t: Topology) {
        topology = t
        let hc = t.chordCells, hm = t.melodyCells
        let gc = t.chordGateWidth, gm = t.melodyGateWidth
        let shapes: [(String, [Int])] = [
            ("chord.weight", [t.chordInputs + hc, gc]),
            ("chord.bias", [gc]),
            ("melody.weight", [t.melodyInputs + hc + hm, gm]),
            ("melody.bias", [gm]),
            ("chord_out.weight", [hc + t.chordInputs, t.chordOutputs]),
            ("chord_out.bias", [t.chordOutputs]),
            ("melody_out.weight", [hm + t.melodyInputs, t.melodyClasses]),
            ("melody_out.bias", [t.melodyClasses]),
        ]
        var slots: [TensorSlot] = []
        var offset = 0
        for (name, shape) in shapes {
            let n = shape.reduce(1, *)
            slots.append(TensorSlot(name: name, shape: shape, offset: offset, count: n))
            offset += n
        }
        tensors = slots
        count = offset
        chordWeight = slots[0].offset
        chordBias = slots[1].offset
        melodyWeight = slots[2].offset
        melodyBias = slots[3].offset
        chordOutWeight = slots[4].offset
        chordOutBias = slots[5].offset
        melodyOutWeight = slots[6].offset
        melodyOutBias = slots[7].offset
    }

    /// The slot of a named tensor.
    public func slot(named name: String) -> TensorSlot? {
        tensors.first { $0.name == name }
    }

    /// The tensor names in storage order.
    public static func tensorNames() -> [String] {
        ["chord.weight", "chord.bias", "melody.weight", "melody.bias",
         "chord_out.weight", "chord_out.bias", "melody_out.weight", "melody_out.bias"]
    }
}

/// How a new network's parameters are drawn.
public struct Initialization: Sendable, Hashable, Codable {
    /// Weights are uniform in [-weightScale, weightScale] (Gers et al. used 0.1).
    public var weightScale: Float
    /// Block k (0-based) of each part gets gate biases -gateBiasStep * (k + 1): with the
    /// default 0.5 that is the paper's -0.5, -1.0, -1.5, -2.0 for four blocks, so that blocks
    /// "come online one by one". Applied to input, forget and output gates alike, as in the
    /// paper.
    public var gateBiasStep: Float
    /// When set, every forget-gate bias gets this value instead of the staggered one.
    ///
    /// The paper (2002) biases forget gates negatively like the other gates, so cells start
    /// out forgetting quickly. The modern choice (Jozefowicz et al. 2015; most libraries) is a
    /// positive forget bias, e.g. +1, so cells start out remembering. improv keeps the
    /// paper's by default (nil); this switch exists for experiments.
    public var forgetGateBias: Float?
    /// Bias of every output unit (chord sigmoid units and melody softmax classes).
    ///
    /// The paper sets output biases to 0.5. improv uses 0 by default: for the softmax melody
    /// output a bias common to all classes changes nothing at all (softmax is shift
    /// invariant), and for the sigmoid chord units +0.5 starts every unit at p = 0.62 "on",
    /// although targets are mostly off (3-4 of 13 units), which only adds loss to unlearn.
    /// Set 0.5 here to reproduce the paper exactly.
    public var outputBias: Float
    /// Cell-input / tanh-unit biases.
    public var cellBias: Float

    public init(weightScale: Float = 0.1, gateBiasStep: Float = 0.5, forgetGateBias: Float? = nil,
                outputBias: Float = 0, cellBias: Float = 0) {
        self.weightScale = weightScale
        self.gateBiasStep = gateBiasStep
        self.forgetGateBias = forgetGateBias
        self.outputBias = outputBias
        self.cellBias = cellBias
    }

    /// The paper's settings, output biases 0.5 included.
    public static let paper = Initialization(outputBias: 0.5)
}

extension ParameterLayout {
    /// Fresh parameters: weights uniform from `seed`, biases as `initialization` says.
    /// Deterministic: the same topology, seed and initialization give bit-identical values.
    public func initialParameters(seed: UInt64, initialization: Initialization = Initialization()) -> [Float] {
        var p = [Float](repeating: 0, count: count)
        var rng = SeededGenerator(seed: seed)
        let t = topology
        for slot in tensors where slot.name.hasSuffix(".weight") {
            for i in slot.offset..<(slot.offset + slot.count) {
                p[i] = rng.nextSymmetricFloat() * initialization.weightScale
            }
        }
        func setPartBiases(offset: Int, cells: Int, blocks: Int) {
            for j in 0..<cells { p[offset + j] = initialization.cellBias }
            guard t.cellKind == .lstm else { return }
            for b in 0..<blocks {
                let stagger = -initialization.gateBiasStep * Float(b + 1)
                p[offset + cells + b] = stagger                                      // input gate
                p[offset + cells + blocks + b] = initialization.forgetGateBias ?? stagger // forget gate
                p[offset + cells + 2 * blocks + b] = stagger                         // output gate
            }
        }
        setPartBiases(offset: chordBias, cells: t.chordCells, blocks: t.chordBlocks)
        setPartBiases(offset: melodyBias, cells: t.melodyCells, blocks: t.melodyBlocks)
        for i in 0..<t.chordOutputs { p[chordOutBias + i] = initialization.outputBias }
        for i in 0..<t.melodyClasses { p[melodyOutBias + i] = initialization.outputBias }
        return p
    }
}
