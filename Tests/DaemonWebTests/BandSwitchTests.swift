import ControlPage
import Daemon
import DaemonWeb
import Foundation
import MIDI
import TestSupport
import XCTest

/// The band's parts switched from the page: off at once (no new note from then on, every note
/// ended), back on to the preset's own style; another style needs a restart.
final class BandSwitchTests: XCTestCase {
    func notes(_ rig: PageRig, channel: UInt8, from tick: Int) -> Int {
        rig.sequencer.scheduled.filter {
            guard $0.tick >= tick, case .channel(.noteOn(channel, _, let v)) = $0.message else { return false }
            return v > 0
        }.count
    }

    func testDrumsSwitchedOffStopAndComeBackWhileTheBassWalksOn() async throws {
        let rig = try PageRig {
            $0.mode = .backing
            $0.drums = .swing
            $0.bass = .walking
            $0.comping = .rootless
        }
        try await rig.start()
        try rig.turn(until: 4)
        let drums: UInt8 = 9, bass = rig.daemon.preset.bassChannel
        XCTAssertGreaterThan(notes(rig, channel: drums, from: 0), 8, "the drums play")
        var band = try XCTUnwrap(try rig.http.request("GET", "/api/state").json["band"] as? [String: Any])
        XCTAssertEqual(band["drums"] as? String, "swing")

        XCTAssertEqual(try rig.http.post(#"{"band.drums": "off"}"#).status, 200)
        try rig.daemon.turn()
        // What was planned before plays on (a slice and a half); after that, nothing.
        let off = rig.sequencer.tick + 2 * 240
        try rig.turn(until: 10)
        XCTAssertEqual(notes(rig, channel: drums, from: off), 0, "drums after they were switched off")
        XCTAssertGreaterThan(notes(rig, channel: bass, from: off), 8, "the bass walks on")
        XCTAssertTrue(rig.sequencer.hanging(through: rig.sequencer.tick).filter { $0.channel == drums }.isEmpty, "a drum note left hanging")
        band = try XCTUnwrap(try rig.http.request("GET", "/api/state").json["band"] as? [String: Any])
        XCTAssertEqual(band["drums"] as? String, "off")
        XCTAssertEqual(band["bass"] as? String, "walking")

        // Another style is the preset's to choose.
        let r = try rig.http.post(#"{"band.drums": "brushes"}"#)
        XCTAssertEqual(r.status, 400, r.text)
        XCTAssertEqual(r.json["key"] as? String, "band.drums")

        XCTAssertEqual(try rig.http.post(#"{"band.drums": "swing"}"#).status, 200)
        try rig.daemon.turn()
        let on = rig.sequencer.tick
        try rig.turn(until: 14)
        XCTAssertGreaterThan(notes(rig, channel: drums, from: on), 8, "the drums are back")
        XCTAssertTrue(rig.log.all.contains("band: drums off"), rig.log.all)
        await rig.stop()
    }
}
