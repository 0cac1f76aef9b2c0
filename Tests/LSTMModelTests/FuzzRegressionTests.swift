import Foundation
import XCTest
@testable import LSTMModel

/// Inputs that crashed model loading (fuzz/RESULTS.md): each must now be a ModelFileError
/// naming the file; and every seed of the model fuzzer must parse.
final class FuzzRegressionTests: XCTestCase {
    static func files(_ folder: String) throws -> [URL] {
        let dir = packageRoot.appendingPathComponent(folder)
        return try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted().map { dir.appendingPathComponent($0) }
    }

    func testEveryCrashInputIsAModelFileError() throws {
        let inputs = try Self.files("Tests/LSTMModelTests/FuzzRegressions")
        XCTAssertGreaterThanOrEqual(inputs.count, 1)
        for url in inputs {
            XCTAssertThrowsError(try Network.load(from: url), url.lastPathComponent) { error in
                XCTAssertEqual((error as? ModelFileError)?.file, url.path, "\(error)")
            }
        }
    }

    /// 288 bytes claiming 4096 of everything: refused for its missing tensors, without first
    /// allocating the 3 PB of parameters such a topology has.
    func testAHugeTopologyIsRefusedBeforeAllocating() throws {
        let url = packageRoot.appendingPathComponent("Tests/LSTMModelTests/FuzzRegressions/huge-topology-no-tensors.safetensors")
        XCTAssertThrowsError(try Network.load(from: url)) { error in
            XCTAssertEqual((error as? ModelFileError)?.reason, "missing tensor \"chord.weight\"")
        }
    }

    func testEverySeedParses() throws {
        let seeds = try Self.files("fuzz/corpus/model")
        XCTAssertGreaterThanOrEqual(seeds.count, 4)
        for url in seeds {
            let file = try SafeTensorsFile(contentsOf: url)
            if file.metadata["format"] != nil { XCTAssertNoThrow(try Network.load(from: url), url.path) }
        }
    }
}
