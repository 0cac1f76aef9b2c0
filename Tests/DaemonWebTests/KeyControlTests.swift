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
        // What was heard stays the listener's: the call was in C.
        j = try rig.http.request("GET", "/api/state").json
        XCTAssertEqual(j["key"] as? String, "F")
        XCTAssertEqual((j["heard"] as? [String: Any])?["key"] as? String, "C", "\(j)")

        XCTAssertEqual(try rig.http.post(#"{"session.key": "auto"}"#).status, 200)
        try rig.daemon.turn()
        j = try rig.http.request("GET", "/api/state").json
        XCTAssertEqual(j["key_auto"] as? Bool, true)
        XCTAssertTrue(rig.daemon.engine.settings.followKey)

        // Following again: a call up and down F major is heard as F, its colour major.
        let fEnd = rig.pushCall(at: rig.sequencer.seconds + 0.5, keys: [65, 67, 69, 70, 72, 74, 76, 77, 72, 69, 65, 60])
        try rig.turn(until: fEnd + 3)
        let heard = try XCTUnwrap(try rig.http.request("GET", "/api/state").json["heard"] as? [String: Any])
        XCTAssertEqual(heard["register_high"] as? Int, 77, "the second call's: \(heard)")
        XCTAssertEqual(heard["key"] as? String, "F", "\(heard)")
        XCTAssertEqual(heard["colour"] as? String, "major", "\(heard)")
        await rig.stop()
    }
}
