import CALSA
import Foundation
import MIDI
import XCTest
@testable import ALSASequencer

/// Events the ALSA decoding fuzzer (fuzz/alsa-event, fuzz/RESULTS.md) broke a property with.
/// The files use the fuzzer's layout: byte 0 improv's queue (0xFF none), bytes 1-4 the
/// fallback tick, then the snd_seq_event_t bytes.
final class FuzzRegressionTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func decode(_ bytes: [UInt8]) -> InputEvent {
        var padded = bytes + [UInt8](repeating: 0, count: max(0, 5 + MemoryLayout<snd_seq_event_t>.size - bytes.count))
        padded = Array(padded.prefix(5 + MemoryLayout<snd_seq_event_t>.size))
        var ev = snd_seq_event_t()
        withUnsafeMutableBytes(of: &ev) { $0.copyBytes(from: padded[5...]) }
        let queue: Int32? = padded[0] == 0xFF ? nil : Int32(padded[0])
        let tick = UInt32(padded[1]) | UInt32(padded[2]) << 8 | UInt32(padded[3]) << 16 | UInt32(padded[4]) << 24
        return InputEvent(event: ev, queue: queue, fallbackTick: tick)
    }

    /// A note-on whose velocity byte is 128 has velocity 0 in MIDI's 7 bits: a note-off, which
    /// encodes and decodes as itself (it used to come out as a note-on of velocity 0).
    func testNoteOnWithVelocity128IsANoteOff() throws {
        let bytes = [UInt8](try Data(contentsOf: Self.root.appendingPathComponent("Tests/ALSASequencerTests/FuzzRegressions/note-on-velocity-128.bin")))
        let event = Self.decode(bytes)
        guard case .midi(let message) = event.kind else { return XCTFail("\(event.kind)") }
        XCTAssertEqual(message, .channel(.noteOff(channel: 4, key: 0, velocity: 0)))
        XCTAssertEqual(MIDIMessage(event: message.event), message)

        var ev = MIDIMessage.channel(.noteOn(channel: 1, key: 60, velocity: 100)).event
        ev.data.note.velocity = 0x80 | 5
        XCTAssertEqual(MIDIMessage(event: ev), .channel(.noteOn(channel: 1, key: 60, velocity: 5)), "only the low 7 bits count")
    }

    func testEverySeedDecodesToWhatItWasMadeFrom() throws {
        let dir = Self.root.appendingPathComponent("fuzz/corpus/alsa-event")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        XCTAssertGreaterThanOrEqual(names.count, 16)
        for name in names {
            let event = Self.decode([UInt8](try Data(contentsOf: dir.appendingPathComponent(name))))
            XCTAssertTrue(event.tickIsKernelStamped, name)
            XCTAssertEqual(event.tick, 1234, name)
            XCTAssertEqual(event.source, SequencerAddress(client: 20, port: 0), name)
            switch event.kind {
            case .midi(let m): XCTAssertEqual(MIDIMessage(event: m.event), m, name)
            case .other: XCTAssertEqual(name, "sysex-other.bin")
            default: XCTAssertTrue(name.hasPrefix("port-") || name.hasPrefix("client-"), name)
            }
        }
    }

    /// The pure decode the sequencer uses: the kernel's tick only for tick-stamped events on
    /// improv's own queue.
    func testTheTickIsTheKernelsOnlyOnOurQueue() {
        var ev = MIDIMessage.clock.event
        ev.flags = UInt8(SND_SEQ_TIME_STAMP_TICK)
        ev.queue = 3
        ev.time.tick = 99
        XCTAssertEqual(InputEvent(event: ev, queue: 3, fallbackTick: 7).tick, 99)
        XCTAssertEqual(InputEvent(event: ev, queue: 2, fallbackTick: 7).tick, 7)
        XCTAssertEqual(InputEvent(event: ev, queue: nil, fallbackTick: 7).tick, 7)
        ev.flags = UInt8(SND_SEQ_TIME_STAMP_REAL)
        XCTAssertFalse(InputEvent(event: ev, queue: 3, fallbackTick: 7).tickIsKernelStamped)
    }
}
