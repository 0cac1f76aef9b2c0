@testable import Engine
import Foundation
import MIDI
import MusicCore
import StandardMIDI
import XCTest

/// Writes MIDI files of the band for listening (rendered with fluidsynth by hand). Runs only
/// with IMPROV_BAND_DEMO=<directory>:
///   IMPROV_BAND_DEMO=/tmp/band swift test --skip-build --filter BandDemoTests
///   fluidsynth -ni -F /tmp/band/band.wav soundfonts/improv.sf2 /tmp/band/band.mid
/// band.mid has every part (a track each, named), drums.mid, bass.mid and comping.mid one each.
final class BandDemoTests: XCTestCase {
    final class Recorder: MIDIOutput {
        var events: [(tick: Int, message: ChannelMessage)] = []
        func schedule(_ message: ChannelMessage, atTick tick: Int) { events.append((tick, message)) }
        func sendNow(_ message: ChannelMessage) {}
        func dropScheduled() {}
    }

    static func event(_ m: ChannelMessage) -> MIDIEvent {
        switch m {
        case .noteOn(let c, let k, let v): return .noteOn(channel: c, key: k, velocity: v)
        case .noteOff(let c, let k, _): return .noteOff(channel: c, key: k, velocity: 0)
        case .controlChange(let c, let n, let v): return .controlChange(channel: c, controller: n, value: v)
        case .programChange(let c, let p): return .programChange(channel: c, program: p)
        case .pitchBend(let c, let v): return .pitchBend(channel: c, value: ChannelMessage.unsignedPitchBend(v))
        }
    }

    func write(_ parts: BandParts, to path: String) throws {
        let grid = TimeGrid(ticksPerQuarter: 480, tempoBPM: 132)
        let performer = Performer(grid: grid, swing: 0.62, transpose: 0, chordChannel: 0, melodyChannel: 1)
        let form = ChordForm.jazzBlues.transposed(by: 5)        // in F
        let out = Recorder()
        var band = Band(parts: parts, form: form, seed: 2026)
        band.setUp(atTick: 0, to: out)
        let lead = band.countInSlices
        let end = lead + 2 * form.sliceCount
        for s in 0..<end { band.play(slice: s, formSlice: s - lead, tick: performer.tick(ofSlice:), to: out) }
        band.stop(atTick: performer.tick(ofSlice: end), to: out)

        var tracks = [MIDITrack(events: [MIDITrackEvent(tick: 0, event: .tempo(microsecondsPerQuarter: grid.microsecondsPerQuarter))])]
        for (name, channel) in [("improv drums", UInt8(9)), ("improv bass", 3), ("improv comping", 4)] {
            let mine = out.events.enumerated().filter { $0.element.message.channel == channel }
                .sorted { ($0.element.tick, $0.offset) < ($1.element.tick, $1.offset) }
            guard !mine.isEmpty else { continue }
            tracks.append(MIDITrack(events: [MIDITrackEvent(tick: 0, event: .trackName(name))]
                + mine.map { MIDITrackEvent(tick: UInt64($0.element.tick), event: Self.event($0.element.message)) }))
        }
        try MIDIFile(ticksPerQuarter: 480, tracks: tracks).write(path: path)
    }

    func testWriteDemo() throws {
        guard let dir = ProcessInfo.processInfo.environment["IMPROV_BAND_DEMO"] else { throw XCTSkip("set IMPROV_BAND_DEMO") }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let all = BandParts(drums: DrumPart(style: .swing), bass: WalkingBass(), comping: Comping(), countIn: CountIn(bars: 1))
        try write(all, to: dir + "/band.mid")
        try write(BandParts(drums: all.drums, countIn: all.countIn), to: dir + "/drums.mid")
        try write(BandParts(bass: all.bass), to: dir + "/bass.mid")
        try write(BandParts(comping: all.comping), to: dir + "/comping.mid")
        try write(BandParts(drums: DrumPart(style: .brushes), bass: WalkingBass(twoFeel: true), comping: Comping(rhythm: .ballad)), to: dir + "/ballad.mid")
    }
}

extension BandDemoTests {
    /// Prints the comping's voicings on a ii-V-I (for the report; asserts nothing new).
    func testPrintTwoFiveOne() throws {
        guard ProcessInfo.processInfo.environment["IMPROV_BAND_DEMO"] != nil else { throw XCTSkip("set IMPROV_BAND_DEMO") }
        for kind in VoicingKind.allCases {
            let form = try ChordForm(chart: "Dm7 | G7 | Cmaj7 | A7 |")
            let out = Recorder()
            var band = Band(parts: BandParts(comping: Comping(voicing: kind)), form: form, seed: 1)
            for s in 0..<32 { band.play(slice: s, formSlice: s, tick: { $0 * 240 }, to: out) }
            var line = "\(kind):"
            for bar in 0..<4 {
                let keys = out.events.compactMap { e -> UInt8? in
                    if case .noteOn(_, let k, _) = e.message, e.tick / 1920 == bar { return k }
                    return nil
                }
                line += " \(form.chord(atBar: bar)) \(PitchSet(keys))"
            }
            print(line)
        }
    }
}
