import Foundation
import XCTest

final class TrainCorpusTests: XCTestCase {
    func testTrainOnTheMixedPhraseCorpus() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = dir.appendingPathComponent("mixed.safetensors").path
        let r = try CLI.run(["train", "--corpus", "mixed", "--choruses", "16", "--out", model, "--epochs", "2", "--threads", "1"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("training on mixed choruses=16 eck-every=4 seed=1: 8 pieces"), r.stdout)
        XCTAssertTrue(FileManager.default.fileExists(atPath: model))
    }

    func testAnUnknownCorpusIsNamed() throws {
        let r = try CLI.run(["train", "--corpus", "/no/such/folder", "--out", "/tmp/never.safetensors", "--epochs", "1"])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("/no/such/folder"), r.stderr)
    }
}
