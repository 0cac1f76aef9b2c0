import Foundation
import XCTest
@testable import ALSASequencer

final class ErrorTests: XCTestCase {
    func testCheckPassesNonNegativeResults() throws {
        XCTAssertEqual(try check(Int32(0), "snd_seq_fake"), 0)
        XCTAssertEqual(try check(Int32(7), "snd_seq_fake"), 7)
    }

    func testCheckThrowsWithCallErrnoAndText() {
        do {
            try check(Int32(-ENOENT), "snd_seq_fake")
            XCTFail("no error thrown")
        } catch {
            XCTAssertEqual(error.call, "snd_seq_fake")
            XCTAssertEqual(error.errno, ENOENT)
            XCTAssertEqual(error.message, "No such file or directory")
            XCTAssertEqual(error.description, "snd_seq_fake failed: No such file or directory (errno 2)")
        }
        XCTAssertEqual(ALSAError(call: "x", result: -EBUSY).message, "Device or resource busy")
    }

    /// On machines without /dev/snd/seq (the build machine) opening must fail, naming snd_seq_open.
    func testOpeningWithoutDevSndSeqThrows() throws {
        if FileManager.default.fileExists(atPath: "/dev/snd/seq") {
            throw XCTSkip("/dev/snd/seq exists here: the VM suite covers opening for real")
        }
        XCTAssertThrowsError(try Sequencer(clientName: "improv-unit-test")) { error in
            guard let e = error as? ALSAError else { return XCTFail("not an ALSAError: \(error)") }
            XCTAssertEqual(e.call, "snd_seq_open")
            XCTAssertEqual(e.errno, ENOENT)
            XCTAssertEqual(e.message, "No such file or directory")
            XCTAssertTrue(e.description.contains("snd_seq_open"), e.description)
        }
    }
}
