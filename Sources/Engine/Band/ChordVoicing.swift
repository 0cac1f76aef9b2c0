import MusicCore

/// How the comping spells a chord.
public enum VoicingKind: String, Sendable, CaseIterable {
    /// Root, third and seventh (or root, seventh, third above).
    case shell
    /// The third and the seventh alone (the guide tones), either on top.
    case guideTones
    /// Third, fifth, seventh, ninth (A form) or seventh, ninth, third, fifth (B form): no root,
    /// the bass plays it.
    case rootless
    /// Three chord tones in close position, any inversion (triads; root, third, seventh on
    /// seventh chords): folk and rock.
    case close

    var variantCount: Int {
        switch self {
        case .shell, .guideTones, .rootless: return 2
        case .close: return 3
        }
    }

    /// The intervals of variant `v`, stacked upwards from the first (unused slots -1).
    func intervals(_ v: Int, of c: ChordTones) -> (Int, Int, Int, Int) {
        let top = c.hasSeventh ? c.seventh : c.fifth
        switch (self, v) {
        case (.shell, 0): return (0, c.third, c.seventh, -1)
        case (.shell, _): return (0, c.seventh, c.third, -1)
        case (.guideTones, 0): return (c.third, c.seventh, -1, -1)
        case (.guideTones, _): return (c.seventh, c.third, -1, -1)
        case (.rootless, 0): return (c.third, c.fifth, c.seventh, c.ninth)
        case (.rootless, _): return (c.seventh, c.ninth, c.third, c.fifth)
        case (.close, 0): return (0, c.third, top, -1)
        case (.close, 1): return (c.third, top, 0, -1)
        case (.close, _): return (top, 0, c.third, -1)
        }
    }
}

/// Chord voicings in the comping register, led from one chord to the next: of every voicing of
/// the chord that fits, the one whose voices move least from the last one (and stays near the
/// middle of the register). Works on PitchSets: no allocation.
enum ChordVoicing {
    /// C3 ... C5.
    static let range = 48...72

    /// The voicing of variant `v` whose lowest note is `low`, or nil when its top leaves the range.
    static func stack(_ kind: VoicingKind, _ v: Int, of c: ChordTones, from low: Int, top: Int = range.upperBound) -> PitchSet? {
        let (_, b, cc, d) = kind.intervals(v, of: c)
        var set = PitchSet()
        var p = low
        set.insert(UInt8(p))
        for slot in 1...3 {
            let interval = slot == 1 ? b : slot == 2 ? cc : d
            guard interval >= 0 else { break }
            // The next voice: the first pitch of its class strictly above the last.
            var up = ((c.pitchClass(interval) - p) % 12 + 12) % 12
            if up == 0 { up = 12 }
            p += up
            guard p <= top else { return nil }
            set.insert(UInt8(p))
        }
        return set
    }

    /// Semitones the voices move from `a` to `b`, pairing them from the bottom; a voice more
    /// or less costs 4.
    static func distance(_ a: PitchSet, _ b: PitchSet) -> Int {
        var i = a.makeIterator(), j = b.makeIterator()
        var total = 0
        while true {
            switch (i.next(), j.next()) {
            case let (x?, y?): total += abs(Int(x) - Int(y))
            case (nil, nil): return total
            default: total += 4
            }
        }
    }

    static func largestMove(_ a: PitchSet, _ b: PitchSet) -> Int {
        var i = a.makeIterator(), j = b.makeIterator()
        var most = 0
        while let x = i.next(), let y = j.next() { most = max(most, abs(Int(x) - Int(y))) }
        return most
    }

    static func mean(_ s: PitchSet) -> Double {
        var sum = 0, n = 0
        for p in s { sum += Int(p); n += 1 }
        return n == 0 ? 60 : Double(sum) / Double(n)
    }

    /// The voicing of `chord` nearest `previous` (or nearest the middle when there is none).
    static func lead(to chord: ChordTones, kind: VoicingKind, from previous: PitchSet,
                     rng: inout SeededGenerator) -> PitchSet {
        var best = PitchSet()
        var bestScore = Double.infinity
        // A wide voicing that fits nowhere in the register may reach a third above its top.
        for top in stride(from: range.upperBound, through: range.upperBound + 4, by: 4) where best.isEmpty {
            for v in 0..<kind.variantCount {
                let first = chord.pitchClass(kind.intervals(v, of: chord).0)
                var low = range.lowerBound + ((first - range.lowerBound) % 12 + 12) % 12
                while low <= range.upperBound {
                    if let set = stack(kind, v, of: chord, from: low, top: top) {
                        var score = 0.25 * abs(mean(set) - 60) + 0.3 * rng.unit()
                        if !previous.isEmpty { score += Double(distance(previous, set)) }
                        if score < bestScore { bestScore = score; best = set }
                    }
                    low += 12
                }
            }
        }
        return best
    }
}
