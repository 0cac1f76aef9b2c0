import Foundation
@testable import Presets
import XCTest

/// Inputs the preset fuzzer (scripts/fuzz.sh, fuzz/RESULTS.md) crashed on: each must now be a
/// PresetError naming the file and the line; and the fuzzer's seeds must all load.
final class FuzzRegressionTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func files(_ folder: String) throws -> [URL] {
        let dir = root.appendingPathComponent(folder)
        return try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted().map { dir.appendingPathComponent($0) }
    }

    func testEveryCrashInputIsAPresetError() throws {
        let inputs = try Self.files("Tests/PresetsTests/FuzzRegressions")
        XCTAssertGreaterThanOrEqual(inputs.count, 12)
        for url in inputs {
            let text = String(decoding: try Data(contentsOf: url), as: UTF8.self)
            XCTAssertThrowsError(try Preset(toml: text, file: url.lastPathComponent), url.lastPathComponent) { error in
                guard let e = error as? PresetError else { return XCTFail("\(url.lastPathComponent): \(error)") }
                XCTAssertEqual(e.file, url.lastPathComponent)
                XCTAssertNotNil(e.line, "\(e)")
            }
        }
    }

    func testTheErrorsSayWhereAndWhat() {
        func error(_ text: String) -> String {
            do { _ = try Preset(toml: text, file: "p.toml"); return "loaded" } catch { return "\(error)" }
        }
        XCTAssertEqual(error("[session]\n[,elody]\n"), "p.toml:2:2: not valid TOML: expected a table name after '[', found ','")
        XCTAssertEqual(error("[[ %x]]"), "p.toml:1:4: not valid TOML: expected a table name after '[', found '%'")
        XCTAssertEqual(error("a = 1979-05-27Tx\n"), "p.toml:1:5: not valid TOML: expected a number, found '1979-05-27Tx' (dates and times are not used in presets)")
        XCTAssertEqual(error("b = 07:32:00\n"), "p.toml:1:5: not valid TOML: expected a number, found '07:32:00' (dates and times are not used in presets)")
        XCTAssertEqual(error("a =098;-05-po 6"), "p.toml:1:4: not valid TOML: expected a number, found '098;-05-po' (dates and times are not used in presets)")
        XCTAssertEqual(error("[alsa]\ninputs = [ \"a\", # comment\n}"), "p.toml:3:1: not valid TOML: expected a value, found '}'")
        XCTAssertEqual(error("[session]\ntempo = 90\0\n"), "p.toml:2:11: not valid TOML: a NUL character is not allowed in TOML")
    }

    /// The pre-check follows strings, comments and brackets: none of these is a table header
    /// or a date, so each reaches the TOML parser (and loads or fails there, as before).
    func testThePrecheckLeavesValidTOMLAlone() throws {
        let valid = [
            "[session]\nname = \"\"\"\n[,not a header\n12:30 in a string\n\"\"\"\n",
            "[session]\nname = '''\n[,literal\n'''\n",
            "[session] # [,comment\nname = \"a\\\"[,b\" # 1979-05-27T07:32:00\n",
            "[alsa]\ninputs = [\n  \"a\",\n  \"b\"\n]\n",
            "[ session ]\ntempo = 1e2\nswing = +0.6\ngain = 1e-1\ncall_bars = 1_2\n",
            "[sampling]\ntop_k = 0x7\nseed = +1_000\ntemperature = 1E+0 # 12:30\n",
            "[alsa]\ninputs = [\n  # none yet\n]\noutputs = [\"}\"]\n[sound]\nx = {}\n",
            "[\"session\"]\nname = 'x'\n",
            "[session]\nname = \"\"\"a\"\"\"\"\ntempo = 96\n",
        ]
        for text in valid {
            XCTAssertNoThrow(try TOMLPrecheck.check(text), text)
        }
        XCTAssertEqual(try Preset(toml: valid[0], file: "p.toml").name, "[,not a header\n12:30 in a string\n")
        XCTAssertEqual(try Preset(toml: valid[8], file: "p.toml").name, "a\"")
        XCTAssertEqual(try Preset(toml: valid[8], file: "p.toml").tempoBPM, 96)
    }

    func testEverySeedLoads() throws {
        let seeds = try Self.files("fuzz/corpus/preset")
        XCTAssertGreaterThanOrEqual(seeds.count, 3)
        for url in seeds {
            XCTAssertNoThrow(try Preset(toml: String(decoding: try Data(contentsOf: url), as: UTF8.self), file: url.path), url.path)
        }
    }
}
