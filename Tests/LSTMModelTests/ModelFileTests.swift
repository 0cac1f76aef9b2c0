import Foundation
import XCTest
@testable import LSTMModel

final class ModelFileTests: XCTestCase {
    func testSaveLoadRoundTrip() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for kind in CellKind.allCases {
            let net = Network(topology: .default(cellKind: kind), seed: 42)
            let url = dir.appendingPathComponent("model-\(kind).safetensors")
            let meta = ["encoding": "{\"chordLow\":48}", "key": "C", "epochs": "12"]
            try net.save(to: url, metadata: meta)
            let loaded = try Network.load(from: url)
            XCTAssertEqual(loaded.network, net)
            XCTAssertEqual(loaded.metadata, meta)
            // Saving again over the file replaces it atomically and leaves no temporary files.
            var changed = net
            changed.parameters[0] += 1
            try changed.save(to: url, metadata: [:])
            XCTAssertEqual(try Network.load(from: url).network, changed)
            XCTAssertEqual(try Network.load(from: url).metadata, [:])
        }
        XCTAssertEqual(Set(try FileManager.default.contentsOfDirectory(atPath: dir.path)),
                       ["model-lstm.safetensors", "model-tanhRNN.safetensors"], "no temporary files left")
    }

    func testFileLayout() throws {
        let net = Network(topology: tinyTopology(.lstm), seed: 1)
        let st = try SafeTensorsFile(bytes: try net.modelFileBytes(metadata: ["x": "y"]), file: "m")
        XCTAssertEqual(st.metadata["format"], "improv-lstm")
        XCTAssertEqual(st.metadata["version"], "1")
        XCTAssertEqual(st.metadata["x"], "y")
        XCTAssertEqual(try JSONDecoder().decode(Topology.self, from: Data(st.metadata["topology"]!.utf8)), net.topology)
        XCTAssertEqual(st.tensors.map(\.name), ParameterLayout.tensorNames())
        for slot in net.layout.tensors {
            XCTAssertEqual(st.info(slot.name)?.dtype, .F32)
            XCTAssertEqual(st.info(slot.name)?.shape, slot.shape)
            XCTAssertEqual(try st.floats(slot.name), net.tensor(named: slot.name))
        }
    }

    func testReservedMetadataKeyRejected() {
        let net = Network(topology: tinyTopology(.lstm), seed: 1)
        XCTAssertThrowsError(try net.save(to: URL(fileURLWithPath: "/tmp/never-written.safetensors"), metadata: ["format": "x"])) {
            XCTAssertEqual(($0 as? ModelFileError)?.reason, "metadata key \"format\" is reserved")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/tmp/never-written.safetensors"))
    }

    func testWriteFailureNamesFile() {
        let net = Network(topology: tinyTopology(.lstm), seed: 1)
        let url = URL(fileURLWithPath: "/nonexistent-dir-\(UUID().uuidString)/m.safetensors")
        XCTAssertThrowsError(try net.save(to: url)) {
            XCTAssertEqual(($0 as? ModelFileError)?.file, url.path)
            XCTAssertTrue(($0 as? ModelFileError)?.reason.hasPrefix("cannot write") == true)
        }
    }

    /// Model files with the right safetensors structure but wrong content.
    func testBadModelFiles() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let net = Network(topology: tinyTopology(.lstm), seed: 1)
        let topologyJSON = net.topology.jsonString
        let good = ["format": "improv-lstm", "version": "1", "topology": topologyJSON]

        func file(meta: [String: String]?, skip: String? = nil, f64: String? = nil, shape: (String, [Int])? = nil,
                  extra: Bool = false, nan: Bool = false) -> [UInt8] {
            var w = SafeTensorsWriter(metadata: meta ?? [:])
            for slot in net.layout.tensors where slot.name != skip {
                var values = net.tensor(named: slot.name)!
                if nan && slot.name == "melody.bias" { values[1] = .nan }
                if slot.name == f64 {
                    w.add(slot.name, doubles: values.map(Double.init), shape: slot.shape)
                } else if let (name, s) = shape, name == slot.name {
                    w.add(slot.name, floats: values, shape: s)
                } else {
                    w.add(slot.name, floats: values, shape: slot.shape)
                }
            }
            if extra { w.add("dropout.mask", floats: [1], shape: [1]) }
            return w.serialized()
        }
        var wrongTopology = net.topology
        wrongTopology.melodyClasses = 7
        var badTopology = net.topology
        badTopology.chordBlocks = 0
        let cs = net.layout.slot(named: "chord.weight")!.shape
        let valid = file(meta: good)
        let cases: [(String, [UInt8], String)] = [
            ("foreign", file(meta: nil), "not an improv model: the safetensors metadata has no \"format\""),
            ("foreign-meta", file(meta: ["framework": "pt"]), "not an improv model"),
            ("wrong-format", file(meta: good.merging(["format": "other"]) { $1 }), "format is \"other\""),
            ("wrong-version", file(meta: good.merging(["version": "2"]) { $1 }), "version \"2\" is not supported"),
            ("no-topology", file(meta: good.filter { $0.key != "topology" }), "no \"topology\""),
            ("bad-topology-json", file(meta: good.merging(["topology": "{\"chordInputs\": 4"]) { $1 }), "not a valid topology"),
            ("invalid-topology", file(meta: good.merging(["topology": badTopology.jsonString]) { $1 }), "chordBlocks is 0"),
            ("missing-tensor", file(meta: good, skip: "melody_out.bias"), "missing tensor \"melody_out.bias\""),
            ("wrong-dtype", file(meta: good, f64: "chord.bias"), "tensor \"chord.bias\" has dtype F64, expected F32"),
            ("shape-mismatch", file(meta: good, shape: ("chord.weight", [cs[1], cs[0]])),
             "tensor \"chord.weight\" has shape [\(cs[1]), \(cs[0])], the topology needs \(cs)"),
            ("topology-mismatch", file(meta: good.merging(["topology": wrongTopology.jsonString]) { $1 }),
             "tensor \"melody_out.weight\" has shape"),
            ("extra-tensor", file(meta: good, extra: true), "unexpected tensor \"dropout.mask\""),
            ("nan", file(meta: good, nan: true), "non-finite value"),
            ("truncated", Array(valid.dropLast(10)), "out of bounds"),
            ("truncated-header", Array(valid.prefix(40)), "header length"),
        ]
        XCTAssertNoThrow(try Network.load(bytes: valid, file: "valid"))
        for (name, bytes, expected) in cases {
            let url = dir.appendingPathComponent("\(name).safetensors")
            try Data(bytes).write(to: url)
            XCTAssertThrowsError(try Network.load(from: url), name) { error in
                guard let e = error as? ModelFileError else { return XCTFail("\(name): \(error)") }
                XCTAssertEqual(e.file, url.path, name)
                XCTAssertTrue(e.reason.contains(expected), "\(name): \(e.reason)")
            }
        }
    }
}
