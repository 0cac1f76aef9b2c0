import ControlPage
import Daemon
import DaemonWeb
import Foundation
import Presets
import TestSupport
import XCTest

/// The control page's API against the real daemon (EmbeddedSequencer, simulated time) behind
/// the real server on loopback.
final class DaemonPageTests: XCTestCase {
    func testStateShowsTheDaemonsTempoModeKeyAndConnections() async throws {
        let rig = try PageRig { $0.mode = .backing }
        try await rig.start()
        let r = try rig.http.request("GET", "/api/state")
        XCTAssertEqual(r.status, 200, r.text)
        let j = r.json
        XCTAssertEqual(j["tempo"] as? Double, 100)
        XCTAssertEqual(j["mode"] as? String, "backing")
        XCTAssertEqual(j["key"] as? String, "C")
        XCTAssertEqual(j["key_auto"] as? Bool, false)
        XCTAssertEqual(j["tempo_source"] as? String, "preset")
        let connections = try XCTUnwrap(j["connections"] as? [String: Any])
        XCTAssertEqual(connections["input"] as? String, "128:0")
        let inputs = try XCTUnwrap(connections["inputs"] as? [[String: Any]])
        XCTAssertEqual(inputs.first?["address"] as? String, "20:0")
        XCTAssertEqual(inputs.first?["name"] as? String, "keys")
        let form = try XCTUnwrap(j["form"] as? [String: Any])
        XCTAssertEqual(form["beats_per_bar"] as? Int, 4)
        XCTAssertFalse((form["bars"] as? [String] ?? []).isEmpty, "the form's chart is shown")
        await rig.stop()
    }

    func testATempoPostedChangesTheDaemonsTempoAtItsNextTurn() async throws {
        let rig = try PageRig()
        try await rig.start()
        let r = try rig.http.post(#"{"session.tempo": 90}"#)
        XCTAssertEqual(r.status, 200, r.text)
        // Handed to the loop's mailbox: nothing changes until the loop turns.
        XCTAssertEqual(rig.daemon.tempoBPM, 100)
        try rig.daemon.turn()
        XCTAssertEqual(rig.daemon.tempoBPM, 90)
        XCTAssertEqual(rig.sequencer.tempoBPM, 90, "the queue plays at the new tempo")
        XCTAssertEqual(rig.sequencer.tempoChanges.last?.bpm, 90)
        let j = try rig.http.request("GET", "/api/state").json
        XCTAssertEqual(j["tempo"] as? Double, 90)
        XCTAssertEqual(j["tempo_source"] as? String, "control")
        // Mode, temperature and top-k in one request (nested as in a preset).
        XCTAssertEqual(try rig.http.post(#"{"session.mode": "duet", "sampling": {"temperature": 0.5, "top_k": 4}}"#).status, 200)
        try rig.daemon.turn()
        let s = rig.daemon.control.state
        XCTAssertEqual(s.mode, .duet)
        XCTAssertEqual(s.temperature, 0.5, accuracy: 1e-6)
        XCTAssertEqual(s.topK, 4)
        XCTAssertEqual(rig.daemon.engine.settings.sampling.topK, 4)
        await rig.stop()
    }

    func testTheAnswerToAControlShowsTheStateAfterIt() async throws {
        let rig = try PageRig()
        try await rig.start()
        // The loop turns on a thread of its own, as the live daemon's does.
        let stop = StopFlag(), finished = StopFlag()
        // The loop's thread owns the daemon from here until it stops.
        nonisolated(unsafe) let daemon = rig.daemon
        Thread {
            while !stop.isSet {
                try? daemon.turn()
                Thread.sleep(forTimeInterval: 0.002)
            }
            finished.set()
        }.start()
        let t0 = Date()
        let r = try rig.http.post(#"{"session.tempo": 90, "session.mode": "duet"}"#)
        let took = Date().timeIntervalSince(t0)
        stop.set()
        // Polled, not an XCTest expectation: its weak references are LeakSanitizer noise.
        while !finished.isSet { try await Task.sleep(for: .milliseconds(5)) }
        XCTAssertEqual(r.status, 200, r.text)
        let state = r.json["state"] as? [String: Any] ?? [:]
        XCTAssertEqual(state["tempo"] as? Double, 90, "the answer's state is the one after the change: \(r.text)")
        XCTAssertEqual(state["mode"] as? String, "duet", r.text)
        XCTAssertLessThan(took, 0.2, "the loop took the change at once, not at the answer's time limit")
        await rig.stop()
    }

    func testABadKeyGets400NamingItAndChangesNothing() async throws {
        let rig = try PageRig()
        try await rig.start()
        let changesBefore = rig.sequencer.tempoChanges.count
        // Not a preset key.
        var r = try rig.http.post(#"{"tempo": 90}"#)
        XCTAssertEqual(r.status, 400)
        XCTAssertEqual(r.json["key"] as? String, "tempo")
        // A bad value.
        r = try rig.http.post(#"{"session.tempo": "fast"}"#)
        XCTAssertEqual(r.status, 400)
        XCTAssertEqual(r.json["key"] as? String, "session.tempo")
        // A preset key the running daemon cannot change: the whole request is refused, the
        // tempo that came with it too.
        r = try rig.http.post(#"{"session.tempo": 90, "band.drums": "swing"}"#)
        XCTAssertEqual(r.status, 400, r.text)
        XCTAssertEqual(r.json["key"] as? String, "band.drums")
        XCTAssertTrue((r.json["error"] as? String ?? "").contains("restart"), r.text)
        r = try rig.http.post(#"{"learn_reset": true}"#)
        XCTAssertEqual(r.status, 400)
        XCTAssertEqual(r.json["key"] as? String, "learn_reset")
        r = try rig.http.post(#"{"preset": "none-such"}"#)
        XCTAssertEqual(r.status, 400)
        XCTAssertEqual(r.json["key"] as? String, "preset")
        try rig.turn(until: 1)
        XCTAssertEqual(rig.daemon.tempoBPM, 100)
        XCTAssertEqual(rig.sequencer.tempoChanges.count, changesBefore)
        XCTAssertEqual(rig.daemon.control.state.mode, .callAndResponse)
        await rig.stop()
    }

    func testAPanicPostedSilencesTheAnswer() async throws {
        let rig = try PageRig()
        try await rig.start()
        let end = rig.pushCall(at: 0.5)
        // Turn until improv's answer sounds.
        var answering = false
        while rig.sequencer.seconds < end + 10, !answering {
            try rig.daemon.turn()
            answering = rig.noteOns(channel: 1).contains { $0.tick <= rig.sequencer.tick }
        }
        XCTAssertTrue(answering, "improv answered the call\n\(rig.log.all)")
        try rig.turn(until: rig.sequencer.seconds + 0.3)
        let mark = (rig.sequencer.scheduled + rig.sequencer.sent).map(\.sequence).max() ?? -1
        XCTAssertEqual(try rig.http.post(#"{"panic": true}"#).status, 200)
        try rig.daemon.turn()
        let offs = rig.sequencer.sent.filter { $0.sequence > mark && $0.message == .channel(.allNotesOff(channel: 1)) }
        XCTAssertFalse(offs.isEmpty, "all notes off on improv's melody channel after the panic")
        XCTAssertTrue(rig.sequencer.scheduled.allSatisfy { $0.tick <= rig.sequencer.tick }, "what was planned ahead is dropped")
        XCTAssertEqual(rig.sequencer.hanging(through: .max).count, 0, "nothing left sounding")
        XCTAssertTrue(rig.log.all.contains("panic (control)"), rig.log.all)
        await rig.stop()
    }

    func testTheEventStreamShowsTheCallTheAnswerTheFormAndTheLog() async throws {
        let rig = try PageRig()
        try await rig.start()
        let ws = try RawWebSocket(port: rig.port)
        XCTAssertEqual(ws.status, 101)
        let hello = try XCTUnwrap(ws.next(type: "hello"))
        XCTAssertEqual((hello["state"] as? [String: Any])?["tempo"] as? Double, 100)

        let end = rig.pushCall(at: 0.5)
        try rig.turn(until: end + 8)
        XCTAssertEqual(try rig.http.post(#"{"session.tempo": 110}"#).status, 200)
        try rig.turn(until: end + 8.2)
        let callEnd = end / 0.6 // in beats at 100 BPM (the queue started at 0)
        let answer = rig.noteOns(channel: 1).filter { Double($0.tick) / 480 >= callEnd }
        XCTAssertGreaterThan(answer.count, 3, "improv answered\n\(rig.log.all)")

        var played: [Int] = [], melody: [Int] = [], bars: Set<Int> = [], logs: [String] = []
        var tempoSeen: Double?
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, played.count < 12 || melody.count < answer.count || tempoSeen != 110 || logs.isEmpty {
            guard let text = ws.next(), let j = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { break }
            switch j["type"] as? String {
            case "note_on" where j["part"] as? String == "player": played.append(j["pitch"] as? Int ?? -1)
            case "note_on" where j["part"] as? String == "melody" && (j["beat"] as? Double ?? 0) >= callEnd: melody.append(j["pitch"] as? Int ?? -1)
            case "position": bars.insert(j["bar"] as? Int ?? -1)
            case "state": tempoSeen = (j["state"] as? [String: Any])?["tempo"] as? Double
            case "log": logs.append(j["message"] as? String ?? "")
            default: break
            }
        }
        XCTAssertEqual(played, [60, 62, 64, 67, 69, 67, 64, 62, 60, 64, 67, 72], "the call, as heard")
        XCTAssertEqual(melody, answer.compactMap { if case .channel(.noteOn(_, let k, _)) = $0.message { Int(k) } else { nil } },
                       "the answer, as improv played it")
        XCTAssertTrue(bars.isSuperset(of: [0, 1, 2, 3]), "the place in the form, bar by bar: \(bars.sorted())")
        XCTAssertEqual(tempoSeen, 110, "a state change is sent")
        XCTAssertFalse(logs.isEmpty, "the daemon's log lines")
        XCTAssertEqual(rig.surface.droppedEvents, 0)
        // What the listener heard: the call's register.
        let heard = try XCTUnwrap(try rig.http.request("GET", "/api/state").json["heard"] as? [String: Any])
        XCTAssertEqual(heard["register_low"] as? Int, 60)
        XCTAssertEqual(heard["register_high"] as? Int, 72)
        XCTAssertEqual(heard["key"] as? String, "C")
        XCTAssertNil(heard["colour"], "the rig fixes the key: the colour is read only while improv follows the player's")
        await rig.stop()
    }
}

/// A flag one thread sets and another reads.
final class StopFlag: @unchecked Sendable {
    // @unchecked: `value` is behind `lock`.
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
