import ControlPage
import Daemon
import DaemonWeb
import Foundation
import TestSupport
import XCTest

/// listen.develop, listen.register and listen.dynamics from the page, applied from the next
/// answer on; a value the preset would refuse is refused, naming the key.
final class ListeningControlTests: XCTestCase {
    /// A call two octaves up (C6 to C7), answered: the answer's mean pitch.
    func answerPitch(register: Bool) async throws -> Double {
        let rig = try PageRig()
        try await rig.start()
        if !register {
            XCTAssertEqual(try rig.http.post(#"{"listen.register": false, "listen.develop": 0.5}"#).status, 200)
            try rig.daemon.turn()
            XCTAssertFalse(rig.daemon.engine.settings.followRegister)
            XCTAssertEqual(rig.daemon.engine.settings.develop, 0.5, accuracy: 1e-9)
            let listen = try XCTUnwrap(try rig.http.request("GET", "/api/state").json["listen"] as? [String: Any])
            XCTAssertEqual(listen["register"] as? Bool, false, "\(listen)")
            XCTAssertEqual(listen["develop"] as? Double ?? 0, 0.5, accuracy: 1e-9)
            XCTAssertEqual(listen["dynamics"] as? Bool, true, "\(listen)")
        }
        let end = rig.pushCall(at: 0.5, keys: [84, 86, 88, 91, 93, 91, 88, 86, 84, 88, 91, 96])
        try rig.turn(until: end + 8)
        let pitches = rig.noteOns(channel: 1).compactMap { o -> Int? in
            if case .channel(.noteOn(_, let k, _)) = o.message { return Int(k) }
            return nil
        }
        XCTAssertGreaterThan(pitches.count, 4, rig.log.all)
        await rig.stop()
        return Double(pitches.reduce(0, +)) / Double(max(1, pitches.count))
    }

    func testRegisterSwitchedOffOnThePageKeepsTheAnswerInTheModelsRegister() async throws {
        let followed = try await answerPitch(register: true)
        let fixed = try await answerPitch(register: false)
        print("answer mean pitch: followed \(followed), fixed \(fixed)")
        XCTAssertGreaterThan(followed, 80, "followed: up where the call was")
        XCTAssertLessThan(fixed, 76, "not followed: the model's own register")
    }

    func testAValueThePresetRefusesIsRefused() async throws {
        let rig = try PageRig()
        try await rig.start()
        let r = try rig.http.post(#"{"listen.develop": 3}"#)
        XCTAssertEqual(r.status, 400, r.text)
        XCTAssertEqual(r.json["key"] as? String, "listen.develop")
        try rig.daemon.turn()
        XCTAssertEqual(rig.daemon.engine.settings.develop, 1, accuracy: 1e-9)
        await rig.stop()
    }
}
