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
    /// The harmony of the corpus it learnt (a folder's meter, vocabulary, harmonic rhythm and
    /// charts); nil for the Eck blues, which older files without these keys also mean.
    public var harmony: CorpusHarmony?

    public init(network: Network, encoding: SliceEncoding, key: Key = .c, training: [String: String] = [:],
                harmony: CorpusHarmony? = nil) {
        self.network = network
        self.encoding = encoding
        self.key = key
        self.training = training
        self.harmony = harmony
    }

    /// The corpus's harmony, the Eck blues when the file has none.
    public var corpusHarmony: CorpusHarmony { harmony ?? .eckBlues }
    public var meter: Meter { corpusHarmony.meter }
    /// Chord symbols the corpus changes to, most frequent first, with counts.
    public var vocabulary: [ChordCount] { corpusHarmony.vocabulary }
    public var changesPerBar: Double { corpusHarmony.changesPerBar }
    /// The corpus's charts, most common first (the Eck blues for an Eck model).
    public var forms: [ChordForm] {
        guard let harmony else { return [.eckBlues] }
        return harmony.forms
    }

    /// Metadata keys improv adds beside the network's own (format, version, topology).
    static let encodingKey = "encoding", keyKey = "key", trainingPrefix = "training."
    static let meterKey = "meter", vocabularyKey = "harmony.vocabulary", changesKey = "harmony.changes-per-bar",
               formsKey = "harmony.forms"

    public var metadata: [String: String] {
        var m: [String: String] = [:]
        m[Self.encodingKey] = String(decoding: (try? JSONEncoder.sorted.encode(encoding)) ?? Data(), as: UTF8.self)
        m[Self.keyKey] = key.description
        for (k, v) in training { m[Self.trainingPrefix + k] = v }
        if let harmony {
            m[Self.meterKey] = harmony.meter.description
            m[Self.vocabularyKey] = harmony.vocabularyText
            m[Self.changesKey] = String(format: "%.4f", harmony.changesPerBar)
            m[Self.formsKey] = harmony.charts.joined(separator: "\n")
        }
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
        self.init(network: loaded.network, encoding: encoding, key: key, training: training,
                  harmony: try Self.harmony(loaded.metadata, file: file))
    }

    /// The harmony keys, all or none (none: the Eck blues).
    static func harmony(_ metadata: [String: String], file: String) throws -> CorpusHarmony? {
        guard let meterText = metadata[meterKey] else { return nil }
        guard let meter = Meter(meterText) else {
            throw ModelFileError(file: file, reason: "metadata \"meter\" is \"\(meterText)\", not a meter such as 4/4 or 6/8")
        }
        guard let v = metadata[vocabularyKey], let vocabulary = CorpusHarmony.vocabulary(text: v) else {
            throw ModelFileError(file: file, reason: "metadata \"\(vocabularyKey)\" is missing or not SYMBOL:COUNT pairs such as \"C:12 G7:5\"")
        }
        guard let c = metadata[changesKey], let changes = Double(c), changes >= 0 else {
            throw ModelFileError(file: file, reason: "metadata \"\(changesKey)\" is missing or not a number of changes a bar")
        }
        let charts = (metadata[formsKey] ?? "").split(separator: "\n").map(String.init)
        for (i, chart) in charts.enumerated() {
            do { _ = try ChordForm(chart: chart, meter: meter) } catch {
                throw ModelFileError(file: file, reason: "metadata \"\(formsKey)\", chart \(i + 1): \(error)")
            }
        }
        return CorpusHarmony(meter: meter, vocabulary: vocabulary, changesPerBar: changes, charts: charts)
    }

    /// With `decodeChords`, free-running chords are chords of the corpus's vocabulary (ChordDecoder).
    public func predictor(sampling: SamplingOptions = .paper, name: String = "LSTM", decodeChords: Bool = false) -> LSTMPredictor {
        let p = LSTMPredictor(network: network, encoding: encoding, sampling: sampling, name: name)
        if decodeChords { p.chordDecoder = ChordDecoder(model: self) }
        return p
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
