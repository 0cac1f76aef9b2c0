import Foundation
@testable import LSTMModel
import SeededRandom

/// The package root (…/Tests/LSTMModelTests/TestSupport.swift -> …), so fixture paths work
/// wherever the package is checked out.
let packageRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

let fixturesDirectory = packageRoot.appendingPathComponent("Tests/LSTMModelTests/Fixtures")

/// A small topology with unequal sizes everywhere, so transposed indices cannot pass.
func tinyTopology(_ kind: CellKind) -> Topology {
    Topology(chordInputs: 4, melodyInputs: 5, chordOutputs: 3, melodyClasses: 6,
             chordBlocks: 2, chordCellsPerBlock: 2, melodyBlocks: 3, melodyCellsPerBlock: 1,
             cellKind: kind)
}

/// A random sequence: multi-hot inputs (about a third of the units on), random targets.
func randomSequence(_ t: Topology, length: Int, seed: UInt64) -> TrainingSequence {
    var rng = SeededGenerator(seed: seed)
    func bit() -> Float { rng.nextIndex(below: 3) == 0 ? 1 : 0 }
    return TrainingSequence(
        length: length,
        chordInputs: (0..<(length * t.chordInputs)).map { _ in bit() },
        melodyInputs: (0..<(length * t.melodyInputs)).map { _ in bit() },
        chordTargets: (0..<(length * t.chordOutputs)).map { _ in bit() },
        melodyTargets: (0..<length).map { _ in Int32(rng.nextIndex(below: t.melodyClasses)) })
}

/// Parameters larger than the default initialisation so every path carries gradient.
func randomParameters(_ t: Topology, seed: UInt64, scale: Float = 0.5) -> [Float] {
    var rng = SeededGenerator(seed: seed)
    return (0..<ParameterLayout(t).count).map { _ in rng.nextSymmetricFloat() * scale }
}

/// max |a - b| / (atol + rtol * |b|) over elements; <= 1 means within tolerance.
func toleranceRatio(_ a: [Double], _ b: [Double], atol: Double, rtol: Double) -> (ratio: Double, index: Int) {
    precondition(a.count == b.count)
    var worst = 0.0, at = -1
    for i in a.indices {
        let r = abs(a[i] - b[i]) / (atol + rtol * abs(b[i]))
        if r > worst || r.isNaN { worst = r.isNaN ? .infinity : r; at = i }
    }
    return (worst, at)
}

/// A uniquely named scratch directory for file tests.
func makeTemporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("lstmmodel-tests-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
