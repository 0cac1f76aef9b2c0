import AtomicFiles
import Foundation

/// A network read from a model file, with the caller's metadata.
public struct LoadedModel: Sendable {
    public var network: Network
    /// The metadata the caller saved (slice encoding, key, training info...), without the
    /// reserved keys "format", "version" and "topology".
    public var metadata: [String: String]
}

/// Model files: safetensors with one F32 tensor per `ParameterLayout` slot, under the same
/// names (`chord.weight`, `chord.bias`, `melody.weight`, `melody.bias`, `chord_out.weight`,
/// `chord_out.bias`, `melody_out.weight`, `melody_out.bias`), and metadata
///
///     "format": "improv-lstm", "version": "1", "topology": JSON of `Topology`
///
/// plus the caller's own string metadata.
extension Network {
    public static let fileFormat = "improv-lstm"
    public static let fileVersion = "1"
    public static let reservedMetadataKeys: Set<String> = ["format", "version", "topology"]

    /// The model file's bytes.
    public func modelFileBytes(metadata: [String: String] = [:]) throws -> [UInt8] {
        if let bad = metadata.keys.first(where: { Self.reservedMetadataKeys.contains($0) }) {
            throw ModelFileError(file: "(model)", reason: "metadata key \"\(bad)\" is reserved")
        }
        var meta = metadata
        meta["format"] = Self.fileFormat
        meta["version"] = Self.fileVersion
        meta["topology"] = topology.jsonString
        var w = SafeTensorsWriter(metadata: meta)
        for slot in layout.tensors {
            w.add(slot.name, floats: Array(parameters[slot.offset..<(slot.offset + slot.count)]), shape: slot.shape)
        }
        return w.serialized()
    }

    /// Saves the network atomically (AtomicFiles: temporary file in the same folder, synced,
    /// then renamed), so a crash or a full disk leaves the old file whole.
    /// `metadata` must not use the keys "format", "version" or "topology".
    public func save(to url: URL, metadata: [String: String] = [:]) throws {
        let bytes: [UInt8]
        do { bytes = try modelFileBytes(metadata: metadata) } catch let e as ModelFileError {
            throw ModelFileError(file: url.path, reason: e.reason)
        }
        do {
            try AtomicFile.write(bytes, to: url.path)
        } catch {
            throw ModelFileError(file: url.path, reason: error.reason)
        }
    }

    /// Loads and checks a model file; every problem is a `ModelFileError` naming the file.
    public static func load(from url: URL) throws -> LoadedModel {
        try load(SafeTensorsFile(contentsOf: url))
    }

    /// Loads from bytes in memory; `file` names them in errors.
    public static func load(bytes: [UInt8], file: String) throws -> LoadedModel {
        try load(SafeTensorsFile(bytes: bytes, file: file))
    }

    static func load(_ st: SafeTensorsFile) throws -> LoadedModel {
        func fail(_ reason: String) -> ModelFileError { ModelFileError(file: st.file, reason: reason) }
        guard let format = st.metadata["format"] else {
            throw fail("not an improv model: the safetensors metadata has no \"format\": \"\(fileFormat)\" entry")
        }
        guard format == fileFormat else { throw fail("format is \"\(format)\", expected \"\(fileFormat)\"") }
        guard let version = st.metadata["version"] else { throw fail("metadata has no \"version\"") }
        guard version == fileVersion else { throw fail("version \"\(version)\" is not supported (this build reads \"\(fileVersion)\")") }
        guard let topologyJSON = st.metadata["topology"] else { throw fail("metadata has no \"topology\"") }
        let topology: Topology
        do {
            topology = try JSONDecoder().decode(Topology.self, from: Data(topologyJSON.utf8))
        } catch {
            throw fail("metadata \"topology\" is not a valid topology: \(SafeTensorsFile.describe(error))")
        }
        if let problem = topology.problem { throw fail("topology is invalid: \(problem)") }
        let layout = ParameterLayout(topology)
        // Every tensor is checked against the topology before the parameters are allocated:
        // a small file claiming a huge topology is refused, not allocated (a 288-byte file
        // claiming 4096 of everything asked for 3 PB; found writing the model fuzz target).
        for slot in layout.tensors {
            guard let info = st.info(slot.name) else { throw fail("missing tensor \"\(slot.name)\"") }
            guard info.dtype == .F32 else {
                throw fail("tensor \"\(slot.name)\" has dtype \(info.dtype.rawValue), expected F32")
            }
            guard info.shape == slot.shape else {
                throw fail("tensor \"\(slot.name)\" has shape \(info.shape), the topology needs \(slot.shape)")
            }
        }
        var parameters: [Float] = []
        parameters.reserveCapacity(layout.count)
        for slot in layout.tensors {  // slots tile 0..<layout.count in order
            let values = try st.floats(slot.name)
            if let bad = values.firstIndex(where: { !$0.isFinite }) {
                throw fail("tensor \"\(slot.name)\" holds a non-finite value (\(values[bad])) at index \(bad)")
            }
            parameters += values
        }
        if let extra = st.tensors.first(where: { layout.slot(named: $0.name) == nil }) {
            throw fail("unexpected tensor \"\(extra.name)\" (not part of the topology)")
        }
        var meta = st.metadata
        for k in reservedMetadataKeys { meta[k] = nil }
        return LoadedModel(network: Network(topology: topology, parameters: parameters), metadata: meta)
    }
}

extension Topology {
    /// Compact JSON with sorted keys (as stored in model files).
    public var jsonString: String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return String(decoding: try! e.encode(self), as: UTF8.self)
    }
}
