import ControlPage
import Daemon
import DaemonWeb
import Foundation
import TestSupport
import XCTest

/// session.swing from the page: a number is the swing improv's eighths play with from the next
/// slice on; "auto" follows the player's again; out of range is refused, naming the key.
final class SwingControlTests: XCTestCase {
    func testSwingSetOnThePageIsWhereTheAnswersOffbeatsFall() async throws {
        let rig = try PageRig()
        try await rig.start()
        let bad = try rig.http.post(#"{"session.swing": 0.9}"#)
        XCTAssertEqual(bad.status, 400, bad.text)
        XCTAssertEqual(bad.json["key"] as? String, "session.swing")

        XCTAssertEqual(try rig.http.post(#"{"session.swing": 0.67}"#).status, 200)
        try rig.daemon.turn()
        XCTAssertEqual(rig.daemon.engine.swing, 0.67, accuracy: 1e-9)
        var j = try rig.http.request("GET", "/api/state").json
        XCTAssertEqual(j["swing"] as? Double ?? 0, 0.67, accuracy: 1e-9)
        XCTAssertEqual(j["swing_auto"] as? Bool, false)

        // A straight call, answered: every note-on on the beat or 0.67 of the way through it.
        let end = rig.pushCall(at: 0.5)
        try rig.turn(until: end + 8)
        let offsets = Set(rig.noteOns(channel: 1).map { $0.tick % 480 })
        XCTAssertFalse(offsets.isEmpty, rig.log.all)
        XCTAssertTrue(offsets.isSubset(of: [0, 322]), "note-on offsets in the beat: \(offsets.sorted())")
        XCTAssertTrue(offsets.contains(322), "an offbeat eighth in the answer: \(offsets.sorted())")
        XCTAssertTrue(rig.log.all.contains("swing 0.67"), rig.log.all)

        XCTAssertEqual(try rig.http.post(#"{"session.swing": "auto"}"#).status, 200)
        try rig.daemon.turn()
        j = try rig.http.request("GET", "/api/state").json
        XCTAssertEqual(j["swing_auto"] as? Bool, true)
        XCTAssertTrue(rig.daemon.engine.settings.followSwing)
        await rig.stop()
    }
}
