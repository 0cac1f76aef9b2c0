import Foundation

/// Pitch and pitch-class names as musicians write them (C4 = MIDI 60).
public enum PitchName {
    static let sharpNames = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"]
    static let flatNames = ["C", "Db", "D", "Eb", "E", "F", "Gb", "G", "Ab", "A", "Bb", "B"]

    /// Name of a pitch class (0...11), spelled with flats (blues keys are mostly flat keys).
    public static func pitchClass(_ pc: Int, flats: Bool = true) -> String {
        let i = ((pc % 12) + 12) % 12
        return flats ? flatNames[i] : sharpNames[i]
    }

    /// Scientific pitch name: 60 -> "C4", 70 -> "Bb4".
    public static func name(of pitch: UInt8) -> String {
        pitchClass(Int(pitch) % 12) + String(Int(pitch) / 12 - 1)
    }

    /// Parses a pitch-class name: "C", "c#", "Bb", "B♭", "F♯", "Cb". Returns 0...11.
    public static func parsePitchClass(_ text: String) -> Int? {
        var chars = Array(text.trimmingCharacters(in: .whitespaces))
        guard let first = chars.first else { return nil }
        let letters: [Character: Int] = ["C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11]
        guard var pc = letters[Character(first.uppercased())] else { return nil }
        chars.removeFirst()
        for c in chars {
            switch c {
            case "#", "♯": pc += 1
            case "b", "♭": pc -= 1
            default: return nil
            }
        }
        return ((pc % 12) + 12) % 12
    }
}
