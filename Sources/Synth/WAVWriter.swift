import AtomicFiles
import Foundation

/// Sample format of a WAV file written by improv.
public enum WAVSampleFormat: Sendable, Equatable {
    /// 16-bit PCM (format tag 1), rounded and clipped, no dither.
    case int16
    /// 32-bit IEEE float (format tag 3, with the `fact` chunk non-PCM files carry).
    case float32

    var bytesPerSample: Int { self == .int16 ? 2 : 4 }
}

/// Streams stereo audio into a WAV file through an `AtomicFileWriter` ("PATH.tmp-PID" beside
/// the target); `finish()` writes the final sizes into the header, syncs and renames it over
/// PATH, so PATH holds a whole file or nothing new. A failure removes the temporary file (a
/// crash leaves only it).
final class WAVWriter {
    let path: String
    var temporaryPath: String { file.temporaryPath }
    let sampleRate: Int
    let format: WAVSampleFormat
    static let channels = 2
    /// Released unfinished (an error), it removes the temporary file; PATH is untouched.
    private let file: AtomicFileWriter
    private(set) var frames = 0
    private var pending = Data()

    init(path: String, sampleRate: Int, format: WAVSampleFormat) throws(SynthError) {
        self.path = path
        self.sampleRate = sampleRate
        self.format = format
        do { file = try AtomicFileWriter(path: path) } catch { throw .io(path: path, detail: error.reason) }
        pending.append(header(dataBytes: 0))
    }

    private var headerSize: Int { format == .int16 ? 44 : 58 }

    func header(dataBytes: Int) -> Data {
        var d = Data()
        func u32(_ v: Int) { withUnsafeBytes(of: UInt32(truncatingIfNeeded: v).littleEndian) { d.append(contentsOf: $0) } }
        func u16(_ v: Int) { withUnsafeBytes(of: UInt16(truncatingIfNeeded: v).littleEndian) { d.append(contentsOf: $0) } }
        let blockAlign = Self.channels * format.bytesPerSample
        d.append(contentsOf: Array("RIFF".utf8)); u32(headerSize - 8 + dataBytes)
        d.append(contentsOf: Array("WAVE".utf8))
        d.append(contentsOf: Array("fmt ".utf8)); u32(format == .int16 ? 16 : 18)
        u16(format == .int16 ? 1 : 3); u16(Self.channels); u32(sampleRate)
        u32(sampleRate * blockAlign); u16(blockAlign); u16(format.bytesPerSample * 8)
        if format == .float32 {
            u16(0)                                             // cbSize
            d.append(contentsOf: Array("fact".utf8)); u32(4); u32(dataBytes / blockAlign)
        }
        d.append(contentsOf: Array("data".utf8)); u32(dataBytes)
        return d
    }

    /// Appends interleaved L R samples (`samples.count` must be even).
    func append(_ samples: UnsafeBufferPointer<Float>) throws(SynthError) {
        switch format {
        case .float32:
            pending.append(UnsafeRawBufferPointer(samples).bindMemory(to: UInt8.self))
        case .int16:
            let start = pending.count
            pending.count += samples.count * 2
            pending.withUnsafeMutableBytes { raw in
                let out = raw.baseAddress!.advanced(by: start).assumingMemoryBound(to: Int16.self)
                for i in 0..<samples.count {
                    let v = (samples[i] * 32767).rounded()
                    out[i] = Int16(max(-32768, min(32767, v))).littleEndian
                }
            }
        }
        frames += samples.count / Self.channels
        if pending.count >= 1 << 18 { try flush() }
    }

    private func flush() throws(SynthError) {
        do { try file.write(pending) } catch { throw .io(path: path, detail: error.reason) }
        pending.removeAll(keepingCapacity: true)
    }

    /// Completes the header, syncs and renames the file into place.
    func finish() throws(SynthError) {
        try flush()
        let dataBytes = frames * Self.channels * format.bytesPerSample
        guard headerSize + dataBytes <= Int(UInt32.max) else {
            file.discard()
            throw .io(path: path, detail: "audio too long for a WAV file (over 4 GiB)")
        }
        do {
            try file.seek(toOffset: 0)
            try file.write(header(dataBytes: dataBytes))
            try file.commit()
        } catch {
            throw .io(path: path, detail: error.reason)
        }
    }
}
