import ControlPage
import Daemon
import DaemonWeb
import Foundation
import Presets
import TestSupport
import XCTest

/// The page's ALSA ports (what is connected, what could be, connect and disconnect) and its
/// preset choice, against the real daemon on the embedded sequencer.
final class PortsAndPresetsTests: XCTestCase {
    func testThePageListsPortsAndConnectsAndDisconnectsThem() async throws {
        let rig = try PageRig()
        rig.sequencer.addClient(21, name: "synth")
        try await rig.start()
        try rig.turn(until: 0.5)
        var c = try XCTUnwrap(try rig.http.request("GET", "/api/state").json["connections"] as? [String: Any])
        let readable = (c["readable"] as? [[String: Any]] ?? []).compactMap { $0["address"] as? String }
        let writable = (c["writable"] as? [[String: Any]] ?? []).compactMap { $0["address"] as? String }
        XCTAssertTrue(readable.contains("21:0"), "\(c)")
        XCTAssertFalse(readable.contains("20:0"), "the keyboard already plays into improv: \(c)")
        XCTAssertTrue(writable.contains("21:0"), "\(c)")
        XCTAssertFalse(readable.contains { $0.hasPrefix("128:") }, "improv's own ports are not offered: \(c)")

        XCTAssertEqual(try rig.http.post(#"{"connect": {"output": "21:0"}}"#).status, 200)
        XCTAssertFalse(rig.sequencer.outputConnections.contains(PortAddress(client: 21, port: 0)), "only at the loop's next turn")
        try rig.daemon.turn()
        XCTAssertTrue(rig.sequencer.outputConnections.contains(PortAddress(client: 21, port: 0)))
        XCTAssertTrue(rig.log.all.contains("output 21:0 connected"), rig.log.all)

        XCTAssertEqual(try rig.http.post(#"{"disconnect": {"input": "20:0"}}"#).status, 200)
        try rig.daemon.turn()
        XCTAssertFalse(rig.sequencer.inputConnections.contains(PortAddress(client: 20, port: 0)))
        try rig.turn(until: 3)
        c = try XCTUnwrap(try rig.http.request("GET", "/api/state").json["connections"] as? [String: Any])
        XCTAssertEqual((c["inputs"] as? [[String: Any]])?.count, 0, "\(c)")
        XCTAssertEqual((c["outputs"] as? [[String: Any]])?.compactMap { $0["address"] as? String }, ["21:0"], "\(c)")
        // Not wanted any more: the keyboard coming back is not connected again; the synth is.
        rig.sequencer.removeClient(20)
        rig.sequencer.removeClient(21)
        rig.sequencer.addClient(20, name: "keys")
        rig.sequencer.addClient(21, name: "synth")
        try rig.turn(until: 4)
        XCTAssertFalse(rig.sequencer.inputConnections.contains(PortAddress(client: 20, port: 0)))
        XCTAssertTrue(rig.sequencer.outputConnections.contains(PortAddress(client: 21, port: 0)))
        await rig.stop()
    }

    /// `aconnect improv:1 synth` made by hand shows on the page, named, and can be cut there.
    func testAConnectionAnotherClientMadeIsListedAndCanBeCut() async throws {
        let rig = try PageRig()
        rig.sequencer.addClient(21, name: "synth")
        rig.sequencer.addClient(22, name: "recorder")
        try await rig.start()
        try rig.turn(until: 0.5)
        rig.sequencer.subscribe(PortAddress(client: 21, port: 0), input: false)
        rig.sequencer.subscribe(PortAddress(client: 22, port: 0), input: true)
        try rig.turn(until: 3)
        var c = try XCTUnwrap(try rig.http.request("GET", "/api/state").json["connections"] as? [String: Any])
        let outputs = c["outputs"] as? [[String: Any]] ?? []
        XCTAssertEqual(outputs.compactMap { $0["address"] as? String }, ["21:0"], "\(c)")
        XCTAssertEqual(outputs.first?["name"] as? String, "synth: port 0", "named from the port listing: \(c)")
        XCTAssertEqual((c["inputs"] as? [[String: Any]] ?? []).compactMap { $0["address"] as? String }, ["20:0", "22:0"], "the preset's first, then others': \(c)")
        XCTAssertFalse((c["writable"] as? [[String: Any]] ?? []).contains { $0["address"] as? String == "21:0" }, "not offered again: \(c)")

        XCTAssertEqual(try rig.http.post(#"{"disconnect": {"output": "21:0"}}"#).status, 200)
        try rig.turn(until: 5.5)
        XCTAssertFalse(rig.sequencer.outputConnections.contains(PortAddress(client: 21, port: 0)))
        c = try XCTUnwrap(try rig.http.request("GET", "/api/state").json["connections"] as? [String: Any])
        XCTAssertEqual((c["outputs"] as? [[String: Any]])?.count, 0, "\(c)")
        // Never made again: it was not improv's to want.
        rig.sequencer.removeClient(21)
        rig.sequencer.addClient(21, name: "synth")
        try rig.turn(until: 6.5)
        XCTAssertFalse(rig.sequencer.outputConnections.contains(PortAddress(client: 21, port: 0)))
        await rig.stop()
    }

    func testAPresetChosenOnThePageIsReadOffTheLoopAndTaken() async throws {
        let dir = NSTemporaryDirectory() + "improv-page-presets-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "[session]\nname = \"slow backing\"\nmode = \"backing\"\ntempo = 80\n".write(toFile: dir + "/slow.toml", atomically: true, encoding: .utf8)
        try "[session]\ntempo = \"fast\"\n".write(toFile: dir + "/broken.toml", atomically: true, encoding: .utf8)
        let rig = try PageRig(presets: ["slow": dir + "/slow.toml", "broken": dir + "/broken.toml"])
        try await rig.start()
        XCTAssertEqual(try rig.http.request("GET", "/api/state").json["presets"] as? [String], ["broken", "slow"])

        // A broken one is refused at once, naming its file; nothing changes.
        let bad = try rig.http.post(#"{"preset": "broken"}"#)
        XCTAssertEqual(bad.status, 400, bad.text)
        XCTAssertEqual(bad.json["key"] as? String, "preset")
        XCTAssertTrue((bad.json["error"] as? String ?? "").contains("broken.toml"), bad.text)
        try rig.daemon.turn()
        XCTAssertEqual(rig.daemon.tempoBPM, 100)

        // A good one with a change after it: the preset first, then the change.
        XCTAssertEqual(try rig.http.post(#"{"preset": "slow", "sampling.temperature": 0.7}"#).status, 200)
        try rig.daemon.turn()
        XCTAssertEqual(rig.daemon.tempoBPM, 80)
        XCTAssertEqual(rig.daemon.engine.settings.mode, .backing)
        XCTAssertEqual(rig.daemon.engine.settings.sampling.temperature, 0.7, accuracy: 1e-6)
        XCTAssertTrue(rig.log.all.contains("reloaded \(dir)/slow.toml and the built-in model"), rig.log.all)
        try rig.turn(until: 1)
        let state = try rig.http.request("GET", "/api/state").json
        XCTAssertEqual(state["name"] as? String, "slow backing")
        XCTAssertEqual(state["preset"] as? String, "slow", "the one playing, by the name the page loads it by")
        await rig.stop()
    }
}
