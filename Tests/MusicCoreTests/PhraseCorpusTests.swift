@testable import MusicCore
import XCTest

final class PhraseCorpusTests: XCTestCase {
    /// 64 tunes of two choruses: 16 of each colour.
    static let tunes = (0..<64).map { PhraseCorpus.tune($0, seed: 1) }
    static var choruses: [PhraseCorpus.Chorus] { tunes.flatMap { $0 } }

    func testTheSameSeedGivesTheSameMusicAndAnotherSeedOther() {
        for n in [0, 1, 7, 40] {
            XCTAssertEqual(PhraseCorpus.tuneSlices(n, seed: 1), PhraseCorpus.tuneSlices(n, seed: 1))
        }
        let other = (0..<16).filter { PhraseCorpus.tuneSlices($0, seed: 1) != PhraseCorpus.tuneSlices($0, seed: 2) }
        XCTAssertEqual(other.count, 16, "seed 2 changes every tune")
        XCTAssertEqual(Set(Self.tunes.map { $0.flatMap { $0.slices() } }).count, 64, "64 different tunes")
    }

    func testChorusesFitTheEncodingAndTheirCharts() {
        let encoding = PhraseCorpus.encoding
        for chorus in Self.choruses {
            let slices = chorus.slices()
            XCTAssertEqual(slices.count, 96)
            for (s, slice) in slices.enumerated() {
                XCTAssertEqual(slice.chord.pitchClassMask, chorus.form.chord(atSlice: s).pitchClassMask, "\(chorus.form.name) slice \(s)")
                XCTAssertTrue(slice.chord.allSatisfy { encoding.chordRange.contains($0) })
                let bar = chorus.form.bars[s / 8]
                XCTAssertEqual(slice.chordOnset, s % 8 == 0 || (bar.count == 2 && s % 8 == 4), "slice \(s)")
                if let p = slice.melody.pitch { XCTAssertTrue(encoding.melodyRange.contains(p), "pitch \(p) at slice \(s)") }
            }
            // Every note of every phrase is in the slices: struck at its start, held to its end.
            for note in chorus.notes {
                XCTAssertEqual(slices[note.start].melody, .attack(note.pitch))
                for s in (note.start + 1)..<note.end { XCTAssertEqual(slices[s].melody, .hold(note.pitch)) }
            }
        }
    }

    func testEveryColourChartAndShapeIsPresent() {
        let choruses = Self.choruses
        for colour in PhraseCorpus.Colour.allCases {
            let of = choruses.filter { $0.colour == colour }
            XCTAssertEqual(of.count, 32, "\(colour)")
            XCTAssertEqual(Set(of.map(\.form.name)).count, PhraseCorpus.forms(of: colour).count, "every chart of \(colour)")
        }
        for shape in PhraseCorpus.Shape.allCases {
            XCTAssertGreaterThan(choruses.filter { $0.shape == shape }.count, 10, "\(shape)")
        }
        // Minor is minor: no E natural in minor or dorian. Major is major: its Eb (over F7, bent up
        // to E, or carried by a moved phrase) is rare beside its E.
        for chorus in choruses where chorus.colour == .minor || chorus.colour == .dorian {
            XCTAssertFalse(chorus.notes.contains { $0.pitch % 12 == 4 }, "E in \(chorus.form.name)")
        }
        let major = choruses.filter { $0.colour == .major }.flatMap(\.notes)
        XCTAssertGreaterThan(major.filter { $0.pitch % 12 == 4 }.count, 4 * major.filter { $0.pitch % 12 == 3 }.count)
        XCTAssertTrue(choruses.contains { $0.form.bars[0][0] == ChordSymbol(root: 0, .minor7) }, "minor chords: Cm7")
        // A chart that starts on C7 is the Eck form all through (the chord cells cannot tell them apart).
        for form in PhraseCorpus.forms where form.bars[0] == [ChordSymbol(root: 0, .dominant7)] {
            XCTAssertEqual(form.bars.map { $0[0] }, ChordForm.eckBlues.bars.map { $0[0] }, form.name)
        }
    }

    func testTheRiffRecursMovedToTheIVChord() {
        let aab = Self.choruses.filter { $0.shape == .aab }
        XCTAssertGreaterThan(aab.count, 10)
        for chorus in aab {
            let riff = chorus.phrases.first { $0.role == .riff }!, onIV = chorus.phrases.first { $0.role == .riffOnIV }!
            XCTAssertEqual(onIV.notes.map(\.start), riff.notes.map { $0.start + 32 }, "the same rhythm, four bars later")
            XCTAssertEqual(onIV.notes.map(\.length), riff.notes.map(\.length))
            XCTAssertEqual(chorus.form.chord(atSlice: onIV.notes[0].start).root, 5, "over the IV chord")
            if chorus.colour.movesRiffChromatically {
                XCTAssertTrue([5, -7].contains(onIV.semitones), "moved a fourth up or a fifth down")
                XCTAssertEqual(zip(riff.notes, onIV.notes).map { Int($1.pitch) - Int($0.pitch) },
                               Array(repeating: onIV.semitones, count: riff.notes.count), "its intervals kept")
            } else {
                // Minor and dorian move along their scale: each scale note the same number of steps.
                XCTAssertTrue([3, -4].contains(onIV.degrees), "moved a fourth up or a fifth down the scale")
                let ladder = (48...84).filter { chorus.colour.scaleMask & (1 << UInt16($0 % 12)) != 0 }
                for (a, b) in zip(riff.notes, onIV.notes) {
                    guard let i = ladder.firstIndex(of: Int(a.pitch)), let j = ladder.firstIndex(of: Int(b.pitch)) else { continue }
                    XCTAssertEqual(j - i, onIV.degrees)
                }
            }
            // The A line's tail comes back unchanged after the riff on IV.
            let tails = chorus.phrases.filter { $0.role == .tail }
            XCTAssertEqual(tails.count, 2)
            XCTAssertEqual(tails[1].notes.map(\.pitch), tails[0].notes.map(\.pitch))
        }
    }

    func testQuestionsEndOpenAndAnswersCloseOnTheTonic() {
        var questions = 0, answers = 0
        for chorus in Self.choruses {
            for phrase in chorus.phrases {
                let last = Int(phrase.notes.last!.pitch) % 12
                switch phrase.role {
                case .question: questions += 1; XCTAssertTrue([2, 7].contains(last), "a question ends on the 2nd or 5th, not \(last)")
                case .answer: answers += 1; XCTAssertEqual(last, 0, "an answer closes on the tonic")
                default: break
                }
            }
            // Every chorus ends closed: its last phrase before a pickup is an answer.
            XCTAssertEqual(chorus.phrases.last { $0.role != .pickup }?.role, .answer)
        }
        XCTAssertGreaterThan(questions, 30)
        XCTAssertGreaterThan(answers, 100)
    }

    func testAnswersStartLikeTheirQuestionAndSequencesStepAlongTheScale() {
        for chorus in Self.choruses {
            let phrases = chorus.phrases
            for (i, phrase) in phrases.enumerated() where phrase.role == .question {
                let answer = phrases[i + 1]
                XCTAssertEqual(answer.role, .answer)
                XCTAssertEqual(answer.notes.prefix(2).map { $0.start - 16 }, phrase.notes.prefix(2).map(\.start), "the question's rhythm, two bars on")
                if answer.degrees == 0 { XCTAssertEqual(answer.notes.prefix(2).map(\.pitch), phrase.notes.prefix(2).map(\.pitch)) }
            }
            for (i, phrase) in phrases.enumerated() where phrase.role == .motif {
                let steps = phrases[(i + 1)...].prefix { $0.role == .step }
                XCTAssertFalse(steps.isEmpty)
                for (k, step) in steps.enumerated() {
                    XCTAssertEqual(step.notes.map(\.start), phrase.notes.map { $0.start + 8 * (k + 1) })
                    XCTAssertEqual(abs(step.degrees), k + 1, "one scale step further each bar")
                    // Each of the motif's scale notes moved the same number of scale steps.
                    let ladder = (48...84).filter { chorus.colour.scaleMask & (1 << UInt16($0 % 12)) != 0 }
                    for (a, b) in zip(phrase.notes, step.notes) {
                        guard let i = ladder.firstIndex(of: Int(a.pitch)) else { continue }
                        XCTAssertEqual(ladder.firstIndex(of: Int(b.pitch)), i + step.degrees, "\(a.pitch) moved \(step.degrees) steps")
                    }
                }
            }
        }
    }

    func testEighthsRestsAnticipationsAndBlueNotes() {
        let choruses = Self.choruses
        let notes = choruses.flatMap(\.notes)
        let eighths = Double(notes.filter { $0.length == 1 }.count) / Double(notes.count)
        XCTAssertGreaterThan(eighths, 0.4, "mostly eighths, as players play")
        XCTAssertLessThan(eighths, 0.8)
        let slices = choruses.flatMap { $0.slices() }
        let rests = Double(slices.filter { $0.melody == .rest }.count) / Double(slices.count)
        XCTAssertTrue((0.2...0.7).contains(rests), "rests between phrases: \(rests)")
        let anticipations = notes.filter { $0.start % 8 == 7 && $0.length >= 2 }
        XCTAssertGreaterThan(anticipations.count, 50, "notes struck before the bar and tied over")
        let offbeat = notes.filter { $0.start % 2 == 1 }
        XCTAssertGreaterThan(Double(offbeat.count) / Double(notes.count), 0.2, "syncopation: notes struck off the beat")
        for colour in [PhraseCorpus.Colour.blues, .minor, .dorian] {
            let flatFives = choruses.filter { $0.colour == colour }.flatMap(\.notes).filter { $0.pitch % 12 == 6 }
            XCTAssertGreaterThan(flatFives.count, 5, "blue note Gb in \(colour)")
        }
        let bends = choruses.filter { $0.colour == .blues }.flatMap { c in zip(c.notes, c.notes.dropFirst()).filter { $0.pitch % 12 == 3 && $1.pitch % 12 == 4 } }
        XCTAssertGreaterThan(bends.count, 5, "the blues third bent from Eb to E")
    }
}
