import Daemon
import XCTest

/// A loop held up past what it had planned says so (an admin's only clue that notes came
/// late); a loop that keeps up says nothing.
final class FallingBehindTests: XCTestCase {
    func testAHeldUpLoopWarnsOnceAndAnOnTimeOneNever() throws {
        let rig = Rig()
        try rig.daemon.start()
        let end = rig.pushCall(at: 1)
        try rig.turn(until: end + 3)
        XCTAssertEqual(rig.daemon.lateTurns, 0)
        XCTAssertFalse(rig.log.contains("fell behind"), rig.log.all)
        // Held up for a second in the answer: more than the slice and a half planned ahead.
        rig.sequencer.advance(seconds: 1.0)
        try rig.daemon.turn()
        XCTAssertEqual(rig.daemon.lateTurns, 1)
        let line = try XCTUnwrap(rig.log.lines.first { $0.text.contains("fell behind the music by") }, rig.log.all)
        XCTAssertEqual(line.level, .warning)
        // It catches up and says nothing more.
        try rig.turn(until: end + 8)
        XCTAssertEqual(rig.daemon.lateTurns, 1)
    }
}
