import Foundation
import XCTest
@testable import LSTMModel

/// improv's files read by the Python safetensors library, and Python's files read by improv.
/// Needs python3 with numpy and safetensors (`pip install safetensors numpy`); skipped
/// without them.
final class PythonInteropTests: XCTestCase {
    let script = packageRoot.appendingPathComponent("Tests/interop/safetensors_check.py").path

    func runPython(_ arguments: [String]) throws -> (status: Int32, stdout: Data, stderr: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3"] + arguments
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, o, String(decoding: e, as: UTF8.self))
    }

    func requirePython() throws {
        let probe = try? runPython(["-c", "import numpy, safetensors.numpy"])
        // The test command installs them (scripts/install-deps.sh): missing is a failure, not a skip.
        if probe?.status != 0 { throw PythonMissing() }
    }

    struct PythonMissing: Error, CustomStringConvertible {
        var description: String { "python3 with numpy and safetensors is not installed (run scripts/install-deps.sh)" }
    }

    struct Report: Decodable {
        struct Tensor: Decodable { var dtype: String; var shape: [Int]; var sum: Double; var weighted: Double }
        var tensors: [String: Tensor]
        var metadata: [String: String]
    }

    func testPythonLoadsImprovModelFiles() throws {
        try requirePython()
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for kind in CellKind.allCases {
            let net = Network(topology: .default(cellKind: kind), seed: 7)
            let url = dir.appendingPathComponent("model.safetensors")
            let meta = ["encoding": "{\"chordLow\":48,\"melodyLow\":60}", "key": "B♭", "note": "a \"quoted\"\nline"]
            try net.save(to: url, metadata: meta)
            let run = try runPython([script, url.path])
            XCTAssertEqual(run.status, 0, run.stderr)
            let report = try JSONDecoder().decode(Report.self, from: run.stdout)
            XCTAssertEqual(report.metadata, meta.merging(["format": "improv-lstm", "version": "1",
                                                          "topology": net.topology.jsonString]) { $1 })
            XCTAssertEqual(Set(report.tensors.keys), Set(ParameterLayout.tensorNames()))
            for slot in net.layout.tensors {
                let t = try XCTUnwrap(report.tensors[slot.name])
                let values = net.tensor(named: slot.name)!.map(Double.init)
                let sum = values.reduce(0, +)
                let weighted = values.enumerated().reduce(0.0) { $0 + Double($1.offset + 1) * $1.element }
                XCTAssertEqual(t.dtype, "float32")
                XCTAssertEqual(t.shape, slot.shape)
                XCTAssertEqual(t.sum, sum, accuracy: 1e-9 * max(1, abs(sum)), slot.name)
                XCTAssertEqual(t.weighted, weighted, accuracy: 1e-9 * max(1, abs(weighted)), slot.name)
            }
        }
    }

    /// The Python library also refuses what improv refuses (a truncated improv file).
    func testPythonRefusesTruncatedFile() throws {
        try requirePython()
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("cut.safetensors")
        try Data(try Network(topology: .default(), seed: 1).modelFileBytes().dropLast(4)).write(to: url)
        XCTAssertNotEqual(try runPython([script, url.path]).status, 0)
    }

    func testImprovLoadsFreshPythonFile() throws {
        try requirePython()
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("py.safetensors")
        let run = try runPython([script, "--write", url.path])
        XCTAssertEqual(run.status, 0, run.stderr)
        try checkPythonWritten(url)
        // Not an improv model, and the loader says so.
        XCTAssertThrowsError(try Network.load(from: url)) {
            XCTAssertTrue(($0 as? ModelFileError)?.reason.contains("not an improv model") == true, "\($0)")
        }
    }
}
