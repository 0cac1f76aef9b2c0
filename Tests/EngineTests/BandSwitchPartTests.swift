@testable import Engine
import MIDI
import MusicCore
import XCTest

/// A band part switched off starts no note and leaves none sounding; switched on it plays
/// again; a part the band does not have cannot be switched.
final class BandSwitchPartTests: XCTestCase {
    func testASilencedPartStartsNothingAndComesBack() {
        let form = ChordForm.eckBlues
        let tape = Tape()
        var band = Band(parts: BandParts(drums: DrumPart(style: .swing), bass: WalkingBass()), form: form, seed: 3)
        XCTAssertFalse(band.set(.comping, playing: false), "no comping in this band")
        XCTAssertFalse(band.isPlaying(.click))
        func count(_ channel: UInt8, _ slices: Range<Int>) -> Int {
            tape.played.filter {
                guard case .noteOn(channel, _, let v) = $0.message else { return false }
                return v > 0 && slices.contains($0.tick / 240)
            }.count
        }
        for s in 0..<32 { band.play(slice: s, formSlice: s, tick: { $0 * 240 }, to: tape) }
        XCTAssertTrue(band.set(.drums, playing: false))
        XCTAssertFalse(band.isPlaying(.drums))
        for s in 32..<64 { band.play(slice: s, formSlice: s, tick: { $0 * 240 }, to: tape) }
        XCTAssertTrue(band.set(.drums, playing: true))
        for s in 64..<96 { band.play(slice: s, formSlice: s, tick: { $0 * 240 }, to: tape) }
        band.stop(atTick: 96 * 240, to: tape)
        XCTAssertGreaterThan(count(9, 0..<32), 10)
        // Strokes placed between slices may land a few ticks into the next; none past slice 33.
        XCTAssertEqual(count(9, 34..<64), 0, "drums while switched off")
        XCTAssertGreaterThan(count(9, 64..<96), 10)
        XCTAssertGreaterThan(count(3, 32..<64), 10, "the bass walks on")
        var sounding: [Int: Int] = [:]
        for e in tape.played {
            switch e.message {
            case .noteOn(let c, let k, let v) where v > 0: sounding[Int(c) * 128 + Int(k), default: 0] += 1
            case .noteOn(let c, let k, _), .noteOff(let c, let k, _): sounding[Int(c) * 128 + Int(k), default: 0] -= 1
            default: break
            }
        }
        XCTAssertTrue(sounding.values.allSatisfy { $0 <= 0 }, "every note ended: \(sounding.filter { $0.value > 0 })")
    }
}
