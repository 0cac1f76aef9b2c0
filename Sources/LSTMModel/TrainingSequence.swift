/// One training sequence (e.g. a 96-slice chorus or longer), teacher-forced: at step t the
/// network sees the inputs of slice t and is trained to predict the targets, which the
/// caller sets to describe slice t+1.
///
/// All arrays are flat and row-major over time.
public struct TrainingSequence: Sendable, Equatable {
    /// Number of steps T.
    public var length: Int
    /// [T * chordInputs]
    public var chordInputs: [Float]
    /// [T * melodyInputs]
    public var melodyInputs: [Float]
    /// [T * chordOutputs], each 0 or 1 (values in between are allowed: soft targets).
    public var chordTargets: [Float]
    /// [T], each a class in 0..<melodyClasses.
    public var melodyTargets: [Int32]

    public init(length: Int, chordInputs: [Float], melodyInputs: [Float],
                chordTargets: [Float], melodyTargets: [Int32]) {
        self.length = length
        self.chordInputs = chordInputs
        self.melodyInputs = melodyInputs
        self.chordTargets = chordTargets
        self.melodyTargets = melodyTargets
    }

    /// A reason this sequence does not fit `topology`, or nil.
    public func problem(for topology: Topology) -> String? {
        if length < 1 { return "length is \(length)" }
        if chordInputs.count != length * topology.chordInputs {
            return "chordInputs has \(chordInputs.count) values, expected \(length) x \(topology.chordInputs)"
        }
        if melodyInputs.count != length * topology.melodyInputs {
            return "melodyInputs has \(melodyInputs.count) values, expected \(length) x \(topology.melodyInputs)"
        }
        if chordTargets.count != length * topology.chordOutputs {
            return "chordTargets has \(chordTargets.count) values, expected \(length) x \(topology.chordOutputs)"
        }
        if melodyTargets.count != length {
            return "melodyTargets has \(melodyTargets.count) values, expected \(length)"
        }
        for (t, c) in melodyTargets.enumerated() where c < 0 || Int(c) >= topology.melodyClasses {
            return "melodyTargets[\(t)] is \(c), outside 0..<\(topology.melodyClasses)"
        }
        for (i, y) in chordTargets.enumerated() where !(y >= 0 && y <= 1) {
            return "chordTargets[\(i)] is \(y), outside [0, 1]"
        }
        return nil
    }
}

/// Cross-entropy loss per slice: chord = sum over chord units of binary cross-entropy,
/// melody = categorical cross-entropy of the melody class; total = chord + melody.
public struct LossStats: Sendable, Equatable, CustomStringConvertible {
    /// Sum over slices of the chord loss.
    public var chordSum: Double
    /// Sum over slices of the melody loss.
    public var melodySum: Double
    /// Number of slices.
    public var slices: Int

    public init(chordSum: Double = 0, melodySum: Double = 0, slices: Int = 0) {
        self.chordSum = chordSum
        self.melodySum = melodySum
        self.slices = slices
    }

    /// Chord loss per slice.
    public var chord: Double { slices > 0 ? chordSum / Double(slices) : 0 }
    /// Melody loss per slice.
    public var melody: Double { slices > 0 ? melodySum / Double(slices) : 0 }
    /// Total loss per slice.
    public var total: Double { chord + melody }

    public static func + (a: LossStats, b: LossStats) -> LossStats {
        LossStats(chordSum: a.chordSum + b.chordSum, melodySum: a.melodySum + b.melodySum,
                  slices: a.slices + b.slices)
    }

    public var description: String {
        "loss \(total) per slice (chord \(chord), melody \(melody)) over \(slices) slices"
    }
}
