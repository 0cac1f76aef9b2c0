import Foundation
import Logging
import XCTest
@testable import improv

/// `improv daemon` and `improv presets` as an admin meets them on a host without a sequencer
/// (the live daemon itself is tested against the real kernel sequencer in Tests/vm).
final class DaemonCommandTests: XCTestCase {
    func testJournaldPrioritiesFollowSyslog() {
        XCTAssertEqual(JournaldLogHandler.priority(.critical), 2)
        XCTAssertEqual(JournaldLogHandler.priority(.error), 3)
        XCTAssertEqual(JournaldLogHandler.priority(.warning), 4)
        XCTAssertEqual(JournaldLogHandler.priority(.notice), 5)
        XCTAssertEqual(JournaldLogHandler.priority(.info), 6)
        XCTAssertEqual(JournaldLogHandler.priority(.debug), 7)
    }

    func testALogLineIsOneLineWithItsMetadata() {
        let line = JournaldLogHandler.line(.warning, "input went away\nwaiting", ["port": "24:0", "client": "kbd"])
        XCTAssertEqual(line, "<4>input went away waiting client=kbd port=24:0\n")
    }

    func testAnUnknownLogLevelIsRefusedWithTheChoices() throws {
        let r = try CLI.run(["daemon", "--log-level", "loud"])
        XCTAssertEqual(r.status, 64)
        XCTAssertTrue(r.stderr.contains("expected one of critical, error, warning, notice, info, debug, trace, found \"loud\""), r.stderr)
    }

    func testAStartFailureIsLoggedAsAnErrorAndExitsNonZero() throws {
        // No /dev/snd/seq here (or a missing preset): either way the reason reaches the journal at <3>.
        let r = try CLI.run(["daemon", "--preset", "no-such-preset", "--seconds", "1"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("<3>improv daemon: no preset \"no-such-preset\""), r.stderr)
        XCTAssertTrue(r.stderr.contains("presets/no-such-preset.toml"), "the places tried are named: \(r.stderr)")
    }

    func testShippedPresetsAreListedAndFoundByName() throws {
        let r = try CLI.run(["presets"])
        XCTAssertEqual(r.status, 0, r.stderr)
        for line in ["blues-call-response    call-and-response, C, 120 BPM", "blues-backing          backing, F, 132 BPM",
                     "desktop-call-response  call-and-response, C, 120 BPM"] {
            XCTAssertTrue(r.stdout.contains(line), r.stdout)
        }
        let folder = try XCTUnwrap(PresetLocator.shipped(folders: PresetLocator.folders(executablePath: CLI.binary.path))).folder
        XCTAssertEqual(try PresetLocator.locate("blues-backing", folders: [folder]), "\(folder)/blues-backing.toml")
        XCTAssertEqual(try PresetLocator.locate("./mine.toml", folders: [folder]), "./mine.toml", "a path is taken as it is")
    }

    func testAnInstalledBinaryLooksBesideItsShareFolderFirst() {
        XCTAssertEqual(PresetLocator.folders(executablePath: "/opt/x/bin/improv").first, "/opt/x/share/improv/presets")
    }
}
