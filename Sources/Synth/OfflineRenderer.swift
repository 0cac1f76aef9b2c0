import Foundation

/// When to stop after the last event: keep the release and reverb tail, cut silence.
public struct TailPolicy: Sendable, Equatable {
    /// Output below this peak level (dBFS) counts as silence.
    public var silenceThresholdDB: Double
    /// Stop after this much silence once all events have played.
    public var silenceSeconds: Double
    /// Never render more than this after the last event (e.g. a held looped note).
    public var maxTailSeconds: Double

    public init(silenceThresholdDB: Double = -70, silenceSeconds: Double = 0.1, maxTailSeconds: Double = 5) {
        self.silenceThresholdDB = silenceThresholdDB
        self.silenceSeconds = silenceSeconds
        self.maxTailSeconds = maxTailSeconds
    }
}

/// What an offline render produced.
public struct RenderSummary: Sendable, Equatable {
    public var path: String
    public var frames: Int
    public var sampleRate: Int
    /// Frame at which the last queued event had played.
    public var eventsEndFrame: Int
    public var seconds: Double { Double(frames) / Double(sampleRate) }
}

/// Renders a synthesizer to a WAV file as fast as the machine allows.
///
/// Choice: FluidSynth's file renderer (new_fluid_file_renderer) writes every block it
/// renders and gives no access to the audio, so it cannot end the file on the tail's
/// silence. Instead this calls fluid_synth_write_float into one reusable Swift buffer of
/// `blockFrames`, measures the block's peak, and streams it to `WAVWriter` (16-bit PCM or
/// 32-bit float; temporary file renamed into place at the end). Memory stays constant
/// whatever the length. FluidSynth's sequencer advances with these rendered samples, so
/// timing does not depend on how fast the machine renders.
public final class OfflineRenderer {
    public let sequencer: SynthSequencer
    public var synthesizer: Synthesizer { sequencer.synthesizer }
    public let tail: TailPolicy
    public static let blockFrames = 512
    private let writer: WAVWriter
    private var buffer = [Float](repeating: 0, count: 2 * OfflineRenderer.blockFrames)
    private var lastPeak: Float = 0

    public var framesRendered: Int { writer.frames }
    public var sampleRate: Int { writer.sampleRate }

    public init(sequencer: SynthSequencer, to path: String, format: WAVSampleFormat = .int16,
                tail: TailPolicy = TailPolicy()) throws(SynthError) {
        self.sequencer = sequencer
        self.tail = tail
        writer = try WAVWriter(path: path, sampleRate: sequencer.synthesizer.configuration.sampleRate.rawValue, format: format)
    }

    /// Renders one block of up to `blockFrames` frames; returns its peak (absolute sample).
    @discardableResult
    private func renderBlock(frames: Int = OfflineRenderer.blockFrames) throws(SynthError) -> Float {
        var peak: Float = 0
        let count = 2 * frames
        try buffer.withUnsafeMutableBufferPointer { (b: inout UnsafeMutableBufferPointer<Float>) throws(SynthError) in
            try synthesizer.renderInterleaved(frames: frames, into: b.baseAddress!)
            for i in 0..<count { peak = max(peak, abs(b[i])) }
            try writer.append(UnsafeBufferPointer(rebasing: b[0..<count]))
        }
        return peak
    }

    /// Renders `frames` more frames, whatever is queued.
    public func render(frames: Int) throws(SynthError) {
        var left = frames
        while left > 0 {
            let n = min(left, Self.blockFrames)
            try renderBlock(frames: n)
            left -= n
        }
    }

    /// Renders until the file is `seconds` long.
    public func render(untilSeconds seconds: Double) throws(SynthError) {
        try render(frames: max(0, Int((seconds * Double(sampleRate)).rounded()) - framesRendered))
    }

    /// Renders until every queued event has played, then the tail until
    /// `tail.silenceSeconds` of silence (or `tail.maxTailSeconds`), and writes the file.
    public func finish() throws(SynthError) -> RenderSummary {
        while !sequencer.isIdle { try renderBlock() }
        let eventsEnd = framesRendered
        let threshold = Float(pow(10, tail.silenceThresholdDB / 20))
        let silenceFrames = Int(tail.silenceSeconds * Double(sampleRate))
        let maxFrames = Int(tail.maxTailSeconds * Double(sampleRate))
        var silent = 0
        while silent < silenceFrames && framesRendered - eventsEnd < maxFrames {
            let peak = try renderBlock()
            silent = peak < threshold ? silent + Self.blockFrames : 0
        }
        try writer.finish()
        return RenderSummary(path: writer.path, frames: framesRendered, sampleRate: sampleRate, eventsEndFrame: eventsEnd)
    }
}
