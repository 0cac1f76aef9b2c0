/// The kind of recurrent unit each part of the network is built from.
public enum CellKind: String, Codable, Sendable, CaseIterable {
    /// Memory-cell blocks of LSTM with forget gates (Gers, Schmidhuber & Cummins 2000), as in
    /// Eck & Schmidhuber (2002): every block has one input gate, one forget gate and one output
    /// gate shared by its cells; no peephole connections.
    case lstm
    /// Plain tanh units, `blocks * cellsPerBlock` of them per part, with the same connectivity:
    /// the comparison network of paper 004.
    case tanhRNN
}

/// The shape of the chord-and-melody network (Eck & Schmidhuber 2002, section 4.1).
///
/// Two parts of recurrent units:
/// - chord cells see the chord inputs x_c(t) and their own previous outputs h_c(t-1);
/// - melody cells see the melody inputs x_m(t) and the previous outputs of both parts,
///   h_c(t-1) and h_m(t-1). Melody information never reaches the chord cells.
///
/// Outputs, predicting the next slice:
/// - chord units y_c = sigmoid(W [h_c(t), x_c(t)] + b), `chordOutputs` independent binary units;
/// - melody classes p_m = softmax(W [h_m(t), x_m(t)] + b) over `melodyClasses`.
///
/// The module knows nothing about music: the caller decides what the units mean.
public struct Topology: Codable, Sendable, Hashable {
    public var chordInputs: Int
    public var melodyInputs: Int
    public var chordOutputs: Int
    public var melodyClasses: Int
    public var chordBlocks: Int
    public var chordCellsPerBlock: Int
    public var melodyBlocks: Int
    public var melodyCellsPerBlock: Int
    public var cellKind: CellKind

    public init(chordInputs: Int, melodyInputs: Int, chordOutputs: Int, melodyClasses: Int,
                chordBlocks: Int, chordCellsPerBlock: Int,
                melodyBlocks: Int, melodyCellsPerBlock: Int,
                cellKind: CellKind = .lstm) {
        self.chordInputs = chordInputs
        self.melodyInputs = melodyInputs
        self.chordOutputs = chordOutputs
        self.melodyClasses = melodyClasses
        self.chordBlocks = chordBlocks
        self.chordCellsPerBlock = chordCellsPerBlock
        self.melodyBlocks = melodyBlocks
        self.melodyCellsPerBlock = melodyCellsPerBlock
        self.cellKind = cellKind
    }

    /// The default network for the paper's slice encoding (13 chord units, 15 melody units,
    /// 27 melody classes): the paper's own size, 4 blocks of 2 cells for each part
    /// (2,014 parameters, about 1 µs per step).
    ///
    /// Why this size: on the synthetic blues stand-in (`lstm-dev experiment`, dev/README.md:
    /// a 12-bar form that needs counting, two melody lines per bar) it is the smallest size
    /// that learns reliably and fast. Seconds on 2 cores until the free-running network
    /// reproduces the chord form, five seeds, Adam 0.01, batches of 4: 4x2 (this) 1.6-5.9,
    /// median 2.3; 8x2 1.1-4.9, median 1.7 (fewer epochs, but ~1.7x the cost per step); 4x4
    /// 2.1-4.4 and one seed not within 60 s; 4x1 4.7-24; 2x2 9-15 and two seeds not within
    /// 60 s. With the trainer's defaults (batches of 2) this size takes 1.7-3.6 s.
    public static func `default`(chordInputs: Int = 13, melodyInputs: Int = 15,
                                 melodyClasses: Int = 27, cellKind: CellKind = .lstm) -> Topology {
        Topology(chordInputs: chordInputs, melodyInputs: melodyInputs, chordOutputs: chordInputs,
                 melodyClasses: melodyClasses, chordBlocks: 4, chordCellsPerBlock: 2,
                 melodyBlocks: 4, melodyCellsPerBlock: 2, cellKind: cellKind)
    }

    /// Recurrent units in the chord part (cells, or tanh units for `.tanhRNN`).
    public var chordCells: Int { chordBlocks * chordCellsPerBlock }
    /// Recurrent units in the melody part.
    public var melodyCells: Int { melodyBlocks * melodyCellsPerBlock }

    /// Pre-activations per step in the chord part: cell inputs then, for LSTM, one input,
    /// forget and output gate per block (see `ParameterLayout`).
    public var chordGateWidth: Int {
        cellKind == .lstm ? chordCells + 3 * chordBlocks : chordCells
    }
    /// Pre-activations per step in the melody part.
    public var melodyGateWidth: Int {
        cellKind == .lstm ? melodyCells + 3 * melodyBlocks : melodyCells
    }

    /// A reason this topology cannot be built, or nil when it is valid.
    public var problem: String? {
        let fields: [(String, Int)] = [
            ("chordInputs", chordInputs), ("melodyInputs", melodyInputs),
            ("chordOutputs", chordOutputs), ("melodyClasses", melodyClasses),
            ("chordBlocks", chordBlocks), ("chordCellsPerBlock", chordCellsPerBlock),
            ("melodyBlocks", melodyBlocks), ("melodyCellsPerBlock", melodyCellsPerBlock),
        ]
        for (name, value) in fields where value < 1 {
            return "\(name) is \(value), must be at least 1"
        }
        for (name, value) in fields where value > 4096 {
            return "\(name) is \(value), larger than 4096"
        }
        if melodyClasses < 2 { return "melodyClasses is \(melodyClasses), must be at least 2" }
        return nil
    }
}
