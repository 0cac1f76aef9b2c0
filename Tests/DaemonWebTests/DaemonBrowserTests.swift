import ControlPage
import Daemon
import Foundation
import XCTest

/// The page served by the real daemon (EmbeddedSequencer, its simulated time paced to the wall
/// clock so the page scrolls as it would live), in a real headless Chromium driven by
/// Tests/ControlPageTests/browser/drive_page.py: a call played in shows in the roll and so does
/// improv's answer; PANIC and a typed tempo reach the daemon. The screenshot is kept in
/// .build/control-page/daemon-control-page.png.
final class DaemonBrowserTests: XCTestCase {
    func testThePageShowsACallAndTheAnswerAndItsControlsReachTheDaemon() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        // The shipped presets to choose from, as `improv daemon` offers them.
        let folder = root.appendingPathComponent("presets")
        let shipped = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".toml") }
        let rig = try PageRig(presets: Dictionary(uniqueKeysWithValues: shipped.map { (String($0.dropLast(5)), folder.appendingPathComponent($0).path) }))
        try await rig.start()
        let started = (rig.sequencer.scheduled + rig.sequencer.sent).map(\.sequence).max() ?? -1

        let artifacts = root.appendingPathComponent(".build/control-page")
        try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
        let shot = artifacts.appendingPathComponent("daemon-control-page.png")
        try? FileManager.default.removeItem(at: shot)
        let log = artifacts.appendingPathComponent("drive_page-daemon.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let out = try FileHandle(forWritingTo: log)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        // The call's last note (72), any note of improv's answer, the form's bar shown, then
        // three seconds more of the answer before the screenshot.
        process.arguments = ["python3", root.appendingPathComponent("Tests/ControlPageTests/browser/drive_page.py").path,
                             "http://127.0.0.1:\(rig.port)/", shot.path, "72", "any", "bar ", "3"]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = out
        try process.run()

        // The daemon's clock follows the wall clock from here.
        let t0 = Date().addingTimeInterval(-rig.sequencer.seconds)
        func pace() throws { try rig.turn(until: Date().timeIntervalSince(t0)) }
        let deadline = Date().addingTimeInterval(120)
        while rig.hub.subscriberCount == 0, process.isRunning, Date() < deadline {
            try pace()
            try await Task.sleep(for: .milliseconds(20))
        }
        XCTAssertEqual(rig.hub.subscriberCount, 1, "the page never opened /api/events")
        rig.pushCall(at: rig.sequencer.seconds + 0.5)
        while process.isRunning, Date() < deadline {
            try pace()
            try await Task.sleep(for: .milliseconds(10))
        }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        try out.close()
        let transcript = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        print("drive_page (\(log.path)):\n\(transcript)")
        XCTAssertEqual(process.terminationStatus, 0, transcript)

        try rig.daemon.turn()
        XCTAssertGreaterThan(rig.noteOns(channel: 1).count, 0, "improv answered")
        XCTAssertTrue(rig.sequencer.sent.contains { $0.sequence > started && $0.message == .channel(.allNotesOff(channel: 1)) },
                      "PANIC on the page: all notes off reached the sequencer")
        XCTAssertTrue(rig.log.all.contains("panic (control)"), rig.log.all)
        XCTAssertEqual(rig.daemon.tempoBPM, 96, "the tempo typed on the page")
        XCTAssertEqual(rig.sequencer.tempoBPM, 96)
        XCTAssertTrue(rig.daemon.engine.settings.followSwing, "the swing's auto box ticked on the page")
        // The rig plays the built-in preset: the box says so rather than naming a shipped one,
        // and offers every shipped one.
        let offered = shipped.map { "\"\($0.dropLast(5))\"" }.sorted().joined(separator: ", ")
        XCTAssertTrue(transcript.contains("\"presets\": [\"*built-in\", \(offered)]"), transcript)
        let png = try Data(contentsOf: shot)
        XCTAssertEqual(Array(png.prefix(4)), [0x89, 0x50, 0x4E, 0x47], "the screenshot is not a PNG")
        print("screenshot: \(shot.path)")
        await rig.stop()
    }
}
