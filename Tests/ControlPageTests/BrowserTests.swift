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
        // Three bars of a blues in F (chords, walking bass, ride, a call and its answer), then bar 4.
        let chart = ["F7", "Bb7", "F7", "F7"], roots: [UInt8] = [41, 46, 41, 41]
        for bar in 0..<3 {
            for beat in 0..<4 {
                let b = Double(bar * 4 + beat)
                fake.events.publish(.position(beat: b, bar: bar, barBeat: Double(beat), chord: chart[bar]))
                fake.events.publish(.noteOn(part: .bass, pitch: roots[bar] + [0, 4, 7, 10][beat], velocity: 90, beat: b))
                fake.events.publish(.noteOff(part: .bass, pitch: roots[bar] + [0, 4, 7, 10][beat], beat: b + 0.9))
                fake.events.publish(.noteOn(part: .drums, pitch: 51, velocity: 80, beat: b))
            }
            fake.events.publish(.noteOn(part: .chords, pitch: roots[bar] + 12, velocity: 70, beat: Double(bar * 4)))
            fake.events.publish(.noteOff(part: .chords, pitch: roots[bar] + 12, beat: Double(bar * 4) + 3.5))
            let phrase: [UInt8] = bar < 2 ? [65, 68, 70, 72, 75, 72] : [77, 75, 72, 70, 68, 65]
            for (i, p) in phrase.enumerated() {
                let b = Double(bar * 4) + Double(i) * 0.66
                let part: ControlEvent.Part = bar < 2 ? .player : .melody
                fake.events.publish(.noteOn(part: part, pitch: p, velocity: 70 + UInt8(i * 8), beat: b))
                fake.events.publish(.noteOff(part: part, pitch: p, beat: b + 0.5))
            }
        }
        fake.events.publish(.position(beat: 12, bar: 3, barBeat: 0, chord: "F7"))
        fake.events.publish(.noteOn(part: .player, pitch: 64, velocity: 100, beat: 12))
        fake.events.publish(.noteOn(part: .chords, pitch: 53, velocity: 70, beat: 12))
        fake.events.publish(.noteOn(part: .drums, pitch: 42, velocity: 90, beat: 12.5))
        fake.events.publish(.noteOff(part: .player, pitch: 64, beat: 13))
        fake.events.publish(.noteOn(part: .melody, pitch: 67, velocity: 90, beat: 13))
        fake.events.publish(.position(beat: 13, bar: 3, barBeat: 1, chord: "F7"))
        fake.events.publish(.log(level: "notice", message: "a 2-bar call in F, register F4-Eb5: answering"))
        fake.events.publish(.log(level: "warning", message: "input 24:0 (USB Keyboard) went away; waiting for it"))
        while process.isRunning { try await Task.sleep(for: .milliseconds(100)) }
        try out.close()
        let transcript = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        print("drive_page (\(log.path)):\n\(transcript)")
        XCTAssertEqual(process.terminationStatus, 0, transcript)

        XCTAssertTrue(fake.applied.contains { $0.actions == [.panic] }, "PANIC did not reach the session: \(fake.applied)")
        XCTAssertTrue(fake.applied.contains { $0.changes == [.tempo(96)] }, "the tempo did not reach the session: \(fake.applied)")
        XCTAssertEqual(fake.state().tempo, 96)
        XCTAssertTrue(fake.applied.contains { $0.changes == [.swing(nil)] }, "the swing's auto box did not reach the session: \(fake.applied)")
        let png = try Data(contentsOf: shot)
        XCTAssertEqual(Array(png.prefix(4)), [0x89, 0x50, 0x4E, 0x47], "the screenshot is not a PNG")
        print("screenshot: \(shot.path)")
    }
}
