import Foundation
import XCTest

/// A WAV file as read back from disk: the header fields and the samples, mixed to mono.
struct WAVFile {
    var formatTag: Int
    var channels: Int
    var sampleRate: Int
    var bitsPerSample: Int
    var blockAlign: Int
    var byteRate: Int
    var riffSize: Int
    var fileSize: Int
    var chunkIDs: [String]
    var dataBytes: Int
    var mono: [Float]

    var frames: Int { mono.count }
    var seconds: Double { Double(frames) / Double(sampleRate) }

    init(path: String) throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        func tag(_ at: Int) -> String { String(decoding: bytes[at..<at + 4], as: UTF8.self) }
        func u32(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16 | Int(bytes[at + 3]) << 24 }
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        guard bytes.count >= 12, tag(0) == "RIFF", tag(8) == "WAVE" else { throw CocoaError(.fileReadCorruptFile) }
        fileSize = bytes.count
        riffSize = u32(4)
        var at = 12
        var fmt: Int?
        var data: (Int, Int)?
        chunkIDs = []
        while at + 8 <= bytes.count {
            let id = tag(at), size = u32(at + 4)
            chunkIDs.append(id)
            if id == "fmt " { fmt = at + 8 }
            if id == "data" { data = (at + 8, size) }
            at += 8 + size + (size & 1)
        }
        guard let f = fmt, let (start, size) = data else { throw CocoaError(.fileReadCorruptFile) }
        formatTag = u16(f); channels = u16(f + 2); sampleRate = u32(f + 4)
        byteRate = u32(f + 8); blockAlign = u16(f + 12); bitsPerSample = u16(f + 14)
        dataBytes = size
        let frameCount = size / blockAlign
        var mono = [Float](repeating: 0, count: frameCount)
        let (formatTag, channels, bitsPerSample, blockAlign) = (self.formatTag, self.channels, self.bitsPerSample, self.blockAlign)
        do {
            for i in 0..<frameCount {
                var sum: Float = 0
                for c in 0..<channels {
                    let o = start + i * blockAlign + c * bitsPerSample / 8
                    if formatTag == 3 {
                        sum += Float(bitPattern: UInt32(u32(o)))
                    } else {
                        sum += Float(Int16(bitPattern: UInt16(u16(o)))) / 32768
                    }
                }
                mono[i] = sum / Float(channels)
            }
        }
        self.mono = mono
    }

    func window(_ from: Double, _ to: Double) -> ArraySlice<Float> {
        let a = max(0, min(frames, Int(from * Double(sampleRate))))
        let b = max(a, min(frames, Int(to * Double(sampleRate))))
        return mono[a..<b]
    }

    func rms(_ from: Double, _ to: Double) -> Double {
        let w = window(from, to)
        guard !w.isEmpty else { return 0 }
        return (w.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(w.count)).squareRoot()
    }

    func peak(_ from: Double, _ to: Double) -> Double {
        Double(window(from, to).reduce(Float(0)) { max($0, abs($1)) })
    }

    /// Power at `frequency` over the window (Hann-windowed Goertzel).
    func power(at frequency: Double, _ from: Double, _ to: Double) -> Double {
        let w = Array(window(from, to))
        let n = w.count
        let coefficient = 2 * cos(2 * Double.pi * frequency / Double(sampleRate))
        var s1 = 0.0, s2 = 0.0
        for (i, x) in w.enumerated() {
            let hann = 0.5 - 0.5 * cos(2 * Double.pi * Double(i) / Double(n - 1))
            let s = Double(x) * hann + coefficient * s1 - s2
            s2 = s1; s1 = s
        }
        return s1 * s1 + s2 * s2 - coefficient * s1 * s2
    }

    /// The strongest power within ±30 cents of `frequency` (chorus and detuning move a
    /// partial a little off its nominal frequency).
    func bandPower(at frequency: Double, _ from: Double, _ to: Double) -> Double {
        stride(from: -30.0, through: 30.0, by: 5).map { power(at: frequency * pow(2, $0 / 1200), from, to) }.max()!
    }

    /// Onset near `expected`: on a 2 ms RMS envelope (1 ms hops) within ±`search` s, find the
    /// steepest rise, the lowest level before it (the baseline: silence or earlier notes
    /// ringing) and the peak in the 30 ms after it; the onset is where the envelope first
    /// climbs a quarter of the way from that baseline to the peak.
    func onset(near expected: Double, search: Double = 0.1) -> Double {
        let hop = 0.001
        let times = stride(from: expected - search, through: expected + search + 0.03, by: hop).map { $0 }
        let levels = times.map { rms($0, $0 + 0.002) }
        let last = times.lastIndex { $0 <= expected + search } ?? times.count - 1
        var steepest = 1
        for i in 1...last where levels[i] - levels[i - 1] > levels[steepest] - levels[steepest - 1] { steepest = i }
        let lowest = (0..<steepest).min { levels[$0] < levels[$1] } ?? 0
        let peak = levels[steepest..<min(levels.count, steepest + 30)].max() ?? levels[steepest]
        let threshold = levels[lowest] + 0.25 * (peak - levels[lowest])
        let crossing = (lowest...steepest).first { levels[$0] >= threshold } ?? steepest
        return times[crossing]
    }
}

func hz(_ key: Int) -> Double { 440 * pow(2, Double(key - 69) / 12) }

/// Asserts that `key` is the strongest pitch of the window, by 3 dB at least, among itself,
/// its neighbours a semitone either side, and the octaves above and below.
func assertStrongestPitch(_ wav: WAVFile, key: Int, _ from: Double, _ to: Double,
                          file: StaticString = #filePath, line: UInt = #line) {
    let target = wav.bandPower(at: hz(key), from, to)
    let rivals: [(String, Double)] = [
        ("semitone below", hz(key) * pow(2, -1.0 / 12)), ("semitone above", hz(key) * pow(2, 1.0 / 12)),
        ("octave below", hz(key) / 2), ("octave above", hz(key) * 2),
    ]
    for (name, f) in rivals {
        let p = wav.bandPower(at: f, from, to)
        XCTAssertGreaterThan(target, 2 * p, "key \(key) (\(hz(key)) Hz) not above its \(name) (\(f) Hz) in \(from)-\(to) s",
                             file: file, line: line)
    }
}

/// The package's own soundfont, found from this file's path.
let soundfontPath: String = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("soundfonts/improv.sf2").path

extension XCTestCase {
    /// A fresh temporary directory, removed when the test ends.
    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("synth-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }
}
