import Foundation

/// ABC notation (abcnotation.com, standard 2.1) of a score: the melody on improv's eighth-note
/// grid with the chord part as chord symbols above it.
///
/// The melody is quantized exactly as improv's slices are (`Score.slices` with an encoding
/// that covers every pitch, so nothing is folded), then each attack and its holds become one
/// note, with `L:1/8` lengths. Bars are the meter's eighths (8 in `M:4/4`, 6 in `M:3/4`), four bars to a line. A note that
/// crosses a bar line, or a chord change, is split there and tied with `-`. Chord symbols
/// (`ChordSymbol.identify` of the chord part) go on every bar's downbeat where a chord sounds
/// and wherever the symbol changes inside a bar.
///
/// Pitches are absolute (C = middle C = MIDI 60, c = 72, C, = 48, c' = 84). `K:` is the
/// score's key (C when it has none) and every note carries whatever accidental makes its
/// pitch exact against that signature: `^` `_` `=` where the signature would otherwise
/// alter it. Once a letter has had an explicit accidental in a bar, every later note of that
/// letter in the bar is written with one too, so the pitch is exact whether a reader carries
/// accidentals through the bar for that octave only, for all octaves, or not at all (music21);
/// a note tied over a bar line is written again with the accidental it had.
public enum ABCExport {
    public static func abc(_ score: Score, title: String) -> String {
        let key = score.key ?? .c
        let signature = keySignature(key)
        let encoding = SliceEncoding.covering(chords: score.chords, melody: score.melody)
        var slices = score.slices(encoding: encoding)
        let perBar = score.meter.slicesPerBar
        let barCount = max(1, (slices.count + perBar - 1) / perBar)
        slices += [Slice](repeating: .silent, count: barCount * perBar - slices.count)

        // Chord symbols: on each downbeat where a chord sounds, and wherever the symbol changes.
        var symbols: [Int: ChordSymbol] = [:]
        var previous: ChordSymbol?
        for (s, slice) in slices.enumerated() {
            let symbol = ChordSymbol.identify(slice.chord)
            if let symbol, s % perBar == 0 || symbol != previous { symbols[s] = symbol }
            previous = symbol
        }

        // Melody runs: (pitch or nil for rest, first slice, slice count).
        var runs: [(pitch: UInt8?, start: Int, length: Int)] = []
        for (s, slice) in slices.enumerated() {
            switch slice.melody {
            case .attack(let p): runs.append((p, s, 1))
            case .hold(let p) where runs.last?.pitch == p: runs[runs.count - 1].length += 1
            case .hold(let p): runs.append((p, s, 1)) // not canonical; cannot happen after slices()
            case .rest:
                if let last = runs.last, last.pitch == nil { runs[runs.count - 1].length += 1 } else { runs.append((nil, s, 1)) }
            }
        }

        // Cut runs at bar lines and chord symbols; notes continue with a tie.
        var bars = [String](repeating: "", count: barCount)
        var altered: Set<Character> = [] // letters given an explicit accidental in the current bar
        var currentBar = -1
        for run in runs {
            var s = run.start
            let end = run.start + run.length
            var accidentalBefore = false // the piece tied from was written with an accidental
            while s < end {
                var next = (s / perBar + 1) * perBar
                var t = s + 1
                while t < next { if symbols[t] != nil { next = t; break }; t += 1 }
                next = min(next, end)
                let bar = s / perBar
                if bar != currentBar { currentBar = bar; altered = [] }
                var token = ""
                if let symbol = symbols[s] { token += "\"\(symbol.description)\"" }
                if let p = run.pitch {
                    // A tied continuation repeats the accidental of the note it continues (exact in
                    // any case; readers such as music21 only join ties between notes spelled alike).
                    let spelled = spell(p, signature: signature, altered: &altered, forceAccidental: accidentalBefore)
                    accidentalBefore = spelled.first.map { "^_=".contains($0) } ?? false
                    token += spelled
                } else {
                    token += "z"
                }
                token += length(next - s)
                if run.pitch != nil && next < end { token += "-" }
                bars[bar] += bars[bar].isEmpty ? token : " " + token
                s = next
            }
        }

        var lines = [
            "X:1",
            "T:" + title.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " "),
            "M:\(score.meter)",
            "L:1/8",
            "Q:1/4=\(Int(score.tempoBPM.rounded()))",
            "K:" + signature.name,
        ]
        for first in stride(from: 0, to: barCount, by: 4) {
            let group = bars[first..<min(first + 4, barCount)]
            let isLast = first + 4 >= barCount
            lines.append(group.joined(separator: " | ") + (isLast ? " |]" : " |"))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: Key signature and spelling

    struct Signature {
        var name: String
        /// Sharps (positive) or flats (negative).
        var sharps: Int
        /// Alteration the signature gives each letter (-1, 0, +1).
        var alteration: [Character: Int]
        var usesSharps: Bool { sharps > 0 }
    }

    /// The `K:` name and signature of a key. Majors are spelled as `Key.description` does;
    /// minors take the usual spelling (C#m, G#m, Ebm, Bbm rather than Dbm, Abm, Gbm... ).
    static func keySignature(_ key: Key) -> Signature {
        let majors: [(String, Int)] = [("C", 0), ("Db", -5), ("D", 2), ("Eb", -3), ("E", 4), ("F", -1),
                                       ("Gb", -6), ("G", 1), ("Ab", -4), ("A", 3), ("Bb", -2), ("B", 5)]
        let minors: [(String, Int)] = [("Cm", -3), ("C#m", 4), ("Dm", -1), ("Ebm", -6), ("Em", 1), ("Fm", -4),
                                       ("F#m", 3), ("Gm", -2), ("G#m", 5), ("Am", 0), ("Bbm", -5), ("Bm", 2)]
        let (name, sharps) = (key.minor ? minors : majors)[key.tonic]
        var alteration: [Character: Int] = [:]
        for letter in "CDEFGAB" { alteration[letter] = 0 }
        if sharps > 0 { for letter in "FCGDAEB".prefix(sharps) { alteration[letter] = 1 } }
        if sharps < 0 { for letter in "BEADGCF".prefix(-sharps) { alteration[letter] = -1 } }
        return Signature(name: name, sharps: sharps, alteration: alteration)
    }

    /// One pitch in ABC: accidental (when needed), letter, octave marks.
    static func spell(_ pitch: UInt8, signature: Signature, altered: inout Set<Character>,
                      forceAccidental: Bool = false) -> String {
        let flatSpelling: [(Character, Int)] = [("C", 0), ("D", -1), ("D", 0), ("E", -1), ("E", 0), ("F", 0),
                                                ("G", -1), ("G", 0), ("A", -1), ("A", 0), ("B", -1), ("B", 0)]
        let sharpSpelling: [(Character, Int)] = [("C", 0), ("C", 1), ("D", 0), ("D", 1), ("E", 0), ("F", 0),
                                                 ("F", 1), ("G", 0), ("G", 1), ("A", 0), ("A", 1), ("B", 0)]
        let (letter, alteration) = (signature.usesSharps ? sharpSpelling : flatSpelling)[Int(pitch) % 12]
        var text = ""
        if alteration != signature.alteration[letter] || altered.contains(letter) || forceAccidental {
            text += alteration > 0 ? "^" : alteration < 0 ? "_" : "="
            altered.insert(letter)
        }
        // Octave of the unaltered letter (no B#/Cb spellings, so it is the pitch's octave).
        let octave = Int(pitch) / 12 - 1 // C4 = 60
        if octave >= 5 {
            text += String(letter).lowercased() + String(repeating: "'", count: octave - 5)
        } else {
            text += String(letter) + String(repeating: ",", count: 4 - octave)
        }
        return text
    }

    /// A length in eighths under `L:1/8`: 1 is written as nothing.
    static func length(_ eighths: Int) -> String { eighths == 1 ? "" : String(eighths) }
}
