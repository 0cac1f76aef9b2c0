import Foundation
import XCTest
@testable import Synth

final class SoundfontTests: XCTestCase {
    func testMissingSoundfontNamesEveryPlaceTried() throws {
        let empty = try temporaryDirectory()
        let other = try temporaryDirectory()
        XCTAssertThrowsError(try SoundfontLocator.locate(
            preset: "/nowhere/preset.sf2",
            environment: ["IMPROV_SOUNDFONT": "/nowhere/env.sf2"],
            folders: [empty.path, other.path],
            systemPaths: ["/nowhere/FluidR3_GM.sf2", "/nowhere/default-GM.sf2"])) { error in
            let expected = ["/nowhere/preset.sf2", "/nowhere/env.sf2",
                            empty.appendingPathComponent("improv.sf2").path, other.appendingPathComponent("improv.sf2").path,
                            "/nowhere/FluidR3_GM.sf2", "/nowhere/default-GM.sf2"]
            XCTAssertEqual(error as? SynthError, .soundfontNotFound(tried: expected))
            for place in expected { XCTAssertTrue("\(error)".contains(place), "\(error) omits \(place)") }
        }
    }

    func testLookupOrder() throws {
        let folder = try temporaryDirectory()
        let inFolder = folder.appendingPathComponent("improv.sf2").path
        try Data([0]).write(to: URL(fileURLWithPath: inFolder))
        let system = ["/nowhere/a.sf2", soundfontPath]
        XCTAssertEqual(try SoundfontLocator.locate(preset: soundfontPath, environment: ["IMPROV_SOUNDFONT": inFolder],
                                                   folders: [folder.path], systemPaths: system), soundfontPath)
        XCTAssertEqual(try SoundfontLocator.locate(preset: "/nowhere/p.sf2", environment: ["IMPROV_SOUNDFONT": soundfontPath],
                                                   folders: [folder.path], systemPaths: system), soundfontPath)
        XCTAssertEqual(try SoundfontLocator.locate(preset: nil, environment: [:], folders: ["/nowhere", folder.path],
                                                   systemPaths: system), inFolder)
        XCTAssertEqual(try SoundfontLocator.locate(preset: nil, environment: [:], folders: [], systemPaths: system), soundfontPath)
        // The package folder is found from a build directory (.build/debug/X) and from the current directory.
        let root = URL(fileURLWithPath: soundfontPath).deletingLastPathComponent().deletingLastPathComponent()
        let folders = SoundfontLocator.defaultFolders(executablePath: root.appendingPathComponent(".build/debug/improv-render").path,
                                                      currentDirectory: "/")
        XCTAssertEqual(try SoundfontLocator.locate(preset: nil, environment: [:], folders: folders, systemPaths: []), soundfontPath)
        XCTAssertEqual(try SoundfontLocator.locate(preset: nil, environment: [:],
                                                   folders: SoundfontLocator.defaultFolders(executablePath: "/x/y", currentDirectory: root.path),
                                                   systemPaths: []), soundfontPath)
    }

    func testCorruptSoundfontIsRefusedWithItsName() throws {
        let path = try temporaryDirectory().appendingPathComponent("broken.sf2").path
        var bytes = [UInt8]("RIFF\u{10}\0\0\0sfbkLIST".utf8)
        bytes += [UInt8](repeating: 0x5A, count: 200)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let synth = try Synthesizer(offline: true)
        XCTAssertThrowsError(try synth.loadSoundfont(path: path)) { error in
            guard case .soundfontLoad(let named, _) = error as? SynthError else { return XCTFail("\(error)") }
            XCTAssertEqual(named, path)
            XCTAssertTrue("\(error)".contains("broken.sf2"))
        }
        // A file that is not RIFF at all, and one that is missing.
        let text = path + ".txt"
        try Data("not a soundfont".utf8).write(to: URL(fileURLWithPath: text))
        XCTAssertThrowsError(try synth.loadSoundfont(path: text)) { XCTAssertTrue("\($0)".contains(text), "\($0)") }
        XCTAssertThrowsError(try synth.loadSoundfont(path: "/nowhere/x.sf2")) { XCTAssertTrue("\($0)".contains("/nowhere/x.sf2")) }
        XCTAssertTrue(synth.soundfonts.isEmpty)
        // The synth still works afterwards.
        XCTAssertNoThrow(try synth.loadSoundfont(path: soundfontPath))
    }

    func testImprovSoundfontLoadsAndIsSmall() throws {
        let size = try FileManager.default.attributesOfItem(atPath: soundfontPath)[.size] as? Int ?? 0
        XCTAssertGreaterThan(size, 10_000)
        XCTAssertLessThan(size, 2_000_000)
        let synth = try Synthesizer(offline: true)
        XCTAssertNoThrow(try synth.loadSoundfont(path: soundfontPath))
        XCTAssertEqual(FluidLog.takeErrors(), "")
        for program: UInt8 in [0, 1, 7, 33, 64, 65, 66, 67, 71, 127] { XCTAssertNoThrow(try synth.setProgram(program, channel: 0)) }
    }

    func testCheckedCallsNameTheCall() {
        XCTAssertThrowsError(try check(-1, "fluid_example_call")) { error in
            XCTAssertTrue("\(error)".contains("fluid_example_call"))
        }
        XCTAssertNoThrow(try check(0, "fluid_example_call"))
        XCTAssertThrowsError(try created(Optional<OpaquePointer>.none, "new_fluid_example")) { XCTAssertTrue("\($0)".contains("new_fluid_example")) }
    }

    func testSettingsAreValidated() {
        XCTAssertThrowsError(try Synthesizer(settings: SynthSettings(gain: 11)))
        XCTAssertThrowsError(try Synthesizer(settings: SynthSettings(polyphony: 0)))
        XCTAssertThrowsError(try Synthesizer(settings: SynthSettings(reverb: .init(roomSize: 2))))
        XCTAssertThrowsError(try Synthesizer(settings: SynthSettings(periodSize: 1)))
        XCTAssertNoThrow(try Synthesizer(settings: SynthSettings(sampleRate: .hz48000, reverb: .init(enabled: false), chorus: false,
                                                                 polyphony: 64, audioDriver: .pulseaudio, periodSize: 256)))
    }
}
