import Foundation
import XCTest
@testable import LSTMModel

/// A safetensors file from a literal header and data bytes (header padded to 8).
func rawSafeTensors(header: String, data: [UInt8], declaredLength: UInt64? = nil) -> [UInt8] {
    var h = Array(header.utf8)
    while h.count % 8 != 0 { h.append(0x20) }
    var n = (declaredLength ?? UInt64(h.count)).littleEndian
    var out: [UInt8] = []
    withUnsafeBytes(of: &n) { out += $0 }
    return out + h + data
}

final class SafeTensorsTests: XCTestCase {
    func testRoundTripAllDTypes() throws {
        var w = SafeTensorsWriter(metadata: ["a": "1", "quote\"key": "line\nbreak é \u{1}"])
        w.add("f", floats: [1.5, -2, .pi, 0x1p-140], shape: [2, 2])
        w.add("d", doubles: [1.0 / 3, -1e300], shape: [2])
        w.add("i", int32s: [Int32.min, -1, Int32.max], shape: [3, 1])
        w.add("l", int64s: [Int64.min, 42], shape: [2])
        w.add("empty", floats: [], shape: [0, 4])
        let bytes = w.serialized()
        let headerLength = bytes[0..<8].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        XCTAssertEqual((8 + headerLength) % 8, 0, "header padded to a multiple of 8")
        let f = try SafeTensorsFile(bytes: bytes, file: "mem")
        XCTAssertEqual(f.metadata, ["a": "1", "quote\"key": "line\nbreak é \u{1}"])
        XCTAssertEqual(try f.floats("f"), [1.5, -2, .pi, 0x1p-140])
        XCTAssertEqual(try f.doubles("f"), [1.5, -2, Double(Float.pi), Double(Float(0x1p-140))])
        XCTAssertEqual(try f.doubles("d"), [1.0 / 3, -1e300])
        XCTAssertEqual(try f.floats("d", converting: true), [Float(1.0 / 3), -.infinity])
        XCTAssertEqual(try f.int32s("i"), [Int32.min, -1, Int32.max])
        XCTAssertEqual(try f.int64s("l"), [Int64.min, 42])
        XCTAssertEqual(try f.int64s("i"), [Int64(Int32.min), -1, Int64(Int32.max)])
        XCTAssertEqual(f.info("i")?.shape, [3, 1])
        XCTAssertEqual(f.info("empty")?.shape, [0, 4])
        XCTAssertEqual(try f.floats("empty"), [])
        XCTAssertEqual(Array(try f.rawBytes("f")[...].prefix(4)), [0, 0, 0xC0, 0x3F])  // 1.5 little-endian
        // Type checks.
        XCTAssertThrowsError(try f.floats("d")) { XCTAssertTrue("\($0)".contains("dtype F64, expected F32"), "\($0)") }
        XCTAssertThrowsError(try f.int32s("l")) { XCTAssertTrue("\($0)".contains("outside Int32"), "\($0)") }
        XCTAssertThrowsError(try f.doubles("i")) { XCTAssertTrue("\($0)".contains("expected F32 or F64"), "\($0)") }
        XCTAssertThrowsError(try f.floats("nope")) { XCTAssertEqual($0 as? ModelFileError, ModelFileError(file: "mem", reason: "missing tensor \"nope\"")) }
    }

    /// Each malformed file gives a ModelFileError naming the file and the problem.
    func testMalformedFiles() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let eight: [UInt8] = Array(repeating: 0, count: 8)
        let cases: [(String, [UInt8], String)] = [
            ("empty", [], "truncated: 0 bytes"),
            ("short", [1, 0, 0], "truncated: 3 bytes"),
            ("header-too-long", rawSafeTensors(header: "{}", data: [], declaredLength: 1000), "header length 1000 is larger than the file"),
            ("not-json", rawSafeTensors(header: "{\"a\": [1, 2", data: []), "header is not valid JSON"),
            ("not-object", rawSafeTensors(header: "[1, 2]", data: []), "not a JSON object"),
            ("out-of-bounds", rawSafeTensors(header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, data: [0, 0, 0, 0]),
             "out of bounds"),
            ("overlap", rawSafeTensors(header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, data: eight),
             "overlap"),
            ("gap", rawSafeTensors(header: #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, data: eight),
             "belong to no tensor"),
            ("trailing", rawSafeTensors(header: #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, data: eight),
             "tensors cover 4 of the 8 data bytes"),
            ("size-mismatch", rawSafeTensors(header: #"{"a":{"dtype":"F64","shape":[2],"data_offsets":[0,8]}}"#, data: eight),
             "span 8 bytes but F64 [2] needs 16"),
            ("unknown-dtype", rawSafeTensors(header: #"{"a":{"dtype":"Q7","shape":[2],"data_offsets":[0,8]}}"#, data: eight),
             "unknown dtype \"Q7\""),
            ("bad-shape", rawSafeTensors(header: #"{"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}"#, data: eight),
             "shape entry"),
            ("no-offsets", rawSafeTensors(header: #"{"a":{"dtype":"F32","shape":[2]}}"#, data: eight), "no data_offsets"),
            ("reversed-offsets", rawSafeTensors(header: #"{"a":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}}"#, data: eight), "end before begin"),
            ("bad-metadata", rawSafeTensors(header: #"{"__metadata__":{"k":1}}"#, data: []), "__metadata__[\"k\"] is not a string"),
        ]
        for (name, bytes, expected) in cases {
            let url = dir.appendingPathComponent("\(name).safetensors")
            try Data(bytes).write(to: url)
            XCTAssertThrowsError(try SafeTensorsFile(contentsOf: url), name) { error in
                guard let e = error as? ModelFileError else { return XCTFail("\(name): \(error)") }
                XCTAssertEqual(e.file, url.path, name)
                XCTAssertTrue(e.reason.contains(expected), "\(name): \(e.reason)")
                XCTAssertTrue(e.description.hasPrefix(url.path + ": "), name)
            }
        }
        XCTAssertThrowsError(try SafeTensorsFile(contentsOf: dir.appendingPathComponent("missing.safetensors"))) {
            XCTAssertTrue(($0 as? ModelFileError)?.reason.hasPrefix("cannot read") == true, "\($0)")
        }
    }

    /// A file written by the Python safetensors library (committed fixture, see
    /// Tests/interop/safetensors_check.py --write) reads with the expected values.
    func testReadsPythonWrittenFixture() throws {
        try checkPythonWritten(fixturesDirectory.appendingPathComponent("python_written.safetensors"))
    }
}

func checkPythonWritten(_ url: URL) throws {
    let f = try SafeTensorsFile(contentsOf: url)
    XCTAssertEqual(f.metadata, ["made_by": "python safetensors", "note": "quote \" and unicode é"])
    XCTAssertEqual(f.info("f32")?.shape, [2, 3])
    XCTAssertEqual(try f.floats("f32"), [-1, -0.5, 0, 0.5, 1, 1.5])
    XCTAssertEqual(try f.doubles("f64"), [0, 1.0 / 3, 2.0 / 3, 1])
    XCTAssertEqual(try f.int32s("i32"), [-7, 0, 2_147_483_647])
    XCTAssertEqual(try f.int64s("i64"), [-(1 << 40), 5])
    XCTAssertEqual(f.info("i64")?.shape, [2, 1])
    XCTAssertEqual(f.info("empty")?.shape, [0])
    XCTAssertEqual(Set(f.tensors.map(\.name)), ["f32", "f64", "i32", "i64", "empty"])
}
