import LSTMModel
import MusicCore

/// The LSTM as a slice predictor: encodes each heard slice into the network's input buffers,
/// steps once, and samples the next slice. After construction nothing here allocates, so the
/// real-time engine can call `observe` and `sampleNext` once per slice.
public final class LSTMPredictor: SlicePredictor {
    public private(set) var network: Network
    public let encoding: SliceEncoding
    public var sampler: Sampler
    public let state: NetworkState
    /// The look-ahead: a second state of this network that runs ahead of `state` over slices
    /// planned but not yet heard (the engine plans its answer on it). It belongs to the
    /// predictor, so it always has this network's size.
    public let lookahead: NetworkState
    /// Scratch for sampled chord units (one per chord output).
    let chordScratch: UnsafeMutableBufferPointer<Float>
    public var name: String
    /// When set, free-running chords are decoded into its vocabulary (see ChordDecoder) instead
    /// of thresholding each unit; slices heard since `reset` give the position in the bar.
    public var chordDecoder: ChordDecoder?
    var heard = 0

    public init(network: Network, encoding: SliceEncoding, sampling: SamplingOptions = .paper, name: String = "LSTM") {
        precondition(network.topology.chordInputs == encoding.chordInputSize
                     && network.topology.melodyInputs == encoding.melodyInputSize
                     && network.topology.melodyClasses == encoding.melodyClassCount,
                     "the network's topology does not fit the slice encoding")
        self.network = network
        self.encoding = encoding
        self.sampler = Sampler(sampling)
        self.state = network.makeState()
        self.lookahead = network.makeState()
        self.name = name
        chordScratch = .allocate(capacity: network.topology.chordOutputs)
        chordScratch.initialize(repeating: 0)
    }

    deinit { chordScratch.deallocate() }

    public func reset() {
        state.reset()
        chordDecoder?.reset()
        heard = 0
    }

    /// Lets `body` overwrite the network's weights in place (a live learner's update, swapped in
    /// at a slice boundary). Call `ownWeights()` once beforehand so that writing never copies.
    public func updateWeights(_ body: (UnsafeMutableBufferPointer<Float>) -> Bool) -> Bool {
        network.parameters.withUnsafeMutableBufferPointer { body($0) }
    }

    /// Gives this predictor a copy of the weights of its own (they may be shared with the model
    /// it came from), so that `updateWeights` never has to copy on the real-time thread.
    public func ownWeights() {
        network.parameters = network.parameters.map { $0 }
    }

    public func observe(_ slice: Slice) {
        step(state, with: slice)
        chordDecoder?.hear(encoding.folded(slice).chord)
        heard += 1
    }

    public func crossEntropy(of next: Slice) -> (chord: Double, melody: Double) {
        let next = encoding.folded(next)
        let p = state.chordProbabilities
        var chord = 0.0
        for u in 0..<encoding.chordInputSize {
            let on: Bool
            if u < encoding.chordCount { on = next.chord.contains(encoding.chordLow + UInt8(u)) } else { on = next.chordOnset && !next.chord.isEmpty }
            chord += bernoulliCrossEntropy(Double(p[u]), on: on)
        }
        let m = Double(state.melodyProbabilities[encoding.melodyClass(next.melody)])
        return (chord, categoricalCrossEntropy(m))
    }

    public func sampleNext(using rng: inout SeededGenerator) -> Slice {
        guard let decoder = chordDecoder else { return sample(state, using: &rng) }
        let klass = sampler.sampleMelody(state, using: &rng)
        let chord = decoder.decode(state.chordProbabilities, sliceInBar: heard % decoder.meter.slicesPerBar, using: &rng)
        return Slice(chord: chord.chord, chordOnset: chord.onset, melody: encoding.melodyEvent(forClass: klass))
    }

    /// Puts the look-ahead where `state` is (before planning from the last slice heard).
    public func startLookahead() { lookahead.copy(from: state) }

    /// Draws the look-ahead's next slice (chords thresholded or drawn by the sampler).
    public func sampleLookahead(using rng: inout SeededGenerator) -> Slice { sample(lookahead, using: &rng) }

    /// Steps the look-ahead on a planned slice.
    public func stepLookahead(with slice: Slice) { step(lookahead, with: slice) }

    /// Draws the next slice from another state of this network (the engine's look-ahead copy).
    public func sample(_ other: NetworkState, using rng: inout SeededGenerator) -> Slice {
        let klass = sampler.sample(other, chordUnits: chordScratch, using: &rng)
        let chord = encoding.decodeChord(UnsafeBufferPointer(chordScratch))
        return Slice(chord: chord.chord, chordOnset: chord.onset, melody: encoding.melodyEvent(forClass: klass))
    }

    /// Steps another state of this network on `slice` (the engine's look-ahead copy), as
    /// `observe` steps its own.
    public func step(_ other: NetworkState, with slice: Slice) {
        let folded = encoding.folded(slice)
        encoding.encodeChord(folded, into: other.chordInput)
        encoding.encodeMelody(folded, into: other.melodyInput)
        network.step(other)
    }
}
