import ControlPage
import Daemon
import DaemonWeb
@testable import Engine
import Foundation
import TestSupport
import XCTest

/// session.learn from the page: on, the daemon learns the player's calls; off, the base model's
/// weights play again at once; "keep" only where the preset keeps (it reads the kept model at start).
final class LearningSwitchTests: XCTestCase {
    func testLearningSwitchedOnLearnsACallAndOffRestoresTheBaseWeights() async throws {
        let rig = try PageRig { $0.learn = .off }
        try await rig.start()
        XCTAssertNil(rig.daemon.engine.learner)
        let refused = try rig.http.post(#"{"session.learn": "keep"}"#)
        XCTAssertEqual(refused.status, 400, refused.text)
        XCTAssertEqual(refused.json["key"] as? String, "session.learn")

        XCTAssertEqual(try rig.http.post(#"{"session.learn": "session"}"#).status, 200)
        try rig.daemon.turn()
        let learner = try XCTUnwrap(rig.daemon.engine.learner, "learning is on")
        let learning = try XCTUnwrap(try rig.http.request("GET", "/api/state").json["learning"] as? [String: Any])
        XCTAssertEqual(learning["mode"] as? String, "session")
        // A call: the learner takes it as a phrase and fine-tunes (in the background).
        let end = rig.pushCall(at: rig.sequencer.seconds + 0.5)
        try rig.turn(until: end + 4)
        let deadline = Date().addingTimeInterval(120)  // a fine-tune under ThreadSanitizer is slow
        while learner.phrasesLearned == 0, Date() < deadline {
            try await Task.sleep(for: .milliseconds(50))
            try rig.daemon.turn()
        }
        XCTAssertGreaterThan(learner.phrasesLearned, 0, rig.log.all)
        let base = PageRig.model.network.parameters
        // The adapted weights are in play once a slice boundary takes them.
        try rig.turn(until: rig.sequencer.seconds + 1)
        XCTAssertGreaterThan(rig.daemon.engine.learnedUpdates, 0)
        var adapted: [Float] = []
        _ = rig.daemon.engine.predictor.updateWeights { adapted = Array($0); return false }
        XCTAssertNotEqual(adapted, base, "the learned weights play")

        XCTAssertEqual(try rig.http.post(#"{"session.learn": "off"}"#).status, 200)
        let before = Date()
        try rig.daemon.turn()
        XCTAssertLessThan(Date().timeIntervalSince(before), 0.5, "the loop did not wait for the learner")
        XCTAssertNil(rig.daemon.engine.learner)
        XCTAssertEqual(rig.daemon.engine.settings.learn, .off)
        XCTAssertTrue(rig.log.all.contains("learning off: the base model plays"), rig.log.all)
        // The base weights play again: the predictor's step equals a fresh one's from the base.
        var weights: [Float] = []
        _ = rig.daemon.engine.predictor.updateWeights { weights = Array($0); return false }
        XCTAssertEqual(weights, base)
        await rig.stop()
    }
}
