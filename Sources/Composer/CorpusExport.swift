import Foundation
import LSTMModel
import MusicCore

/// A training corpus as slices in improv's own encoding, for trainers outside improv (the
/// PyTorch package in python/improv_torch): safetensors shards plus an index.json, so the other
/// side never parses MIDI and both sides see exactly the same data.
///
/// Every shard holds whole pieces of one split ("training" or "held-out"), their slices one
/// row each, already folded and canonicalized as `TrainingData.sequence` does:
///
///     chord         F32 [S, chordInputSize]    the chord units of each slice (SliceEncoding)
///     melody        F32 [S, melodyInputSize]   the melody input units of each slice
///     melody_class  I32 [S]                    the melody class of each slice
///     piece_starts  I64 [P + 1]                row of each piece's first slice, then S
///
/// A piece of n slices is n - 1 training steps: inputs from slice t, targets (chord units and
/// melody class) from slice t + 1. Shard metadata: "format" "improv-slices", "version" "1",
/// "split", "encoding" (the JSON stored in model files), "corpus", "pieces", "slices".
///
/// index.json lists the shards in order with their split, pieces and slices, the encoding,
/// the network's input and output sizes, and `model_metadata`: the metadata a model trained
/// on this corpus should carry (encoding, key, training.corpus, a folder's harmony), so that
/// `improv eval` and `improv jam` treat it as they treat a model of `improv train`.
public struct CorpusExport: Sendable {
    public static let format = "improv-slices"
    public static let version = "1"
    public static let indexName = "index.json"

    public struct Shard: Sendable {
        public var name: String
        public var split: String
        public var pieces: Int
        public var slices: Int
        public var bytes: [UInt8]
    }

    public var shards: [Shard]
    /// index.json's bytes (written last, so a folder with an index is whole).
    public var index: [UInt8]

    /// Splits `corpus` into shards of at most `shardSlices` slices (a longer piece gets a shard
    /// of its own).
    public init(corpus: TrainingCorpus, encoding: SliceEncoding, shardSlices: Int = 1_000_000) {
        precondition(shardSlices >= 2, "shardSlices must be at least 2")
        let model = ImprovModel(network: Network(topology: TrainingData.topology(for: encoding, like: .default()), seed: 0),
                                encoding: encoding, key: .c, training: ["corpus": corpus.description], harmony: corpus.harmony)
        let modelMetadata = model.metadata
        let encodingJSON = modelMetadata[ImprovModel.encodingKey] ?? ""
        var shards: [Shard] = []
        for (split, pieces) in [("training", corpus.training), ("held-out", corpus.heldOut)] {
            var group: [[Slice]] = []
            var count = 0
            func flush() {
                guard !group.isEmpty else { return }
                let name = String(format: "%@-%05d.safetensors", split, shards.filter { $0.split == split }.count)
                shards.append(Self.shard(name: name, split: split, pieces: group, encoding: encoding,
                                         encodingJSON: encodingJSON, corpus: corpus.description))
                group = []
                count = 0
            }
            for piece in pieces where piece.count >= 2 {
                if count > 0 && count + piece.count > shardSlices { flush() }
                group.append(piece.map(encoding.folded).canonicalized())
                count += piece.count
            }
            flush()
        }
        self.shards = shards
        index = Self.indexBytes(shards: shards, encoding: encoding, encodingJSON: encodingJSON,
                                corpus: corpus.description, modelMetadata: modelMetadata)
    }

    static func shard(name: String, split: String, pieces: [[Slice]], encoding: SliceEncoding,
                      encodingJSON: String, corpus: String) -> Shard {
        let ic = encoding.chordInputSize, im = encoding.melodyInputSize
        let total = pieces.reduce(0) { $0 + $1.count }
        var chord = [Float](repeating: 0, count: total * ic)
        var melody = [Float](repeating: 0, count: total * im)
        var classes = [Int32](repeating: 0, count: total)
        var starts: [Int64] = []
        var row = 0
        chord.withUnsafeMutableBufferPointer { c in
            melody.withUnsafeMutableBufferPointer { m in
                for piece in pieces {
                    starts.append(Int64(row))
                    for slice in piece {
                        encoding.encodeChord(slice, into: UnsafeMutableBufferPointer(rebasing: c[(row * ic)..<((row + 1) * ic)]))
                        encoding.encodeMelody(slice, into: UnsafeMutableBufferPointer(rebasing: m[(row * im)..<((row + 1) * im)]))
                        classes[row] = Int32(encoding.melodyClass(slice.melody))
                        row += 1
                    }
                }
            }
        }
        starts.append(Int64(row))
        var w = SafeTensorsWriter(metadata: [
            "format": format, "version": version, "split": split, "encoding": encodingJSON, "corpus": corpus,
            "pieces": "\(pieces.count)", "slices": "\(total)",
        ])
        w.add("chord", floats: chord, shape: [total, ic])
        w.add("melody", floats: melody, shape: [total, im])
        w.add("melody_class", int32s: classes, shape: [total])
        w.add("piece_starts", int64s: starts, shape: [starts.count])
        return Shard(name: name, split: split, pieces: pieces.count, slices: total, bytes: w.serialized())
    }

    struct Index: Encodable {
        struct Entry: Encodable {
            var file: String
            var split: String
            var pieces: Int
            var slices: Int
        }
        var format: String
        var version: String
        var corpus: String
        var encoding: SliceEncoding
        var chord_inputs: Int
        var melody_inputs: Int
        var melody_classes: Int
        var model_metadata: [String: String]
        var shards: [Entry]
    }

    static func indexBytes(shards: [Shard], encoding: SliceEncoding, encodingJSON: String, corpus: String,
                           modelMetadata: [String: String]) -> [UInt8] {
        let index = Index(format: format, version: version, corpus: corpus, encoding: encoding,
                          chord_inputs: encoding.chordInputSize, melody_inputs: encoding.melodyInputSize,
                          melody_classes: encoding.melodyClassCount, model_metadata: modelMetadata,
                          shards: shards.map { Index.Entry(file: $0.name, split: $0.split, pieces: $0.pieces, slices: $0.slices) })
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        return [UInt8](try! e.encode(index)) + [UInt8(ascii: "\n")]
    }

    /// Slices per split, for the command's summary.
    public func slices(split: String) -> Int { shards.filter { $0.split == split }.reduce(0) { $0 + $1.slices } }
    public func pieces(split: String) -> Int { shards.filter { $0.split == split }.reduce(0) { $0 + $1.pieces } }
}
