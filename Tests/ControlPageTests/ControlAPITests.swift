import ControlPage
import Foundation
import Presets
import TestSupport
import XCTest

/// The API against a real server on loopback, through raw sockets.
final class ControlAPITests: XCTestCase {
    var fake: FakeSurface!
    var server: ControlServer!
    var http: RawHTTP!

    override func setUp() async throws {
        fake = FakeSurface()
        server = try ControlServer(surface: fake, address: WebAddress("127.0.0.1:0")!, token: nil)
        http = RawHTTP(port: try await server.start())
    }

    override func tearDown() async throws {
        await server.stop()
    }

    func testStateIsJSONWithTheSessionsNames() throws {
        let r = try http.request("GET", "/api/state")
        XCTAssertEqual(r.status, 200)
        XCTAssertEqual(r.headers["content-type"], "application/json")
        let j = r.json
        XCTAssertEqual(j["mode"] as? String, "call-and-response")
        XCTAssertEqual(j["key"] as? String, "F")
        XCTAssertEqual(j["key_auto"] as? Bool, true)
        XCTAssertEqual(j["tempo"] as? Double, 120)
        XCTAssertEqual(j["temperature"] as? Double, 1)
        XCTAssertEqual(j["top_k"] as? Int, 0)
        let form = try XCTUnwrap(j["form"] as? [String: Any])
        XCTAssertEqual(form["bar"] as? Int, 0)
        XCTAssertEqual((form["bars"] as? [String])?.count, 12)
        XCTAssertEqual((j["learning"] as? [String: Any])?["mode"] as? String, "off")
        XCTAssertEqual((j["band"] as? [String: Any])?["drums"] as? String, "off")
        let inputs = try XCTUnwrap((j["connections"] as? [String: Any])?["inputs"] as? [[String: Any]])
        XCTAssertEqual(inputs.first?["address"] as? String, "24:0")
    }

    func testPageIsServedWithItsGuards() throws {
        let r = try http.request("GET", "/")
        XCTAssertEqual(r.status, 200)
        XCTAssertTrue(r.headers["content-type"]?.hasPrefix("text/html") == true)
        XCTAssertTrue(r.text.contains("/api/events"))
        XCTAssertEqual(r.headers["x-frame-options"], "DENY")
        XCTAssertEqual(try http.request("GET", "/nothing").status, 404)
        XCTAssertEqual(try http.request("DELETE", "/api/state").status, 405)
        XCTAssertEqual(try http.request("GET", "/api/control").status, 405)
        XCTAssertEqual(try http.request("GET", "/api/events").status, 400)
    }

    func testControlChangesTheSessionFlatOrNested() throws {
        let r = try http.post(#"{"session.tempo": 100, "sampling": {"top_k": 5, "temperature": 0.7}, "session.key": "Bb", "band.drums": "swing"}"#)
        XCTAssertEqual(r.status, 200, r.text)
        let s = fake.state()
        XCTAssertEqual(s.tempo, 100)
        XCTAssertEqual(s.topK, 5)
        XCTAssertEqual(s.temperature, 0.7)
        XCTAssertEqual(s.key, "Bb")
        XCTAssertFalse(s.keyAuto)
        XCTAssertEqual(s.band.drums, "swing")
        XCTAssertEqual((r.json["state"] as? [String: Any])?["tempo"] as? Double, 100)
        XCTAssertEqual(try http.post(#"{"session": {"key": "auto", "mode": "backing"}}"#).status, 200)
        XCTAssertTrue(fake.state().keyAuto)
        XCTAssertEqual(fake.state().mode, "backing")
    }

    func testActionsReachTheSurface() throws {
        XCTAssertEqual(try http.post(#"{"panic": true}"#).status, 200)
        XCTAssertEqual(try http.post(#"{"learn_reset": true, "preset": "minor-blues"}"#).status, 200)
        XCTAssertEqual(try http.post(#"{"connect": {"output": "14:0"}}"#).status, 200)
        XCTAssertEqual(fake.applied.flatMap(\.actions), [.panic, .learnReset, .loadPreset("minor-blues"), .connect(.output, "14:0")])
        XCTAssertEqual(fake.state().connections.outputs.map(\.address), ["14:0"])
        // The surface refuses a port it does not know: 400 naming it.
        let r = try http.post(#"{"connect": {"input": "99:0"}}"#)
        XCTAssertEqual(r.status, 400)
        XCTAssertTrue(r.text.contains("99:0"), r.text)
    }

    /// Every refused request: the status, a body that names the key, and nothing changed.
    func assertRefused(_ body: String, status: Int = 400, naming: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let before = fake.state()
        let count = fake.applied.count
        let r = try http.post(body)
        XCTAssertEqual(r.status, status, "\(body) -> \(r.text)", file: file, line: line)
        let message = (r.json["error"] as? String) ?? ""
        for word in naming { XCTAssertTrue(message.contains(word), "\(body): \"\(message)\" does not name \(word)", file: file, line: line) }
        XCTAssertEqual(fake.state(), before, "\(body) changed the session", file: file, line: line)
        XCTAssertEqual(fake.applied.count, count, "\(body) reached the surface", file: file, line: line)
    }

    func testUnknownKeysAreRefusedByName() throws {
        try assertRefused(#"{"session.tmepo": 100}"#, naming: ["session.tmepo", "unknown key"])
        try assertRefused(#"{"sesion": {"mode": "backing"}}"#, naming: ["sesion"])
        try assertRefused(#"{"tempo": 100}"#, naming: ["tempo", "unknown key"])
        try assertRefused(#"{"connect": {"sideways": "14:0"}}"#, naming: ["connect.sideways"])
        try assertRefused(#"{"preset": "no-such-preset"}"#, naming: ["preset", "minor-blues"])
    }

    func testBadValuesAreRefusedLikeAPresetAndNothingChanges() throws {
        try assertRefused(#"{"session.tempo": 900}"#, naming: ["session.tempo", "20.0 to 400.0", "900"])
        try assertRefused(#"{"session.mode": "jazz"}"#, naming: ["session.mode", "backing"])
        try assertRefused(#"{"sampling.top_k": 2.5}"#, naming: ["sampling.top_k", "whole number"])
        try assertRefused(#"{"session.key": "H#"}"#, naming: ["session.key"])
        try assertRefused(#"{"band.click": "yes"}"#, naming: ["band.click", "true or false"])
        try assertRefused(#"{"session.tempo": null}"#, naming: ["session.tempo", "null"])
        try assertRefused(#"{"panic": false}"#, naming: ["panic", "true"])
        // One bad key in a request: the good ones are not applied either.
        try assertRefused(#"{"session.tempo": 90, "sampling.temperature": -1}"#, naming: ["sampling.temperature"])
        // A preset key that cannot change live.
        try assertRefused(#"{"alsa.client_name": "x"}"#, naming: ["alsa.client_name", "while the session runs"])
        try assertRefused(#"{"web": {"token": "0123456789abcdef0"}}"#, naming: ["web.token"])
        // The same key twice, dotted and nested.
        try assertRefused(#"{"session.mode": "duet", "session": {"mode": "backing"}}"#, naming: ["session.mode", "twice"])
    }

    func testMalformedJSONIsA400() throws {
        for body in ["", "{", "{\"session.mode\": }", "[1,2]", "\"backing\"", "{}", "{\"a\":1,\"a\":2}", "{\"session.tempo\": 1e999}",
                     "{\"session.mode\": \"backing\"} trailing", String(repeating: "[", count: 100), "{\"s\u{1}\": 1}", "nul"] {
            try assertRefused(body, naming: [])
        }
        try assertRefused("{\"session.mode\": \"back", naming: ["malformed JSON at byte"])
    }

    func testOversizedBodiesAre413() throws {
        let big = "{\"session.name\": \"" + String(repeating: "x", count: 20_000) + "\"}"
        try assertRefused(big, status: 413, naming: ["16384"])
        // Chunked, with no Content-Length: refused as it arrives.
        let chunk = String(repeating: "y", count: 9000)
        let raw = "POST /api/control HTTP/1.1\r\nHost: 127.0.0.1:\(http.port)\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "2328\r\n\(chunk)\r\n2328\r\n\(chunk)\r\n0\r\n\r\n"
        XCTAssertEqual(try RawHTTP.parse(http.raw(Array(raw.utf8))).status, 413)
        XCTAssertEqual(fake.applied.count, 0)
    }

    func testOnlyJSONIsAccepted() throws {
        let r = try http.request("POST", "/api/control", body: Array(#"{"panic": true}"#.utf8), headers: ["Content-Type": "text/plain"])
        XCTAssertEqual(r.status, 415)
        XCTAssertEqual(fake.applied.count, 0)
    }

    func testAnotherOriginIsRefused() throws {
        let evil = ["Origin": "http://evil.example"]
        let r = try http.post(#"{"panic": true}"#, headers: evil)
        XCTAssertEqual(r.status, 403)
        XCTAssertTrue(r.text.contains("evil.example"))
        XCTAssertEqual(try http.request("GET", "/api/state", headers: evil).status, 403)
        XCTAssertEqual(try http.request("GET", "/api/state", headers: ["Origin": "null"]).status, 403)
        XCTAssertEqual(try http.request("OPTIONS", "/api/control", headers: evil).status, 403)
        XCTAssertEqual(try http.post(#"{"panic": true}"#, headers: ["Origin": "http://127.0.0.1:\(http.port + 1)"]).status, 403)
        XCTAssertEqual(fake.applied.count, 0)
        // The page's own origin, and scripts that send none.
        XCTAssertEqual(try http.post(#"{"panic": true}"#, headers: ["Origin": "http://127.0.0.1:\(http.port)"]).status, 200)
        XCTAssertEqual(try http.post(#"{"panic": true}"#).status, 200)
        XCTAssertEqual(fake.applied.count, 2)
        // And the WebSocket: another origin gets no upgrade.
        XCTAssertEqual(try RawWebSocket(port: http.port, headers: evil).status, 403)
    }

    func testARebindingHostIsRefused() throws {
        // DNS rebinding: evil.example resolves to 127.0.0.1; its page's Origin matches its Host.
        let r = try http.post(#"{"panic": true}"#, headers: ["Host": "evil.example:\(http.port)", "Origin": "http://evil.example:\(http.port)"])
        XCTAssertEqual(r.status, 403)
        XCTAssertEqual(try http.request("GET", "/", headers: ["Host": "evil.example:\(http.port)"]).status, 403)
        XCTAssertEqual(try http.request("GET", "/api/state", headers: ["Host": "localhost:\(http.port)"]).status, 200)
        XCTAssertEqual(fake.applied.count, 0)
    }

    func testWebSocketSendsStateThenEvents() throws {
        let ws = try RawWebSocket(port: http.port)
        XCTAssertEqual(ws.status, 101)
        let hello = try XCTUnwrap(ws.next(type: "hello"))
        XCTAssertEqual((hello["state"] as? [String: Any])?["key"] as? String, "F")
        let deadline = Date().addingTimeInterval(5)
        while fake.events.subscriberCount == 0, Date() < deadline { usleep(10_000) }
        XCTAssertEqual(fake.events.subscriberCount, 1)
        fake.events.publish(.noteOn(part: .player, pitch: 64, velocity: 90, beat: 8.5))
        fake.events.publish(.position(beat: 9, bar: 2, barBeat: 1, chord: "F7"))
        fake.events.publish(.log(level: "notice", message: "a \"quoted\"\nline"))
        let note = try XCTUnwrap(ws.next(type: "note_on"))
        XCTAssertEqual(note["part"] as? String, "player")
        XCTAssertEqual(note["pitch"] as? Int, 64)
        XCTAssertEqual(note["beat"] as? Double, 8.5)
        let position = try XCTUnwrap(ws.next(type: "position"))
        XCTAssertEqual(position["chord"] as? String, "F7")
        XCTAssertEqual(position["bar"] as? Int, 2)
        XCTAssertEqual(try XCTUnwrap(ws.next(type: "log"))["message"] as? String, "a \"quoted\"\nline")
        // A change made through the API reaches the stream as a state message.
        XCTAssertEqual(try http.post(#"{"session.tempo": 140}"#).status, 200)
        let state = try XCTUnwrap(ws.next(type: "state"))
        XCTAssertEqual((state["state"] as? [String: Any])?["tempo"] as? Double, 140)
    }

    func testManyClientsAndAClosedOneDoNotStopTheStream() throws {
        var clients = try (0..<20).map { _ in try RawWebSocket(port: http.port) }
        for c in clients { XCTAssertNotNil(c.next(type: "hello")) }
        clients.removeLast(10)  // hung up
        fake.events.publish(.noteOn(part: .melody, pitch: 70, velocity: 80, beat: 1))
        for c in clients { XCTAssertEqual(c.next(type: "note_on")?["pitch"] as? Int, 70) }
        let deadline = Date().addingTimeInterval(5)
        while fake.events.subscriberCount != 10, Date() < deadline { usleep(10_000) }
        XCTAssertEqual(fake.events.subscriberCount, 10)
    }
}
