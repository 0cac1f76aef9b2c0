import Foundation
import StandardMIDI
import XCTest

/// The WAV files `improv render` and `improv jam --wav` write, read back as a player would.
final class AudioCommandTests: XCTestCase {
    struct WAV {
        var sampleRate: Int
        var channels: Int
        var bits: Int
        var samples: [Float]
        var seconds: Double { Double(samples.count / channels) / Double(sampleRate) }
        var rms: Double { (samples.reduce(0) { $0 + Double($1 * $1) } / Double(max(1, samples.count))).squareRoot() }

        init(path: String) throws {
            let d = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            func u32(_ i: Int) -> Int { Int(d[i]) | Int(d[i + 1]) << 8 | Int(d[i + 2]) << 16 | Int(d[i + 3]) << 24 }
            func u16(_ i: Int) -> Int { Int(d[i]) | Int(d[i + 1]) << 8 }
            XCTAssertEqual(String(decoding: d[0..<4], as: UTF8.self), "RIFF")
            XCTAssertEqual(String(decoding: d[8..<12], as: UTF8.self), "WAVE")
            var i = 12
            var rate = 0, channels = 0, bits = 0
            var samples: [Float] = []
            while i + 8 <= d.count {
                let id = String(decoding: d[i..<(i + 4)], as: UTF8.self), size = u32(i + 4)
                if id == "fmt " { channels = u16(i + 10); rate = u32(i + 12); bits = u16(i + 22) }
                if id == "data" {
                    let body = d[(i + 8)..<min(d.count, i + 8 + size)]
                    if bits == 16 {
                        samples = stride(from: body.startIndex, to: body.endIndex - 1, by: 2).map {
                            Float(Int16(bitPattern: UInt16(body[$0]) | UInt16(body[$0 + 1]) << 8)) / 32768
                        }
                    } else {
                        samples = stride(from: body.startIndex, to: body.endIndex - 3, by: 4).map {
                            Float(bitPattern: UInt32(body[$0]) | UInt32(body[$0 + 1]) << 8 | UInt32(body[$0 + 2]) << 16 | UInt32(body[$0 + 3]) << 24)
                        }
                    }
                }
                i += 8 + size + size % 2
            }
            sampleRate = rate
            self.channels = channels
            self.bits = bits
            self.samples = samples
        }
    }

    func testJamOnTheDefaultsRendersAWholeSessionToWAV() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let wav = dir.appendingPathComponent("jam.wav").path, mid = dir.appendingPathComponent("jam.mid").path
        let r = try CLI.run(["jam", "--seed", "1", "--wav", wav, "--midi", mid])
        XCTAssertEqual(r.status, 0, r.stderr)
        let audio = try WAV(path: wav)
        XCTAssertEqual(audio.sampleRate, 44100)
        XCTAssertEqual(audio.channels, 2)
        XCTAssertEqual(audio.bits, 16)
        // As long as the session, plus a short release tail, not more.
        let file = try MIDIFile.read(path: mid)
        let lastTick = file.tracks.flatMap(\.events).map(\.tick).max()!
        let sessionSeconds = Double(lastTick) / 480 * 0.5
        XCTAssertGreaterThan(audio.seconds, sessionSeconds - 0.5)
        XCTAssertLessThan(audio.seconds, sessionSeconds + 5.5)
        XCTAssertGreaterThan(audio.rms, 0.003, "not silent")
    }

    func testRenderAFileAt48kFloat() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let mid = dir.appendingPathComponent("a.mid").path, wav = dir.appendingPathComponent("a.wav").path
        let events = [MIDITrackEvent(tick: 0, event: .noteOn(channel: 0, key: 69, velocity: 100)),
                      MIDITrackEvent(tick: 960, event: .noteOff(channel: 0, key: 69, velocity: 0))]
        try MIDIFile(format: 0, ticksPerQuarter: 480, tracks: [MIDITrack(events: events)]).write(path: mid)
        let r = try CLI.run(["render", mid, wav, "--rate", "48000", "--float"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let audio = try WAV(path: wav)
        XCTAssertEqual(audio.sampleRate, 48000)
        XCTAssertEqual(audio.bits, 32)
        XCTAssertGreaterThan(audio.seconds, 0.95)
        XCTAssertLessThan(audio.seconds, 6.1)
        XCTAssertGreaterThan(audio.rms, 0.003)
        XCTAssertNotEqual(try CLI.run(["render", mid, wav, "--rate", "22050"]).status, 0)
        let missing = try CLI.run(["render", mid, wav, "--soundfont", "/nowhere/x.sf2"])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.stderr.contains("/nowhere/x.sf2"), missing.stderr)
    }
}
