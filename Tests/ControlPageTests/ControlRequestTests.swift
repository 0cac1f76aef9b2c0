@testable import ControlPage
import MusicCore
import XCTest

/// Parsing and validating control requests, without a server.
final class ControlRequestTests: XCTestCase {
    func parse(_ s: String) throws -> ControlRequest {
        try ControlRequest.parse(json: Array(s.utf8), presets: ["blues-band"])
    }

    func testDottedAndNestedAreTheSame() throws {
        let a = try parse(#"{"session.mode": "duet", "band.bass": "walking", "session.swing": "auto"}"#)
        let b = try parse(#"{"session": {"mode": "duet", "swing": "auto"}, "band": {"bass": "walking"}}"#)
        XCTAssertEqual(Set(a.changes.map { "\($0)" }), Set(b.changes.map { "\($0)" }))
        XCTAssertTrue(a.changes.contains(.mode(.duet)))
        XCTAssertTrue(a.changes.contains(.swing(nil)))
        XCTAssertTrue(a.changes.contains(.bass(.walking)))
    }

    func testValuesAreThePresetsOwn() throws {
        XCTAssertEqual(try parse(#"{"session.key": "Am"}"#).changes, [.key(Key(tonic: 9, minor: true))])
        XCTAssertEqual(try parse(#"{"session.tempo": 96}"#).changes, [.tempo(96)])
        XCTAssertEqual(try parse(#"{"sampling.temperature": 0.5}"#).changes, [.temperature(0.5)])
        XCTAssertEqual(try parse(#"{"session.learn": "session"}"#).changes, [.learn(.session)])
        XCTAssertEqual(try parse(#"{"band.comping": "guide-tones", "band.click": true}"#).changes, [.comping(.guideTones), .click(true)])
        XCTAssertEqual(try parse(#"{"disconnect": {"input": "24:0", "output": "USB Keyboard"}}"#).actions,
                       [.disconnect(.input, "24:0"), .disconnect(.output, "USB Keyboard")])
    }

    func testQuotesInNamesCannotWriteTOML() {
        // A key or value that would end the TOML string: refused as unknown, never parsed as structure.
        for s in [#"{"session.mode\" = \"duet\"\n[alsa]\nclient_name = \"x": 1}"#, #"{"session.name": "a\"\n[web]\nlisten=\"0.0.0.0:1\""}"#] {
            XCTAssertThrowsError(try parse(s), s) { e in
                let key = (e as? ControlError)?.key ?? ""
                XCTAssertTrue(key.hasPrefix("session."), "\(e)")
            }
        }
    }

    func testJSONReader() throws {
        XCTAssertEqual(try JSONValue.parse(Array(#" {"a": [1, -2.5e1, true, null, "\u00e9\ud83c\udfb7"]} "#.utf8)),
                       .object([("a", .array([.integer(1), .number(-25), .bool(true), .null, .string("é🎷")]))]))
        for bad in ["01", "1.", "-", "\"\\x\"", "\"\\ud800\"", "tru", "{\"a\" 1}", "[1,]", "{,}", "\u{FF}"] {
            XCTAssertThrowsError(try JSONValue.parse(Array(bad.utf8)), bad)
        }
    }

    func testTheHubDropsTheOldestForASlowReader() {
        let hub = EventHub(capacity: 8)
        var cursor = hub.cursor(backlog: 100)
        for i in 0..<20 { hub.publish(.noteOn(part: .player, pitch: UInt8(i), velocity: 1, beat: 0)) }
        var out: [ControlEvent] = []
        let dropped = hub.read(from: &cursor, limit: 100, into: &out)
        XCTAssertEqual(dropped, 12)
        XCTAssertEqual(out.count, 8)
        XCTAssertEqual(out.first, .noteOn(part: .player, pitch: 12, velocity: 1, beat: 0))
        XCTAssertEqual(out.last, .noteOn(part: .player, pitch: 19, velocity: 1, beat: 0))
        XCTAssertEqual(hub.read(from: &cursor, limit: 100, into: &out), 0)
        XCTAssertEqual(out.count, 8)
        // A new reader starts a backlog back, no further than the ring holds.
        XCTAssertEqual(hub.cursor(backlog: 3), 17)
        XCTAssertEqual(hub.cursor(backlog: 100), 12)
    }

    func testConstantTimeCompare() {
        XCTAssertTrue(RequestGuard.constantTimeEqual("abcdefghijklmnop", "abcdefghijklmnop"))
        XCTAssertFalse(RequestGuard.constantTimeEqual("abcdefghijklmnoq", "abcdefghijklmnop"))
        XCTAssertFalse(RequestGuard.constantTimeEqual("abcdefghijklmnop" + "p", "abcdefghijklmnop"))
        XCTAssertFalse(RequestGuard.constantTimeEqual("", "abcdefghijklmnop"))
        XCTAssertFalse(RequestGuard.constantTimeEqual("abcdefgh", "abcdefghabcdefgh"))
    }
}
