import Foundation
import LSTMModel
import MusicCore

/// A trained model as improv uses it: the network, the slice encoding it was trained with,
/// the key of its training data, and how it was trained, all kept in one safetensors file.
public struct ImprovModel: Sendable {
    public var network: Network
    public var encoding: SliceEncoding
    /// The key the training data was in (the Eck corpus is in C); players are transposed to it.
    public var key: Key
    /// Free-form facts about training (corpus, optimizer, epochs, seed, losses), as stored.
    public var training: [String: String]

    public init(network: Network, encoding: SliceEncoding, key: Key = .c, training: [String: String] = [:]) {
        self.network = network
        self.encoding = encoding
        self.key = key
        self.training = training
    }

    /// Metadata keys improv adds beside the network's own (format, version, topology).
    static let encodingKey = "encoding", keyKey = "key", trainingPrefix = "training."

    public var metadata: [String: String] {
        var m: [String: String] = [:]
        m[Self.encodingKey] = String(decoding: (try? JSONEncoder.sorted.encode(encoding)) ?? Data(), as: UTF8.self)
        m[Self.keyKey] = key.description
        for (k, v) in training { m[Self.trainingPrefix + k] = v }
        return m
    }

    public func save(path: String) throws {
        try network.save(to: URL(fileURLWithPath: path), metadata: metadata)
    }

    public func bytes() throws -> [UInt8] { try network.modelFileBytes(metadata: metadata) }

    public static func load(path: String) throws -> ImprovModel {
        let loaded = try Network.load(from: URL(fileURLWithPath: path))
        return try ImprovModel(loaded: loaded, file: path)
    }

    public static func load(bytes: [UInt8], file: String) throws -> ImprovModel {
        try ImprovModel(loaded: try Network.load(bytes: bytes, file: file), file: file)
    }

    init(loaded: LoadedModel, file: String) throws {
        guard let json = loaded.metadata[Self.encodingKey] else {
            throw ModelFileError(file: file, reason: "an LSTM file without improv's slice encoding in its metadata (key \"encoding\")")
        }
        let encoding: SliceEncoding
        do {
            encoding = try JSONDecoder().decode(SliceEncoding.self, from: Data(json.utf8))
        } catch {
            throw ModelFileError(file: file, reason: "metadata \"encoding\" is not a slice encoding: \(json)")
        }
        guard let keyText = loaded.metadata[Self.keyKey], let key = Key(keyText) else {
            throw ModelFileError(file: file, reason: "metadata \"key\" is missing or not a key")
        }
        let topology = loaded.network.topology
        guard topology.chordInputs == encoding.chordInputSize, topology.chordOutputs == encoding.chordInputSize,
              topology.melodyInputs == encoding.melodyInputSize, topology.melodyClasses == encoding.melodyClassCount else {
            throw ModelFileError(file: file, reason: "the network's topology does not fit its slice encoding")
        }
        var training: [String: String] = [:]
        for (k, v) in loaded.metadata where k.hasPrefix(Self.trainingPrefix) { training[String(k.dropFirst(Self.trainingPrefix.count))] = v }
        self.init(network: loaded.network, encoding: encoding, key: key, training: training)
    }

    public func predictor(sampling: SamplingOptions = .paper, name: String = "LSTM") -> LSTMPredictor {
        LSTMPredictor(network: network, encoding: encoding, sampling: sampling, name: name)
    }
}

extension JSONEncoder {
    /// Stable output: the same model gives the same bytes.
    static var sorted: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }
}

extension ImprovModel {
    /// The default model, trained on the Eck corpus and built into improv
    /// (`make default-model` trains it again and regenerates BuiltInModelData.swift).
    public static func builtIn() throws -> ImprovModel {
        let text = BuiltInModelData.base64.split(separator: "\n").joined()
        guard let data = Data(base64Encoded: text) else {
            throw ModelFileError(file: "(built-in model)", reason: "the embedded base64 does not decode")
        }
        return try load(bytes: [UInt8](data), file: "(built-in model)")
    }
}
