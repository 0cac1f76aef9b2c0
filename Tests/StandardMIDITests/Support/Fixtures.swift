import Foundation
import StandardMIDI
import Testing

/// Builders for hand-written Standard MIDI File bytes. The header is 14
/// bytes, so the first chunk starts at offset 14, its length field at 18 and
/// its body at 22.
enum SMF {
    static let firstTrackBody = 22

    static func header(format: UInt16 = 0, tracks: UInt16 = 1, division: UInt16 = 96,
                       length: UInt32 = 6, extra: [UInt8] = []) -> [UInt8] {
        Array("MThd".utf8) + be32(length) + be16(format) + be16(tracks) + be16(division) + extra
    }

    static func chunk(_ tag: String, _ body: [UInt8], length: UInt32? = nil) -> [UInt8] {
        Array(tag.utf8) + be32(length ?? UInt32(body.count)) + body
    }

    static func track(_ body: [UInt8]) -> [UInt8] { chunk("MTrk", body) }

    /// A whole file: header for the given format and track count, then one MTrk per body.
    static func file(format: UInt16 = 0, division: UInt16 = 96, tracks: [[UInt8]]) -> [UInt8] {
        header(format: format, tracks: UInt16(tracks.count), division: division) + tracks.flatMap(track)
    }

    static let endOfTrack: [UInt8] = [0x00, 0xFF, 0x2F, 0x00]

    static func be32(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }

    static func be16(_ value: UInt16) -> [UInt8] {
        [UInt8(value >> 8), UInt8(value & 0xFF)]
    }
}

/// Parses `bytes`, returning the error it throws (nil when it parses).
func parseError(_ bytes: [UInt8], name: String = "fixture.mid", maxEvents: Int = MIDIFile.defaultMaxEvents) -> MIDIFileError? {
    do {
        _ = try MIDIFile(bytes: bytes, name: name, maxEvents: maxEvents)
        return nil
    } catch {
        return error
    }
}

/// Shorthand for building expected events.
func at(_ tick: UInt64, _ event: MIDIEvent) -> MIDITrackEvent {
    MIDITrackEvent(tick: tick, event: event)
}

/// One line per event, in the same form as `mido_tool.py` prints.
func canonicalEvents(_ file: MIDIFile) -> [String] {
    var lines: [String] = []
    for (trackIndex, track) in file.tracks.enumerated() {
        for trackEvent in track.events {
            let prefix = "\(trackIndex) \(trackEvent.tick)"
            func meta(_ type: UInt8, _ data: [UInt8]) -> String {
                "\(prefix) meta \(type) \(data.map { String(format: "%02x", $0) }.joined())"
            }
            switch trackEvent.event {
            case .noteOn(let c, let k, let v): lines.append("\(prefix) on \(c) \(k) \(v)")
            case .noteOff(let c, let k, let v): lines.append("\(prefix) off \(c) \(k) \(v)")
            case .polyPressure(let c, let k, let p): lines.append("\(prefix) poly \(c) \(k) \(p)")
            case .controlChange(let c, let n, let v): lines.append("\(prefix) cc \(c) \(n) \(v)")
            case .programChange(let c, let p): lines.append("\(prefix) prog \(c) \(p)")
            case .channelPressure(let c, let p): lines.append("\(prefix) chanpress \(c) \(p)")
            case .pitchBend(let c, let v): lines.append("\(prefix) bend \(c) \(v)")
            case .tempo(let t):
                lines.append(meta(0x51, [UInt8(t >> 16 & 0xFF), UInt8(t >> 8 & 0xFF), UInt8(t & 0xFF)]))
            case .timeSignature(let n, let d, let c, let b): lines.append(meta(0x58, [n, d, c, b]))
            case .keySignature(let s, let m): lines.append(meta(0x59, [UInt8(bitPattern: s), m ? 1 : 0]))
            case .trackName(let name): lines.append("\(prefix) name \(name)")
            case .meta(let type, let data): lines.append(meta(type, data))
            }
        }
    }
    return lines
}

/// Note spans in the `[track, channel, key, velocity, start, end]` form of the JSON.
func spanRows(_ spans: [MIDINoteSpan]) -> [[Int]] {
    spans.map { [$0.track, Int($0.channel), Int($0.key), Int($0.velocity), Int($0.start), Int($0.end)] }
}

/// The package root, found from this file's path (Tests/StandardMIDITests/Support/Fixtures.swift).
let packageRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // Support
    .deletingLastPathComponent()  // StandardMIDITests
    .deletingLastPathComponent()  // Tests
    .deletingLastPathComponent()  // package root

/// A fresh empty directory for one test; remove it with `removeScratch`.
func makeScratchDirectory(_ label: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("StandardMIDITests-\(label)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

func removeScratch(_ url: URL) {
    try? FileManager.default.removeItem(at: url)
}
