import ControlPage
import Foundation
import Presets
import TestSupport
import XCTest

final class TokenTests: XCTestCase {
    let token = "t0ken-for-the-tests-0123456789"

    func testTheTokenIsRequiredWhenSet() async throws {
        let fake = FakeSurface()
        let server = try ControlServer(surface: fake, address: WebAddress("127.0.0.1:0")!, token: token)
        let http = RawHTTP(port: try await server.start())
        defer { Task { await server.stop() } }

        let none = try http.request("GET", "/api/state")
        XCTAssertEqual(none.status, 401)
        XCTAssertEqual(none.headers["www-authenticate"], "Bearer")
        XCTAssertEqual(try http.request("GET", "/api/state", headers: ["Authorization": "Bearer wrong-token-0123456789abc"]).status, 401)
        XCTAssertEqual(try http.request("GET", "/api/state", headers: ["Authorization": "Bearer \(token)x"]).status, 401)
        XCTAssertEqual(try http.post(#"{"panic": true}"#, headers: ["Authorization": "Basic \(token)"]).status, 401)
        XCTAssertEqual(fake.applied.count, 0)
        XCTAssertEqual(try http.request("GET", "/api/state", headers: ["Authorization": "Bearer \(token)"]).status, 200)
        XCTAssertEqual(try http.post(#"{"panic": true}"#, headers: ["Authorization": "Bearer \(token)"]).status, 200)
        XCTAssertEqual(fake.applied.count, 1)
        // The page itself holds no secret; it asks for the token.
        XCTAssertEqual(try http.request("GET", "/").status, 200)
        // The WebSocket: a browser cannot set headers there, so ?token= too.
        XCTAssertEqual(try RawWebSocket(port: http.port).status, 401)
        XCTAssertEqual(try RawWebSocket(port: http.port, path: "/api/events?token=nope").status, 401)
        let ws = try RawWebSocket(port: http.port, path: "/api/events?token=\(token)")
        XCTAssertEqual(ws.status, 101)
        XCTAssertNotNil(ws.next(type: "hello"))
    }

    func testOffLoopbackWithoutATokenDoesNotStart() throws {
        XCTAssertThrowsError(try ControlServer(surface: FakeSurface(), address: WebAddress("0.0.0.0:0")!, token: nil)) { e in
            XCTAssertTrue("\(e)".contains("web.token"), "\(e)")
        }
        var p = Preset()
        p.webListen = ""
        XCTAssertNil(try ControlServer(surface: FakeSurface(), preset: p))
    }

    func testABusyPortIsNamed() async throws {
        let first = try ControlServer(surface: FakeSurface(), address: WebAddress("127.0.0.1:0")!, token: nil)
        let port = try await first.start()
        defer { Task { await first.stop() } }
        let second = try ControlServer(surface: FakeSurface(), address: WebAddress("127.0.0.1:\(port)")!, token: nil)
        do {
            try await second.start()
            XCTFail("bound a busy port")
        } catch {
            XCTAssertTrue("\(error)".contains("127.0.0.1:\(port)"), "\(error)")
        }
    }
}

/// Garbage at the server, bounded in count: it answers each with an error or not at all,
/// changes nothing, and still serves afterwards.
final class APIFuzzTests: XCTestCase {
    func testTheServerSurvivesGarbage() async throws {
        let fake = FakeSurface()
        let server = try ControlServer(surface: fake, address: WebAddress("127.0.0.1:0")!, token: nil)
        let http = RawHTTP(port: try await server.start())
        defer { Task { await server.stop() } }
        var rng = SystemRandomNumberGenerator()
        let seed = UInt64.random(in: 0..<UInt64.max, using: &rng)
        var g = SplitMix(seed)
        let fragments = ["{", "}", "[", "]", "\"", ":", ",", "session", ".", "tempo", "mode", "1e999", "-", "0", "9", "true", "null",
                         "\\u", "\\", "\u{0}", "é", "🎷", " ", "\n", "panic", "connect", "{\"input\":", "\"session.tempo\":"]
        for i in 0..<300 {
            let body: [UInt8]
            switch i % 3 {
            case 0: body = (0..<Int(g.next() % 200)).map { _ in UInt8(truncatingIfNeeded: g.next()) }
            case 1: body = Array((0..<Int(g.next() % 40)).map { _ in fragments[Int(g.next() % UInt64(fragments.count))] }.joined().utf8)
            default: body = Array(String(repeating: "{\"a\":", count: Int(g.next() % 3000)).utf8)
            }
            let r = try http.request("POST", "/api/control", body: body)
            XCTAssertTrue([400, 413].contains(r.status), "seed \(seed) #\(i): \(r.status) \(r.text)")
        }
        // Raw garbage instead of HTTP, and a huge body that never ends.
        for i in 0..<50 {
            let junk = (0..<Int(g.next() % 2000)).map { _ in UInt8(truncatingIfNeeded: g.next()) }
            _ = try? http.raw(junk)
            _ = i
        }
        let huge = try http.request("POST", "/api/control", body: [UInt8](repeating: UInt8(ascii: "["), count: 2_000_000))
        XCTAssertEqual(huge.status, 413)
        XCTAssertEqual(fake.applied.count, 0, "seed \(seed)")
        XCTAssertEqual(try http.request("GET", "/api/state").status, 200)
        XCTAssertEqual(try http.post(#"{"session.tempo": 99}"#).status, 200)
    }
}

struct SplitMix {
    var state: UInt64
    init(_ seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
