import LSTMModel
import MusicCore

/// Draws the model's melody choice for a slice of an answer, bent toward the answer's plan:
/// the LSTM's logits (at the preset's temperature) plus a bonus for what the plan asks for
/// (the planned pitch, a note struck where the call struck one, a hold, a rest), plus a lean
/// toward the pitch classes the player used, with the classes outside the key's scale left
/// out. `strength` 0 is the model alone (the paper's sampling); 1 is the default bend.
///
/// Classes are the model's (its key is C: the player's tonic), so the scale mask is relative
/// to the tonic. Scratch is allocated once; choosing never allocates.
public struct MelodyGuide {
    public var strength: Double
    let encoding: SliceEncoding
    private let scores: UnsafeMutableBufferPointer<Float>

    public init(encoding: SliceEncoding, strength: Double) {
        self.encoding = encoding
        self.strength = strength
        scores = .allocate(capacity: encoding.melodyClassCount)
        scores.initialize(repeating: 0)
    }

    public func deallocate() { scores.deallocate() }

    /// The model's pitch (in its melody range) for a player's pitch, given the player's tonic.
    func modelPitch(_ playerPitch: UInt8, tonic offset: Int) -> UInt8 {
        encoding.foldMelody(UInt8(clamping: max(0, min(127, Int(playerPitch) - offset))))
    }

    /// The class to play. `weights(degree)`: how much the player leaned on each scale degree (0...1).
    public func choose(logits: UnsafeBufferPointer<Float>, temperature: Float, target: AnswerPlan.Target,
                       sounding: MelodyEvent, scaleMask: UInt16, tonicOffset: Int,
                       leaning: (Int) -> Double, using rng: inout SeededGenerator) -> Int {
        let m = encoding.melodyCount
        let restClass = 2 * m
        let a = Float(strength)
        // The model's voice is softened as the bend grows: at strength 1 its logits count a third,
        // so a trained model's certainty (a quarter note, say) can be talked out of by the call.
        let invT = 1 / (max(0.05, temperature) * (1 + 2 * a))
        var targetPitch: Int?
        var targetWeight: Float = 9
        switch target {
        case .attack(let p): targetPitch = Int(modelPitch(p, tonic: tonicOffset)) - Int(encoding.melodyLow)
        case .lean(let p): targetPitch = Int(modelPitch(p, tonic: tonicOffset)) - Int(encoding.melodyLow); targetWeight = 4
        default: break
        }
        var soundingIndex: Int?
        if let p = sounding.pitch, encoding.melodyRange.contains(p) { soundingIndex = Int(p - encoding.melodyLow) }
        var top = -Float.infinity
        for k in 0..<encoding.melodyClassCount {
            var s = logits[k] * invT
            if k < 2 * m {
                let i = k % m
                let isAttack = k < m
                let pc = (Int(encoding.melodyLow) + i) % 12
                if a > 0 && scaleMask & (1 << UInt16(pc)) == 0 { scores[k] = -.infinity; continue }
                if isAttack {
                    s += 5 * a * Float(leaning(pc))
                    switch target {
                    case .attack, .lean:
                        // A note is struck here in any case; the planned pitch most likely.
                        s += a * 2
                        if let t = targetPitch {
                            let d = abs(i - t)
                            s += a * (d == 0 ? targetWeight : d <= 2 ? 2 : 0)
                        }
                    case .strike: s += a * 3
                    case .rest, .hold: s -= a * 2
                    case .free: break
                    }
                } else {
                    // A hold only continues the note that sounds.
                    if i != soundingIndex { s -= a * 4 }
                    switch target {
                    case .hold: s += a * 4
                    case .attack, .lean, .strike, .rest: s -= a * 3
                    case .free: break
                    }
                }
            } else if k == restClass {
                switch target {
                case .rest: s += a * 4
                case .attack, .lean, .strike: s -= a * 3
                case .hold, .free: break
                }
            }
            scores[k] = s
            top = max(top, s)
        }
        var total: Float = 0
        for k in 0..<encoding.melodyClassCount {
            let w = scores[k] == -.infinity ? 0 : fastExp(scores[k] - top)
            scores[k] = w
            total += w
        }
        guard total > 0 else { return restClass }
        let u = unitFloat(&rng) * total
        var acc: Float = 0
        for k in 0..<encoding.melodyClassCount where scores[k] > 0 {
            acc += scores[k]
            if u < acc { return k }
        }
        return restClass
    }
}
