import MusicCore

/// What the rhythm section needs to know about one chord of the form, worked out once when
/// the band is built (ChordSymbol's interval arrays allocate; nothing here does).
///
/// Intervals are semitones above the root. Triads get a colour tone in the seventh's place
/// for the jazz voicings (a sixth on major and minor triads, the diminished seventh on a
/// diminished triad, a minor seventh on an augmented one).
struct ChordTones: Sendable, Equatable {
    var root: Int
    var third: Int
    var fifth: Int
    /// The chord's seventh, or the colour tone that stands in for it on a triad.
    var seventh: Int
    /// The ninth, as the rootless voicings add it.
    var ninth: Int
    /// True when the chord itself has four notes (the seventh is a chord tone, not a colour).
    var hasSeventh: Bool
    /// Pitch classes of the chord (bit 0 = C), as the chart spells it.
    var mask: UInt16
    /// Pitch classes of the scale the bass walks through on the chord.
    var scaleMask: UInt16

    init(_ chord: ChordSymbol) {
        root = chord.root
        var scale: [Int]
        switch chord.quality {
        case .dominant7: (third, fifth, seventh, ninth, hasSeventh) = (4, 7, 10, 14, true); scale = [0, 2, 4, 5, 7, 9, 10]
        case .major: (third, fifth, seventh, ninth, hasSeventh) = (4, 7, 9, 14, false); scale = [0, 2, 4, 5, 7, 9, 11]
        case .major7: (third, fifth, seventh, ninth, hasSeventh) = (4, 7, 11, 14, true); scale = [0, 2, 4, 5, 7, 9, 11]
        case .sixth: (third, fifth, seventh, ninth, hasSeventh) = (4, 7, 9, 14, true); scale = [0, 2, 4, 5, 7, 9, 11]
        case .minor: (third, fifth, seventh, ninth, hasSeventh) = (3, 7, 10, 14, false); scale = [0, 2, 3, 5, 7, 9, 10]
        case .minor7: (third, fifth, seventh, ninth, hasSeventh) = (3, 7, 10, 14, true); scale = [0, 2, 3, 5, 7, 9, 10]
        case .minor6: (third, fifth, seventh, ninth, hasSeventh) = (3, 7, 9, 14, true); scale = [0, 2, 3, 5, 7, 9, 11]
        // m7b5: the natural ninth (locrian #2) in the voicings, the plain locrian for the bass.
        case .halfDiminished: (third, fifth, seventh, ninth, hasSeventh) = (3, 6, 10, 14, true); scale = [0, 1, 3, 5, 6, 8, 10]
        case .diminished: (third, fifth, seventh, ninth, hasSeventh) = (3, 6, 9, 14, false); scale = [0, 2, 3, 5, 6, 8, 9, 11]
        case .diminished7: (third, fifth, seventh, ninth, hasSeventh) = (3, 6, 9, 14, true); scale = [0, 2, 3, 5, 6, 8, 9, 11]
        case .augmented: (third, fifth, seventh, ninth, hasSeventh) = (4, 8, 10, 14, false); scale = [0, 2, 4, 6, 8, 10]
        }
        var m: UInt16 = 0
        for i in chord.quality.intervals { m |= 1 << UInt16((root + i) % 12) }
        mask = m
        var s: UInt16 = 0
        for i in scale { s |= 1 << UInt16((root + i) % 12) }
        scaleMask = s
    }

    func isChordTone(_ pitch: Int) -> Bool { mask & (1 << UInt16(pitch % 12)) != 0 }
    func isScaleTone(_ pitch: Int) -> Bool { scaleMask & (1 << UInt16(pitch % 12)) != 0 }
    func pitchClass(_ interval: Int) -> Int { (root + interval) % 12 }
}
