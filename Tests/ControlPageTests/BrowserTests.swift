import ControlPage
import Foundation
import Presets
import XCTest

/// The page in a real headless Chromium (Debian's), driven over its DevTools protocol by
/// browser/drive_page.py: a note the fake session plays shows in the roll, and pressing
/// PANIC and typing a tempo reach the session. The screenshot is kept in
/// .build/control-page/control-page.png.
final class BrowserTests: XCTestCase {
    func testPageShowsNotesAndItsControlsReachTheSession() async throws {
        let fake = FakeSurface()
        let server = try ControlServer(surface: fake, address: WebAddress("127.0.0.1:0")!, token: nil)
        let port = try await server.start()
        defer { Task { await server.stop() } }

        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let artifacts = root.appendingPathComponent(".build/control-page")
        try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
        let shot = artifacts.appendingPathComponent("control-page.png")
        try? FileManager.default.removeItem(at: shot)
        let log = artifacts.appendingPathComponent("drive_page.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let out = try FileHandle(forWritingTo: log)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", root.appendingPathComponent("Tests/ControlPageTests/browser/drive_page.py").path,
                             "http://127.0.0.1:\(port)/", shot.path]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = out
        try process.run()

        // Once the page listens, play: a bar of the form with the player's note and improv's answer.
        let deadline = Date().addingTimeInterval(90)
        while fake.events.subscriberCount == 0, process.isRunning, Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        XCTAssertEqual(fake.events.subscriberCount, 1, "the page never opened /api/events")
        fake.events.publish(.position(beat: 8, bar: 2, barBeat: 0, chord: "F7"))
        fake.events.publish(.noteOn(part: .player, pitch: 64, velocity: 100, beat: 8))
        fake.events.publish(.noteOn(part: .chords, pitch: 53, velocity: 70, beat: 8))
        fake.events.publish(.noteOn(part: .drums, pitch: 42, velocity: 90, beat: 8.5))
        fake.events.publish(.noteOff(part: .player, pitch: 64, beat: 9))
        fake.events.publish(.noteOn(part: .melody, pitch: 67, velocity: 90, beat: 9))
        fake.events.publish(.position(beat: 9, bar: 2, barBeat: 1, chord: "F7"))
        fake.events.publish(.log(level: "notice", message: "answering a 1-bar call in F"))
        while process.isRunning { try await Task.sleep(for: .milliseconds(100)) }
        try out.close()
        let transcript = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        print("drive_page (\(log.path)):\n\(transcript)")
        XCTAssertEqual(process.terminationStatus, 0, transcript)

        XCTAssertTrue(fake.applied.contains { $0.actions == [.panic] }, "PANIC did not reach the session: \(fake.applied)")
        XCTAssertTrue(fake.applied.contains { $0.changes == [.tempo(96)] }, "the tempo did not reach the session: \(fake.applied)")
        XCTAssertEqual(fake.state().tempo, 96)
        let png = try Data(contentsOf: shot)
        XCTAssertEqual(Array(png.prefix(4)), [0x89, 0x50, 0x4E, 0x47], "the screenshot is not a PNG")
        print("screenshot: \(shot.path)")
    }
}
