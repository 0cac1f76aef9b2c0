/// A corpus in which answers relate to calls: choruses of phrases that develop a motif.
///
/// Where the Eck corpus (`EckCorpus`) is quarter notes on one blues form, here each 12-bar
/// chorus is built from phrases a player would recognise, in four colours (blues, major,
/// minor, dorian; `Colour`) over two charts each (`forms`), all in C (the model's key):
///   - AAB: a riff, the riff moved to the IV chord in bar 5, and an answer that closes on the
///     tonic in bar 11 (often on the riff's rhythm), with a pickup into the next chorus;
///   - question and answer: a two-bar question ending open on the 2nd or 5th, and an answer
///     that starts like it (the same notes or moved a scale step) and closes on the tonic;
///   - sequence: a one-bar motif moved a scale step up or down, twice, and a cadence.
/// Rhythms mix eighths, quarters, rests, syncopation and anticipations (a note struck an
/// eighth before the bar, tied over); blues and minor lines carry blue notes. The melody stays
/// in the Eck encoding's C4-C5, chords are voiced in its chord range.
///
/// Everything follows from a seed: tune `n` of seed `s` is always the same music.
public enum PhraseCorpus {
    public static let encoding = SliceEncoding.eck

    public enum Shape: String, CaseIterable, Sendable {
        case aab, questionAndAnswer, sequence
    }

    /// A melody note: its first slice in the chorus, its length in slices, its MIDI pitch.
    public struct PhraseNote: Hashable, Sendable {
        public var start: Int
        public var length: Int
        public var pitch: UInt8
        public init(start: Int, length: Int, pitch: UInt8) {
            self.start = start
            self.length = length
            self.pitch = pitch
        }
        public var end: Int { start + length }
    }

    /// What a phrase does in its chorus.
    public enum Role: String, Sendable {
        /// AAB: the riff (a one-bar riff is played twice).
        case riff
        /// AAB: the riff moved to the IV chord, 4 bars later (`semitones` or `degrees` say how).
        case riffOnIV
        /// AAB: the end of each A line, on the tonic chord (the second is the first again).
        case tail
        /// The question of a question-and-answer pair: ends on the 2nd or the 5th.
        case question
        /// A closing phrase: ends on the tonic.
        case answer
        /// Sequence: the motif, and the motif moved along the scale (`degrees`).
        case motif, step
        /// Sequence: the end of a group that is not the chorus's last.
        case cadence
        /// Eighths leading into the next chorus.
        case pickup
    }

    public struct Phrase: Sendable {
        public var role: Role
        public var notes: [PhraseNote]
        /// How the phrase was moved from the one it develops (riff on IV, a sequence's steps).
        public var semitones = 0
        public var degrees = 0
    }

    public struct Chorus: Sendable {
        public var form: Form
        public var shape: Shape
        public var phrases: [Phrase]
        public var colour: Colour { form.colour }

        /// Every melody note, in time order.
        public var notes: [PhraseNote] { phrases.flatMap(\.notes).sorted { $0.start < $1.start } }

        /// The chorus as 96 slices: chords struck at each bar (and at a bar's second chord),
        /// the melody struck then held, rests between notes.
        public func slices() -> [Slice] {
            var slices: [Slice] = []
            slices.reserveCapacity(TimeGrid.slicesPerChorus)
            for s in 0..<TimeGrid.slicesPerChorus {
                let bar = form.bars[s / TimeGrid.slicesPerBar]
                let onset = s % TimeGrid.slicesPerBar == 0 || (bar.count > 1 && s % TimeGrid.slicesPerBar == TimeGrid.slicesPerBar / 2)
                slices.append(Slice(chord: form.chord(atSlice: s).voicing(in: encoding.chordRange), chordOnset: onset))
            }
            var previousEnd = 0
            for note in notes {
                precondition(note.start >= previousEnd && note.end <= slices.count, "phrase notes overlap or leave the chorus")
                slices[note.start].melody = .attack(note.pitch)
                for s in (note.start + 1)..<note.end { slices[s].melody = .hold(note.pitch) }
                previousEnd = note.end
            }
            return slices
        }
    }

    /// Tune `number`: `choruses` choruses in one colour and on one chart (the colours take
    /// turns, so any four tunes in a row hold all four), each chorus of its own shape.
    public static func tune(_ number: Int, choruses: Int = 2, seed: UInt64) -> [Chorus] {
        precondition(number >= 0 && choruses >= 1, "tune number and chorus count must be positive")
        var rng = SeededGenerator(seed: seed ^ (UInt64(number) &* 0xD1B5_4A32_D192_ED03))
        _ = rng.next()
        let colour = Colour.allCases[number % Colour.allCases.count]
        let charts = forms(of: colour)
        let form = charts[Int(rng.next() % UInt64(charts.count))]
        var writer = PhraseWriter(colour: colour, form: form, rng: rng)
        return (0..<choruses).map { _ in
            let shape = Shape.allCases[writer.weighted(form.hasIVInBar5 ? [4, 4, 3] : [0, 5, 4])]
            let phrases: [Phrase]
            switch shape {
            case .aab: phrases = writer.aab()
            case .questionAndAnswer: phrases = writer.questionsAndAnswers()
            case .sequence: phrases = writer.sequences()
            }
            return Chorus(form: form, shape: shape, phrases: phrases)
        }
    }

    /// The slices of tune `number`, its choruses back to back.
    public static func tuneSlices(_ number: Int, choruses: Int = 2, seed: UInt64) -> [Slice] {
        tune(number, choruses: choruses, seed: seed).flatMap { $0.slices() }
    }
}

// MARK: The three chorus shapes

extension PhraseWriter {
    typealias Phrase = PhraseCorpus.Phrase

    var third: Int { colour == .minor || colour == .dorian ? 3 : 4 }

    /// The first half bar in `halves` on the tonic chord (else the last), for a closing note.
    func tonicHalf(in halves: Range<Int>) -> Int {
        halves.first { form.chord(atSlice: $0 * 4).root == 0 } ?? halves.upperBound - 1
    }

    /// Appends a closing note at half `h`: on the beat, after it, or anticipated (an eighth
    /// early, shortening the note before) when that eighth is not before `notBefore`.
    mutating func closed(_ beats: [Beat], atHalf h: Int, length: ClosedRange<Int> = 2...4, notBefore: Int = 0) -> [Beat] {
        let at = h * 4
        let n = length.lowerBound + below(length.count)
        switch weighted([6, 1, 3]) {
        case 1: return beats + [(at + 1, min(3, n))]
        case 2 where at - 1 >= max(notBefore, 0): return Self.anticipating(beats, (at, n))
        default: return beats + [(at, n)]
        }
    }

    mutating func aab() -> [Phrase] {
        let riffBars = chance(0.5) ? 1 : 2
        var riff: [Note] = [], onIV: [Note] = []
        var shift = (semitones: 0, degrees: 0)
        for attempt in 0..<40 {
            let window: ClosedRange<UInt8> = chance(0.3) ? 67...72 : 60...67
            let beats = riffBars == 1 ? cellRhythm(halves: 0..<2) : anticipateDownbeats(closed(cellRhythm(halves: 0..<3), atHalf: 3), chance: 0.3)
            guard beats.count >= 3 || attempt == 39 else { continue }
            riff = blueNotes(line(beats, window: window), chance: 0.3)
            let shifts = colour.movesRiffChromatically ? [(5, 0), (-7, 0)] : [(0, 3), (0, -4)]
            for s in shifts {
                guard let notes = moved(riff, slices: 32, semitones: s.0, degrees: s.1) else { continue }
                shift = (s.0, s.1)
                onIV = notes
                break
            }
            if !onIV.isEmpty { break }
        }
        if onIV.isEmpty { onIV = moved(riff, slices: 32)! }  // a riff that fits no move is played again as it is
        if riffBars == 1 {
            riff += moved(riff, slices: 8)!
            onIV += moved(onIV, slices: 8)!
        }
        // The end of the A line, on the tonic chord, and the same again after the riff on IV.
        let tailBeats = closed(cellRhythm(halves: 4..<(4 + below(2))), atHalf: 6 - below(2))
        let tail = line(tailBeats, from: riff.last?.pitch, ending: .on(chance(0.5) ? [0] : [0, 7, third]))
        // The answer: on the riff's rhythm or a new one, closing on the tonic in bar 11.
        var body = chance(0.5) ? riff.filter { $0.end <= 8 }.map { (start: $0.start + 64, length: $0.length) } : cellRhythm(halves: 16..<18)
        body += cellRhythm(halves: 18..<20)
        let answerBeats = anticipateDownbeats(closed(body, atHalf: tonicHalf(in: 20..<22), notBefore: 64), chance: 0.25)
        let answer = blueNotes(line(answerBeats, from: onIV.last?.pitch, ending: .on([0])), chance: 0.3)
        var phrases = [
            Phrase(role: .riff, notes: riff), Phrase(role: .tail, notes: tail),
            Phrase(role: .riffOnIV, notes: onIV, semitones: shift.semitones, degrees: shift.degrees),
            Phrase(role: .tail, notes: moved(tail, slices: 32)!), Phrase(role: .answer, notes: answer),
        ]
        if chance(0.4), let last = answer.last, last.end <= 93 {
            let count = 2 + below(2)
            let beats = (0..<count).map { (start: 96 - count + $0, length: 1) }
            phrases.append(Phrase(role: .pickup, notes: line(beats, from: last.pitch)))
        }
        return phrases
    }

    mutating func questionsAndAnswers() -> [Phrase] {
        var phrases: [Phrase] = []
        var lastPitch: UInt8?
        var previousQuestion: [Note] = []
        for group in 0..<3 {
            let h = group * 8
            // The question: two bars, ending open on the 2nd or the 5th.
            var question: [Note] = []
            if !previousQuestion.isEmpty && chance(0.4) {
                // A question sequenced from the one before: moved a scale step, the ending kept open.
                let d = chance(0.5) ? 1 : -1
                if var moved = moved(previousQuestion, slices: 32, degrees: d) ?? moved(previousQuestion, slices: 32, degrees: -d) {
                    moved[moved.count - 1] = line([(moved.last!.start, moved.last!.length)], from: moved.last!.pitch, ending: .on([2, 7]))[0]
                    question = moved
                }
            }
            if question.isEmpty {
                let beats = closed(cellRhythm(halves: h..<(h + 2 + below(2))), atHalf: h + 3)
                question = blueNotes(line(anticipateDownbeats(beats, chance: 0.3), from: lastPitch, ending: .on([2, 7])), chance: 0.25)
            }
            // The answer: the question's opening (as it was, or a step away), then a new close.
            var k = max(2, question.count / 2)
            while k > 1, (question[k - 1].end + 16 + 3) / 4 > h + 7 { k -= 1 }
            let opening = Array(question.prefix(k))
            let d = chance(0.5) ? 0 : (chance(0.5) ? 1 : -1)
            let copied = moved(opening, slices: 16, degrees: d) ?? moved(opening, slices: 16)!
            let from = (copied.last!.end + 3) / 4
            let closing = max(from, tonicHalf(in: min(from + 1, h + 7)..<(h + 8)))
            let rest = closed(cellRhythm(halves: from..<closing), atHalf: closing, length: 2...3, notBefore: copied.last!.end)
            let answer = copied + line(rest, from: copied.last!.pitch, ending: .on([0]))
            phrases += [Phrase(role: .question, notes: question), Phrase(role: .answer, notes: answer, degrees: d)]
            previousQuestion = question
            lastPitch = answer.last?.pitch
        }
        return phrases
    }

    mutating func sequences() -> [Phrase] {
        var phrases: [Phrase] = []
        var lastPitch: UInt8?
        for group in 0..<3 {
            let h = group * 8
            let steps = group == 2 ? 1 : 2  // the last group closes in bar 11
            var motif: [Note] = [], moves: [[Note]] = [], degrees = 1
            for attempt in 0..<40 {
                let beats = cellRhythm(halves: h..<(h + 2))
                guard beats.count >= 3 || attempt == 39 else { continue }
                let window: ClosedRange<UInt8> = chance(0.5) ? 60...69 : 63...72
                motif = blueNotes(line(beats, from: lastPitch, window: window), chance: 0.2)
                for d in chance(0.5) ? [1, -1] : [-1, 1] {
                    let all = (1...steps).compactMap { moved(motif, slices: 8 * $0, degrees: d * $0) }
                    if all.count == steps { moves = all; degrees = d; break }
                }
                if !moves.isEmpty { break }
            }
            if moves.isEmpty { moves = (1...steps).map { moved(motif, slices: 8 * $0)! } ; degrees = 0 }
            phrases.append(Phrase(role: .motif, notes: motif))
            for (i, step) in moves.enumerated() { phrases.append(Phrase(role: .step, notes: step, degrees: degrees * (i + 1))) }
            // The cadence: the group's last bar (bar 11 for the chorus's close).
            let first = h + 2 * (steps + 1)
            let closing = group == 2 ? tonicHalf(in: first..<(first + 2)) : first + below(2)
            let beats = closed(cellRhythm(halves: first..<closing), atHalf: closing, length: 2...4, notBefore: moves.last!.last!.end)
            let tones = (0..<12).filter { form.chord(atSlice: closing * 4).pitchClassMask & (1 << UInt16($0)) != 0 }
            let cadence = line(beats, from: moves.last!.last!.pitch, ending: .on(group == 2 ? [0] : tones))
            phrases.append(Phrase(role: group == 2 ? .answer : .cadence, notes: cadence))
            lastPitch = cadence.last?.pitch ?? moves.last!.last!.pitch
        }
        return phrases
    }
}
