import Foundation

/// A time signature, and how improv's eighth-note slices fill its bars.
///
/// Every bar is a whole number of eighth slices: 4/4 has 8, 3/4 has 6, 6/8 has 6 (two beats
/// of three), 12/8 has 12 (four beats of three), 2/2 has 8 (two beats of four). A meter of
/// eighths whose count divides by three (6/8, 9/8, 12/8) is compound: its beat is a dotted
/// quarter of three slices.
public struct Meter: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The time signature's numerator and denominator (2, 4 or 8).
    public let count: Int
    public let unit: Int

    public static let fourFour = Meter(validCount: 4, unit: 4)
    public static let threeFour = Meter(validCount: 3, unit: 4)
    public static let sixEight = Meter(validCount: 6, unit: 8)
    public static let twelveEight = Meter(validCount: 12, unit: 8)

    private init(validCount: Int, unit: Int) {
        self.count = validCount
        self.unit = unit
    }

    /// nil when the meter has no whole number of eighths a bar or more than 32 of them.
    public init?(count: Int, unit: Int) {
        guard [2, 4, 8].contains(unit), count >= 1, count * 8 / unit <= 32 else { return nil }
        self.init(validCount: count, unit: unit)
    }

    /// Parses "3/4", "6/8", "12/8", "C" (common time) or "C|" (cut time).
    public init?(_ text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t == "C" { self = .fourFour; return }
        if t == "C|" { self.init(validCount: 2, unit: 2); return }
        let parts = t.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let n = Int(parts[0]), let d = Int(parts[1]) else { return nil }
        self.init(count: n, unit: d)
    }

    /// From a MIDI time-signature meta event (denominator as a power of two).
    public init?(midiNumerator: Int, denominatorPower: Int) {
        guard denominatorPower >= 0 && denominatorPower < 8 else { return nil }
        self.init(count: midiNumerator, unit: 1 << denominatorPower)
    }

    public var description: String { "\(count)/\(unit)" }

    public var slicesPerBar: Int { count * 8 / unit }
    public var isCompound: Bool { unit == 8 && count % 3 == 0 && count > 3 }
    /// Slices a beat: 3 in compound meters, else the length of the denominator's note.
    public var slicesPerBeat: Int { isCompound ? 3 : 8 / unit }
    public var beatsPerBar: Int { slicesPerBar / slicesPerBeat }
    /// Quarter notes a bar (for tick arithmetic: ticks a bar = this × ticks a quarter).
    public var quarterNotesPerBar: Double { Double(slicesPerBar) / 2 }

    /// How strong a slice of the bar is: 2 on the downbeat, 1 on the other beats, 0 between.
    public func accent(ofSliceInBar s: Int) -> Int {
        s == 0 ? 2 : (s % slicesPerBeat == 0 ? 1 : 0)
    }
}
