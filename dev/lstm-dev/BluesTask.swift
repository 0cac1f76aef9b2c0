import LSTMModel
import MusicCore

/// A synthetic stand-in for the Eck blues task, in the paper's slice encoding:
///
/// - chord units: 12 pitches (C3..B3) + "chord struck" (first slice of each bar) = 13;
/// - melody units: 13 pitches (C4..C5) + rest + "note struck" = 15; 27 melody classes
///   (attack p = p, hold p = 13 + p, rest = 26);
/// - a fixed 12-bar blues in C, one chord per bar of 8 eighth-note slices (96 slices):
///   C7 F7 C7 C7 | F7 F7 C7 C7 | G7 F7 C7 G7  (bars 1-4 and 7-8 need counting to tell apart);
/// - melody: for every bar one of two quarter-note lines (4 notes, attack + hold) from the
///   C blues pentatonic that fit the bar's chord, chosen at random.
///
/// Sequences are whole choruses; targets of slice t describe slice t+1.
struct BluesTask {
    static let chordInputs = 13, melodyInputs = 15, melodyClasses = 27
    static let slicesPerBar = 8, bars = 12
    static let chorus = slicesPerBar * bars

    // Pitch classes of the chord units (C3 = unit 0).
    static let c7: [Int] = [0, 4, 7, 10]   // C E G Bb
    static let f7: [Int] = [0, 3, 5, 9]    // C Eb F A  (F7 voiced inside C3..B3)
    static let g7: [Int] = [2, 5, 7, 11]   // D F G B
    static let form: [[Int]] = [c7, f7, c7, c7, f7, f7, c7, c7, g7, f7, c7, g7]

    // Two one-bar lines per chord; melody units 0..12 = C4..C5.
    static let lines: [[Int]: [[Int]]] = [
        c7: [[0, 4, 7, 10], [12, 10, 7, 4]],
        f7: [[5, 9, 12, 9], [3, 5, 0, 3]],
        g7: [[7, 11, 2, 5], [5, 7, 11, 7]],
    ]

    struct Slice { var chord: [Int]; var struck: Bool; var pitch: Int; var attack: Bool }

    /// The slices of `choruses` choruses plus one, with random line choices.
    static func slices(choruses: Int, rng: inout some RandomNumberGenerator) -> [Slice] {
        var out: [Slice] = []
        for i in 0..<(choruses * bars + 1) {
            let chord = form[i % bars]
            let line = lines[chord]![Int(rng.next() % 2)]
            for s in 0..<slicesPerBar where out.count < choruses * chorus + 1 {
                out.append(Slice(chord: chord, struck: s == 0, pitch: line[s / 2], attack: s % 2 == 0))
            }
        }
        return out
    }

    static func chordUnits(_ s: Slice) -> [Float] {
        var v = [Float](repeating: 0, count: chordInputs)
        for p in s.chord { v[p] = 1 }
        if s.struck { v[12] = 1 }
        return v
    }

    static func melodyUnits(_ s: Slice) -> [Float] {
        var v = [Float](repeating: 0, count: melodyInputs)
        v[s.pitch] = 1
        if s.attack { v[14] = 1 }
        return v
    }

    static func melodyClass(_ s: Slice) -> Int32 { Int32(s.attack ? s.pitch : 13 + s.pitch) }

    /// Melody input units of a melody class (the slice the class describes).
    static func melodyUnits(ofClass c: Int) -> [Float] {
        var v = [Float](repeating: 0, count: melodyInputs)
        if c == 26 { v[13] = 1 } else if c < 13 { v[c] = 1; v[14] = 1 } else { v[c - 13] = 1 }
        return v
    }

    static func sequence(choruses: Int, rng: inout some RandomNumberGenerator) -> TrainingSequence {
        let s = slices(choruses: choruses, rng: &rng)
        let T = s.count - 1
        var ci: [Float] = [], mi: [Float] = [], ct: [Float] = [], mt: [Int32] = []
        for t in 0..<T {
            ci += chordUnits(s[t]); mi += melodyUnits(s[t])
            ct += chordUnits(s[t + 1]); mt.append(melodyClass(s[t + 1]))
        }
        return TrainingSequence(length: T, chordInputs: ci, melodyInputs: mi, chordTargets: ct, melodyTargets: mt)
    }

    struct FreeRun { var chordErrors: Int; var melodyInChord: Double }

    /// Starts from the first slice of a chorus and lets the network run on its own outputs
    /// for `steps` slices (chords by threshold 0.5, melody drawn from the distribution).
    /// Counts slices whose chord units differ from the form, and the fraction of melody
    /// pitches that belong to the bar's two lines.
    static func freeRun(_ net: Network, steps: Int, seed: UInt64) -> FreeRun {
        var rng = SeededGenerator(seed: seed)
        let state = net.makeState()
        let sampler = Sampler(.paper)
        let first = slices(choruses: 1, rng: &rng)[0]
        var xc = chordUnits(first), xm = melodyUnits(first)
        var chordOut = [Float](repeating: 0, count: chordInputs)
        var errors = 0, inChord = 0, notes = 0
        for t in 1...steps {
            net.step(state, chordInput: xc, melodyInput: xm)
            let m = chordOut.withUnsafeMutableBufferPointer { sampler.sample(state, chordUnits: $0, using: &rng) }
            let bar = (t / slicesPerBar) % bars
            let expected = Slice(chord: form[bar], struck: t % slicesPerBar == 0, pitch: 0, attack: false)
            if chordOut != chordUnits(expected) { errors += 1 }
            if m != 26 {
                notes += 1
                let pitch = m < 13 ? m : m - 13
                if lines[form[bar]]!.contains(where: { $0.contains(pitch) }) { inChord += 1 }
            }
            xc = chordOut
            xm = melodyUnits(ofClass: m)
        }
        return FreeRun(chordErrors: errors, melodyInChord: notes > 0 ? Double(inChord) / Double(notes) : 0)
    }
}
