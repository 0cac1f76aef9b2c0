import Presets
import XCTest

/// The [web] table: where the control page listens, and its token.
final class WebPresetTests: XCTestCase {
    func testDefaultsListenOnLoopbackWithoutAToken() throws {
        let p = try Preset(toml: "", file: "x.toml")
        XCTAssertEqual(p.webListen, "127.0.0.1:8737")
        XCTAssertNil(p.webToken)
        XCTAssertTrue(WebAddress(p.webListen)!.isLoopback)
    }

    func testOffAndOtherLoopbackAddresses() throws {
        XCTAssertEqual(try Preset(toml: "[web]\nlisten = \"\"", file: "x.toml").webListen, "")
        for a in ["[::1]:9000", "localhost:80", "127.0.0.2:8737", "127.0.0.1:0"] {
            let p = try Preset(toml: "[web]\nlisten = \"\(a)\"", file: "x.toml")
            XCTAssertEqual(p.webListen, a)
            XCTAssertTrue(WebAddress(a)!.isLoopback, a)
        }
    }

    func testABadAddressIsNamed() {
        for a in ["8737", "127.0.0.1", "127.0.0.1:70000", "256.1.1.1:80", "example.com:80", "[::1:80", "127.0.0.1:-1", "[zz]:80"] {
            XCTAssertThrowsError(try Preset(toml: "[web]\nlisten = \"\(a)\"", file: "x.toml"), a) { e in
                XCTAssertEqual((e as? PresetError)?.key, "web.listen", a)
                XCTAssertTrue("\(e)".contains("127.0.0.1:8737"), "\(e)")
            }
        }
    }

    func testOffLoopbackNeedsAToken() throws {
        XCTAssertThrowsError(try Preset(toml: "[web]\nlisten = \"0.0.0.0:8737\"", file: "x.toml")) { e in
            XCTAssertEqual((e as? PresetError)?.key, "web.token")
            XCTAssertTrue("\(e)".contains("not a loopback address"), "\(e)")
        }
        let p = try Preset(toml: "[web]\nlisten = \"0.0.0.0:8737\"\ntoken = \"s3cret-token-0123456789\"", file: "x.toml")
        XCTAssertEqual(p.webToken, "s3cret-token-0123456789")
        XCTAssertFalse(WebAddress(p.webListen)!.isLoopback)
    }

    func testAWeakTokenIsRefused() {
        for t in ["short", "has a space in it!!", String(repeating: "x", count: 300)] {
            XCTAssertThrowsError(try Preset(toml: "[web]\ntoken = \"\(t)\"", file: "x.toml"), t) { e in
                XCTAssertEqual((e as? PresetError)?.key, "web.token")
            }
        }
        XCTAssertThrowsError(try Preset(toml: "[web]\nport = 1", file: "x.toml")) { e in
            XCTAssertEqual((e as? PresetError)?.key, "web.port")
        }
    }
}
