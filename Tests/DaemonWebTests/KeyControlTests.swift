import ControlPage
import Daemon
import DaemonWeb
import Foundation
import MusicCore
import TestSupport
import XCTest

/// session.key from the page: a fixed key is where improv answers from then on, whatever the
/// call's; "auto" hands the key back to the listener.
final class KeyControlTests: XCTestCase {
    func testAKeyFixedOnThePageIsTheAnswersKeyAndAutoFollowsThePlayerAgain() async throws {
        let rig = try PageRig()
        try await rig.start()
        XCTAssertEqual(try rig.http.post(#"{"session.key": "F"}"#).status, 200)
        try rig.daemon.turn()
        XCTAssertEqual(rig.daemon.engine.heardKey, try XCTUnwrap(Key("F")))
        var j = try rig.http.request("GET", "/api/state").json
        XCTAssertEqual(j["key"] as? String, "F")
        XCTAssertEqual(j["key_auto"] as? Bool, false)

        // A call in C, answered in F: its notes on F major's scale, no B natural.
        let end = rig.pushCall(at: 0.5)
        try rig.turn(until: end + 8)
        let answer = rig.noteOns(channel: 1).compactMap { o -> Int? in
            if case .channel(.noteOn(_, let k, _)) = o.message { return Int(k) % 12 }
            return nil
        }
        XCTAssertGreaterThan(answer.count, 4, rig.log.all)
        let fMajor: Set<Int> = [5, 7, 9, 10, 0, 2, 4]
        let inKey = answer.filter { fMajor.contains($0) }.count
        XCTAssertGreaterThanOrEqual(Double(inKey) / Double(answer.count), 0.85, "answer pitch classes \(answer)")
        XCTAssertFalse(answer.contains(11), "a B natural in an answer in F: \(answer)")

        XCTAssertEqual(try rig.http.post(#"{"session.key": "auto"}"#).status, 200)
        try rig.daemon.turn()
        j = try rig.http.request("GET", "/api/state").json
        XCTAssertEqual(j["key_auto"] as? Bool, true)
        XCTAssertTrue(rig.daemon.engine.settings.followKey)
        await rig.stop()
    }
}
