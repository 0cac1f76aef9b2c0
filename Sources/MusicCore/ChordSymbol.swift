import Foundation

/// A chord symbol such as C7 or Dm7: a root and a quality, with its pitch classes.
public struct ChordSymbol: Hashable, Sendable, CustomStringConvertible {
    public enum Quality: String, CaseIterable, Sendable {
        case dominant7 = "7", major = "", minor = "m", minor7 = "m7", major7 = "maj7",
             diminished = "dim", diminished7 = "dim7", halfDiminished = "m7b5", sixth = "6", augmented = "aug",
             minor6 = "m6"

        /// Intervals above the root, in semitones.
        public var intervals: [Int] {
            switch self {
            case .dominant7: return [0, 4, 7, 10]
            case .major: return [0, 4, 7]
            case .minor: return [0, 3, 7]
            case .minor7: return [0, 3, 7, 10]
            case .major7: return [0, 4, 7, 11]
            case .diminished: return [0, 3, 6]
            case .diminished7: return [0, 3, 6, 9]
            case .halfDiminished: return [0, 3, 6, 10]
            case .sixth: return [0, 4, 7, 9]
            case .augmented: return [0, 4, 8]
            case .minor6: return [0, 3, 7, 9]
            }
        }
    }

    public var root: Int
    public var quality: Quality

    public init(root: Int, _ quality: Quality) {
        self.root = ((root % 12) + 12) % 12
        self.quality = quality
    }

    /// Reads a lead-sheet symbol: a root ("C", "F#", "Bb") and a quality ("", "m", "7", "m7",
    /// "maj7", "dim", "dim7", "m7b5", "6", "m6", "aug", with the usual spellings "-7", "Δ7", "ø",
    /// "°7", "+", "M7", "min"). Extensions fold into the chord they extend (C9, C13, C7b9 are
    /// played as C7; Cm9 as Cm7; Cmaj9 as Cmaj7), and a slash bass is ignored (C/E is C).
    /// nil when the text is not a chord symbol.
    public init?(parsing text: String) {
        var t = Substring(text.trimmingCharacters(in: .whitespaces))
        if let slash = t.firstIndex(of: "/") { t = t[..<slash] }
        guard let first = t.first, "ABCDEFGabcdefg".contains(first) else { return nil }
        var rootEnd = t.index(after: t.startIndex)
        while rootEnd < t.endIndex, "#b♯♭".contains(t[rootEnd]) { rootEnd = t.index(after: rootEnd) }
        guard let root = PitchName.parsePitchClass(String(t[..<rootEnd])) else { return nil }
        guard let quality = Self.qualities[String(t[rootEnd...])] else { return nil }
        self.init(root: root, quality)
    }

    private static let qualities: [String: Quality] = {
        var q: [String: Quality] = [:]
        for quality in Quality.allCases { q[quality.rawValue] = quality }
        let aliases: [(Quality, [String])] = [
            (.major, ["M", "maj", "add9", "6/9", "69"]),
            (.minor, ["-", "min", "mi"]),
            (.dominant7, ["9", "11", "13", "7b9", "7#9", "7b5", "7#5", "7#11", "7b13", "7alt", "7sus4", "9sus4", "dom7"]),
            (.minor7, ["-7", "min7", "mi7", "m9", "m11", "-9"]),
            (.major7, ["M7", "Δ", "Δ7", "ma7", "maj9", "M9"]),
            (.diminished, ["°", "o", "mb5"]),
            (.diminished7, ["°7", "o7"]),
            (.halfDiminished, ["ø", "ø7", "-7b5", "min7b5"]),
            (.augmented, ["+", "#5"]),
            (.minor6, ["-6", "min6"]),
        ]
        for (quality, names) in aliases { for n in names { q[n] = quality } }
        return q
    }()

    public var pitchClassMask: UInt16 { Scale.mask(quality.intervals.map { $0 + root }) }

    public var description: String { PitchName.pitchClass(root) + quality.rawValue }

    public func transposed(by semitones: Int) -> ChordSymbol { ChordSymbol(root: root + semitones, quality) }

    /// The chord's notes placed inside a pitch range (one octave or more): each pitch class
    /// at its lowest place in the range, which gives the inversion that fits, as the paper did.
    public func voicing(in range: ClosedRange<UInt8>) -> PitchSet {
        var set = PitchSet()
        for interval in quality.intervals {
            if let p = SliceEncoding.fold(UInt8(((root + interval) % 12) + 12 * 9), into: range) { set.insert(p) }
        }
        return set
    }

    /// Names a set of sounding pitches: the symbol whose notes match exactly, else the one
    /// sharing the most notes (ties: fewer extra notes, then the order of `Quality`).
    public static func identify(_ pitches: PitchSet) -> ChordSymbol? {
        let mask = pitches.pitchClassMask
        guard mask != 0 else { return nil }
        var best: (symbol: ChordSymbol, score: Int)?
        for quality in Quality.allCases {
            for root in 0..<12 where mask & (1 << UInt16(root)) != 0 {
                let symbol = ChordSymbol(root: root, quality)
                let common = (symbol.pitchClassMask & mask).nonzeroBitCount
                let missing = symbol.pitchClassMask.nonzeroBitCount - common
                let extra = mask.nonzeroBitCount - common
                let score = 10 * common - 7 * missing - 3 * extra
                if best == nil || score > best!.score { best = (symbol, score) }
            }
        }
        return best?.symbol
    }
}
