import Foundation
import LSTMModel
import MusicCore

/// Turns the network's sigmoid chord outputs into chords of a vocabulary, changing on beats at
/// the corpus's harmonic rhythm.
///
/// Each candidate chord is scored by the log-likelihood of its pitch set under the outputs,
/// taken as independent Bernoulli units (the loss the network was trained with): the sum over
/// units of log p where the chord has the note and log(1 - p) where it has not. Like one step of
/// an HMM, the network's outputs are the transition from the chord before; the chord may change
/// only on a beat, and is drawn from the candidates in proportion to their likelihoods, with a
/// change cost added to every candidate but the current chord. Taking the likeliest would never
/// change (where a change is due, a network hedges and the current chord stays likeliest);
/// drawing from the whole pitch-set distribution (`--bernoulli`) gives fragments that are not
/// chords. The cost starts at 0 and follows the realised rate bar by bar towards the corpus's
/// changes a bar: fewer changes than the corpus make changing cheaper.
///
/// After `init` nothing allocates: the engine may call `decode` once per slice.
public final class ChordDecoder {
    public let meter: Meter
    public let encoding: SliceEncoding
    public let symbols: [ChordSymbol]
    /// Changes a bar the decoder aims at.
    public let changesPerBar: Double
    let voicings: [PitchSet]
    /// Candidate c's units are unitIndex[unitStart[c] ..< unitStart[c + 1]].
    let unitStart: [Int]
    let unitIndex: [Int]
    let unitGain: UnsafeMutableBufferPointer<Double>
    let scores: UnsafeMutableBufferPointer<Double>
    /// The current chord (an index into `symbols`), or -1 before the first.
    public private(set) var current = -1
    /// The change cost (log-likelihood taken from every candidate but the current chord); moves
    /// so the realised rate follows `changesPerBar`.
    public private(set) var bias = 0.0
    /// How fast `bias` follows the rate (0: a fixed prior).
    public var rateGain = 0.75
    var changesThisBar = 0
    var slicesSeen = 0

    public init(vocabulary: [ChordCount], meter: Meter, changesPerBar: Double, encoding: SliceEncoding) {
        precondition(!vocabulary.isEmpty, "a chord decoder needs a vocabulary")
        self.meter = meter
        self.encoding = encoding
        self.changesPerBar = changesPerBar
        symbols = vocabulary.map(\.symbol)
        voicings = symbols.map { $0.voicing(in: encoding.chordRange) }
        var starts = [0], units: [Int] = []
        for v in voicings {
            for p in v { units.append(Int(p) - Int(encoding.chordLow)) }
            starts.append(units.count)
        }
        unitStart = starts
        unitIndex = units
        unitGain = .allocate(capacity: encoding.chordCount)
        unitGain.initialize(repeating: 0)
        scores = .allocate(capacity: symbols.count)
        scores.initialize(repeating: 0)
    }

    deinit {
        unitGain.deallocate()
        scores.deallocate()
    }

    /// A decoder for a model's corpus: its vocabulary, meter and harmonic rhythm.
    public convenience init(model: ImprovModel) {
        self.init(vocabulary: model.vocabulary, meter: model.meter, changesPerBar: model.changesPerBar, encoding: model.encoding)
    }

    /// A decoder for a form's chords, changing as often as the form does.
    public convenience init(form: ChordForm, encoding: SliceEncoding) {
        self.init(vocabulary: form.vocabulary.map { ChordCount($0, 1) }, meter: form.meter,
                  changesPerBar: form.changesPerBar, encoding: encoding)
    }

    public func reset() {
        current = -1
        bias = 0
        changesThisBar = 0
        slicesSeen = 0
    }

    /// Log-likelihood of candidate c, given log(1 - p) summed over all units (`base`).
    @inline(__always)
    func score(_ c: Int, base: Double) -> Double {
        var s = base
        for k in unitStart[c]..<unitStart[c + 1] { s += unitGain[unitIndex[k]] }
        return s
    }

    /// The chord of the slice at `sliceInBar`, from the chord outputs (`encoding.chordInputSize`
    /// probabilities: the pitch units, then the "struck" unit).
    public func decode(_ p: UnsafeBufferPointer<Float>, sliceInBar: Int,
                       using rng: inout some RandomNumberGenerator) -> (chord: PitchSet, onset: Bool) {
        let s = ((sliceInBar % meter.slicesPerBar) + meter.slicesPerBar) % meter.slicesPerBar
        if s == 0 && slicesSeen > 0 && current >= 0 {
            // Follow the rate: fewer changes than the corpus make changing cheaper.
            bias += rateGain * (Double(changesThisBar) - changesPerBar)
            bias = min(6, max(-6, bias))
            changesThisBar = 0
        }
        slicesSeen += 1
        guard s % meter.slicesPerBeat == 0 else { return current < 0 ? (PitchSet(), false) : (voicings[current], false) }
        var base = 0.0
        for u in 0..<encoding.chordCount {
            let q = min(max(Double(p[u]), 1e-6), 1 - 1e-6)
            base += log(1 - q)
            unitGain[u] = log(q) - log(1 - q)
        }
        // Scores relative to the best, then one draw in proportion to exp(score).
        var top = current < 0 ? base : -Double.infinity
        for c in symbols.indices {
            scores[c] = score(c, base: base) - (current >= 0 && c != current ? bias : 0)
            top = max(top, scores[c])
        }
        var total = current < 0 ? exp(base - top) : 0
        for c in symbols.indices {
            scores[c] = exp(scores[c] - top)
            total += scores[c]
        }
        var x = Double(unitFloat(&rng)) * total
        var chosen = -1
        for c in symbols.indices {
            x -= scores[c]
            if x < 0 { chosen = c; break }
        }
        if chosen < 0 { chosen = current < 0 ? -1 : current }  // silence (before the first chord), or rounding
        if chosen < 0 { return (PitchSet(), false) }
        let struck = Double(p[encoding.chordCount]) >= 0.5
        if chosen != current {
            if current >= 0 { changesThisBar += 1 }
            current = chosen
            return (voicings[current], true)
        }
        return (voicings[current], struck)
    }

    /// Hears a chord that was played (a prime, or the decoder's own output fed back): the nearest
    /// candidate becomes the current chord. Silence leaves it as it is.
    public func hear(_ chord: PitchSet) {
        guard !chord.isEmpty else { return }
        var best = -1, bestShared = -1
        for c in voicings.indices {
            if voicings[c] == chord { best = c; break }
            let shared = (voicings[c].low & chord.low).nonzeroBitCount + (voicings[c].high & chord.high).nonzeroBitCount
            if shared > bestShared { best = c; bestShared = shared }
        }
        current = best
    }
}
