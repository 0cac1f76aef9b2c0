import Foundation

/// A key: a tonic pitch class and major or minor. Blues in C is `Key(tonic: 0)`.
public struct Key: Hashable, Sendable, CustomStringConvertible, Codable {
    public var tonic: Int   // 0 = C ... 11 = B
    public var minor: Bool

    public init(tonic: Int, minor: Bool = false) {
        self.tonic = ((tonic % 12) + 12) % 12
        self.minor = minor
    }

    public static let c = Key(tonic: 0)

    /// Parses "C", "Bb", "F#", "Am", "Ebm", "A minor", "Eb major".
    public init?(_ text: String) {
        var t = text.trimmingCharacters(in: .whitespaces)
        var minor = false
        for suffix in [" minor", " min", "minor", "min", "m"] where t.lowercased().hasSuffix(suffix) && t.count > suffix.count {
            minor = true
            t = String(t.dropLast(suffix.count))
            break
        }
        for suffix in [" major", " maj", "major", "maj"] where !minor && t.lowercased().hasSuffix(suffix) && t.count > suffix.count {
            t = String(t.dropLast(suffix.count))
            break
        }
        guard let pc = PitchName.parsePitchClass(t) else { return nil }
        self.init(tonic: pc, minor: minor)
    }

    public var description: String { PitchName.pitchClass(tonic) + (minor ? "m" : "") }

    /// Semitones from C to this key's tonic, the nearer way: -5 ... +6 (G is -5, F# is +6).
    public var offsetFromC: Int { tonic <= 6 ? tonic : tonic - 12 }

    /// Sharps (positive) or flats (negative) of the key signature, as MIDI stores it.
    public var signatureSharps: Int {
        let majorTonic = minor ? (tonic + 3) % 12 : tonic
        let table = [0, -5, 2, -3, 4, -1, 6, 1, -4, 3, -2, 5] // C Db D Eb E F F#/Gb G Ab A Bb B
        return table[majorTonic]
    }

    /// The key of a MIDI key signature (sharps -7...7).
    public init(signatureSharps sharps: Int, minor: Bool) {
        let majorTonic = ((sharps * 7) % 12 + 12) % 12
        self.init(tonic: minor ? majorTonic - 3 : majorTonic, minor: minor)
    }
}

/// The scales improv checks melodies against.
public enum Scale {
    /// The blues pentatonic of the Eck corpus, on C: C Eb F G Bb (pitch-class mask).
    public static let bluesPentatonic: UInt16 = mask([0, 3, 5, 7, 10])

    public static func mask(_ pcs: [Int]) -> UInt16 { pcs.reduce(0) { $0 | 1 << UInt16($1 % 12) } }

    public static func contains(_ mask: UInt16, pitch: UInt8, key: Key) -> Bool {
        let pc = ((Int(pitch) - key.tonic) % 12 + 12) % 12
        return mask & (1 << UInt16(pc)) != 0
    }
}
