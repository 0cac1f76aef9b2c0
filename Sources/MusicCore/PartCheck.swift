/// Does a split look right? A chord part is mostly chords (notes struck together) and a
/// melody part mostly single notes; a split that finds the opposite has probably swapped them.
public struct PartCheck: Hashable, Sendable {
    /// Share of the chord part's onsets (notes starting at one tick) that strike two or more notes.
    public var chordPartChordShare: Double
    /// The same share for the melody part.
    public var melodyPartChordShare: Double
    public var hasChordPart: Bool

    public init(_ score: Score) {
        hasChordPart = !score.chords.isEmpty
        chordPartChordShare = Self.chordShare(score.chords)
        melodyPartChordShare = Self.chordShare(score.melody)
    }

    static func chordShare(_ notes: [Note]) -> Double {
        var perOnset: [Int: Int] = [:]
        for n in notes { perOnset[n.start, default: 0] += 1 }
        guard !perOnset.isEmpty else { return 0 }
        return Double(perOnset.values.filter { $0 >= 2 }.count) / Double(perOnset.count)
    }

    /// The chord part is mostly single notes.
    public var chordPartIsSingleNotes: Bool { hasChordPart && chordPartChordShare < 0.5 }
    /// ...and the melody part mostly chords: the parts look swapped.
    public var looksSwapped: Bool { chordPartIsSingleNotes && melodyPartChordShare >= 0.5 }

    /// A warning for a file, or nil when the split looks right.
    public var warning: String? {
        let c = Int((100 * chordPartChordShare).rounded()), m = Int((100 * melodyPartChordShare).rounded())
        if looksSwapped {
            return "the chord part is mostly single notes (\(c)% of its onsets are chords) and the melody part mostly chords (\(m)%): the parts look swapped"
        }
        if chordPartIsSingleNotes {
            return "the chord part is mostly single notes (\(c)% of its onsets are chords)"
        }
        return nil
    }
}
