import Composer
import Foundation
import FuzzSupport
import LSTMModel
import MusicCore

// Model file bytes -> SafeTensorsFile (every tensor read with every accessor) -> Network ->
// ImprovModel. Properties: never traps; every error is a ModelFileError naming the file;
// a model that loads is saved and loaded back unchanged.

/// Runs one input (called by fuzz/main for IMPROV_FUZZ_TARGET=model).
public func fuzzModel(_ input: [UInt8]) {
    let bytes = input
    expectModelFileError(named: "fuzz.safetensors") {
        let file = try SafeTensorsFile(bytes: bytes, file: "fuzz.safetensors")
        for tensor in file.tensors {
            // Each accessor either returns every element or refuses the dtype.
            for read in [{ try file.floats(tensor.name, converting: true).count },
                         { try file.doubles(tensor.name).count },
                         { try file.int64s(tensor.name).count },
                         { try file.int32s(tensor.name).count },
                         { try file.rawBytes(tensor.name).count / tensor.dtype.byteSize }] {
                if let count = try? read(), count != tensor.elementCount {
                    fuzzFailure("tensor \(tensor.name) read \(count) of \(tensor.elementCount) elements")
                }
            }
        }
    }
    expectModelFileError(named: "fuzz.safetensors") {
        let model = try ImprovModel.load(bytes: bytes, file: "fuzz.safetensors")
        let again = try ImprovModel.load(bytes: try model.bytes(), file: "saved.safetensors")
        guard again.network == model.network, again.encoding == model.encoding, again.key == model.key,
              again.training == model.training else {
            fuzzFailure("a model changed when saved and loaded back")
        }
    }
}

/// Runs `body`; any error it throws must be a ModelFileError naming `file`.
func expectModelFileError(named file: String, _ body: () throws -> Void) {
    do {
        try body()
    } catch let error as ModelFileError {
        guard error.file == file else { fuzzFailure("error names \(error.file), not \(file): \(error)") }
    } catch {
        fuzzFailure("an error that is not a ModelFileError: \(error)")
    }
}

/// Small valid files, written by the repo's own writers: a tiny improv model (one block of
/// one cell per part, the Eck encoding), a tiny plain network of each cell kind, and a
/// safetensors file with every dtype the accessors read plus an empty tensor.
public func modelSeeds() throws -> [(name: String, bytes: [UInt8])] {
    let encoding = SliceEncoding.eck
    let tiny = Topology(chordInputs: encoding.chordInputSize, melodyInputs: encoding.melodyInputSize,
                        chordOutputs: encoding.chordInputSize, melodyClasses: encoding.melodyClassCount,
                        chordBlocks: 1, chordCellsPerBlock: 1, melodyBlocks: 1, melodyCellsPerBlock: 1)
    let model = ImprovModel(network: Network(topology: tiny, seed: 1), encoding: encoding, key: Key("F")!,
                            training: ["corpus": "fuzz seed", "epochs": "0"])
    var seeds: [(name: String, bytes: [UInt8])] = [("tiny-improv-model.safetensors", try model.bytes())]
    for kind in CellKind.allCases {
        let smallest = Topology(chordInputs: 1, melodyInputs: 1, chordOutputs: 1, melodyClasses: 2,
                                chordBlocks: 1, chordCellsPerBlock: 1, melodyBlocks: 1, melodyCellsPerBlock: 2,
                                cellKind: kind)
        seeds.append(("smallest-\(kind.rawValue).safetensors",
                      try Network(topology: smallest, seed: 2).modelFileBytes(metadata: ["note": "plain network"])))
    }
    var writer = SafeTensorsWriter(metadata: ["purpose": "every dtype"])
    writer.add("f32", floats: [1.5, -2, .infinity, 0], shape: [2, 2])
    writer.add("f64", doubles: [0.25, 1e300], shape: [2])
    writer.add("i32", int32s: [-1, 7, Int32.max], shape: [3, 1])
    writer.add("i64", int64s: [Int64.min, 1 << 40], shape: [2])
    writer.add("empty", floats: [], shape: [0, 3])
    seeds.append(("every-dtype.safetensors", writer.serialized()))
    for seed in seeds { _ = try SafeTensorsFile(bytes: seed.bytes, file: seed.name) }
    _ = try ImprovModel.load(bytes: seeds[0].bytes, file: seeds[0].name)
    return seeds
}
