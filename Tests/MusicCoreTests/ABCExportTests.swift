import TestSupport
@testable import MusicCore
import Foundation
import XCTest

/// ABC export: the text itself, and a round trip through music21 (Tests/interop/abc_check.py).
/// The music21 checks fail (never skip) when python3 or music21 is missing.
final class ABCExportTests: XCTestCase {
    static let keys: [Key] = [.c, Key(tonic: 5), Key(tonic: 10)] // C, F, Bb

    static func chorus(_ n: Int, in key: Key) -> Score {
        Score(slices: EckCorpus.chorus(n), key: .c).transposed(by: key.offsetFromC)
    }

    // MARK: Structure

    func testHeaderBarsAndChordsOfACorpusChorus() throws {
        for key in Self.keys {
            let score = Self.chorus(1234, in: key)
            let text = ABCExport.abc(score, title: "Chorus 1234")
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            XCTAssertEqual(Array(lines.prefix(6)), ["X:1", "T:Chorus 1234", "M:4/4", "L:1/8", "Q:1/4=120", "K:\(key)"])
            XCTAssertEqual(lines.last, "", "ends with a newline")
            let body = Array(lines.dropFirst(6).dropLast())
            XCTAssertEqual(body.count, 3, "three lines of four bars:\n\(text)")
            XCTAssertTrue(body.last?.hasSuffix("|]") ?? false)
            let bars = Self.bars(of: text)
            XCTAssertEqual(bars.count, 12, "\(key): \(bars)")
            for line in body { XCTAssertEqual(Self.bars(of: line).count, 4, line) }
            // Every bar holds 8 eighths (quarter notes: four notes of length 2).
            for (i, bar) in bars.enumerated() {
                XCTAssertEqual(Self.eighths(in: bar), 8, "bar \(i + 1): \(bar)")
            }
            let form = EckCorpus.form.transposed(by: key.offsetFromC)
            XCTAssertEqual(Self.chordNames(in: text), form.bars.map { $0[0].description }, "\(key)")
            XCTAssertEqual(bars.map { Self.chordNames(in: $0) }, form.bars.map { $0.map(\.description) }, "one chord per bar, on the downbeat")
        }
        XCTAssertEqual(Self.chordNames(in: ABCExport.abc(Self.chorus(0, in: .c), title: "x")),
                       ["C7", "F7", "C7", "C7", "F7", "F7", "C7", "C7", "Dm7", "G7", "C7", "G7"])
    }

    func testCorpusChorusTextInCAndF() {
        // Chorus 0 in C, bar 1: C Eb F G over C7; in F the Eb becomes Ab.
        let c = ABCExport.abc(Self.chorus(0, in: .c), title: "t")
        XCTAssertTrue(c.contains("\n\"C7\"C2 _E2 F2 G2 | \"F7\"F2 _E2 C2 _E2 | \"C7\"G2 G2 _B2 G2 | \"C7\"c2 _B2 G2 _E2 |\n"), c)
        let f = ABCExport.abc(Self.chorus(0, in: Key(tonic: 5)), title: "t")
        XCTAssertTrue(f.contains("K:F\n\"F7\"F2 _A2 B2 c2 | \"Bb7\"B2 _A2 F2 _A2 |"), f) // Bb: B under K:F
    }

    func testHeaderDefaultsTempoAndTitle() {
        let score = Score(ticksPerQuarter: 96, tempoBPM: 97.6, key: nil, chords: [], melody: [])
        let text = ABCExport.abc(score, title: "two\nlines")
        XCTAssertEqual(text, "X:1\nT:two lines\nM:4/4\nL:1/8\nQ:1/4=98\nK:C\nz8 |]\n")
        XCTAssertTrue(ABCExport.abc(Score(key: Key(tonic: 3, minor: true), chords: [], melody: []), title: "m").contains("K:Ebm\n"))
        XCTAssertTrue(ABCExport.abc(Score(key: Key(tonic: 9, minor: true), chords: [], melody: []), title: "m").contains("K:Am\n"))
    }

    func testTiesRestsAndChordChanges() {
        let q = 480, e = 240
        func n(_ p: UInt8, _ start: Int, _ length: Int, channel: UInt8 = 1) -> Note {
            Note(pitch: p, channel: channel, start: start * e, duration: length * e)
        }
        // Melody: rest 1, C5 for 5 eighths, then a note from slice 6 across the bar line to slice 11,
        // rest to the end of bar 2 except an eighth at slice 14.
        let melody = [n(72, 1, 5), n(67, 6, 5), n(48, 14, 1)]
        // Chords: C7 for 4 eighths, F7 from slice 4 to 12 (changes inside bar 1 and crosses the bar
        // line), then G7 from slice 12.
        let c7 = ChordSymbol(root: 0, .dominant7).voicing(in: 48...59)
        let f7 = ChordSymbol(root: 5, .dominant7).voicing(in: 48...59)
        let g7 = ChordSymbol(root: 7, .dominant7).voicing(in: 48...59)
        let chords = c7.map { n($0, 0, 4, channel: 0) } + f7.map { n($0, 4, 8, channel: 0) } + g7.map { n($0, 12, 4, channel: 0) }
        let score = Score(ticksPerQuarter: q, key: .c, chords: chords, melody: melody)
        let text = ABCExport.abc(score, title: "ties")
        let body = text.split(separator: "\n").dropFirst(6).joined(separator: "\n")
        XCTAssertEqual(body, "\"C7\"z c3- \"F7\"c2 G2- | \"F7\"G3 z \"G7\"z2 C, z |]")
    }

    func testNoteSpellingIsAbsoluteAndExact() {
        func spell(_ pitches: [UInt8], _ key: Key) -> String {
            let signature = ABCExport.keySignature(key)
            var altered: Set<Character> = []
            return pitches.map { ABCExport.spell($0, signature: signature, altered: &altered) }.joined(separator: " ")
        }
        XCTAssertEqual(spell([60, 72, 48, 84, 36, 96, 59, 71], .c), "C c C, c' C,, c'' B, B")
        XCTAssertEqual(spell([61, 63, 66, 68, 70], .c), "_D _E _G _A _B")
        // Under K:F, Bb needs nothing and B natural needs =.
        XCTAssertEqual(spell([70], Key(tonic: 5)), "B")
        XCTAssertEqual(spell([71], Key(tonic: 5)), "=B")
        // Sharp keys spell with sharps; naturals against the signature get =.
        XCTAssertEqual(spell([66, 65, 61, 60, 63], Key(tonic: 2)), "F =F C =C ^D")
        // Once a letter has an accidental in the bar it keeps getting one, in every octave.
        XCTAssertEqual(spell([63, 64, 75, 76], .c), "_E =E _e =e")
        XCTAssertEqual(spell([70, 58, 71], Key(tonic: 10)), "B B, =B")
        XCTAssertEqual(spell([71, 70], Key(tonic: 10)), "=B _B")
    }

    // MARK: Round trip through music21

    func testCorpusChorusesRoundTripThroughMusic21() throws {
        try XCTSkipIf(ProcessInfo.processInfo.environment["IMPROV_CHECK"] == "1", "slow: make test runs it, make check does not")
        var scores: [(name: String, score: Score)] = []
        for key in Self.keys {
            for n in [0, 1234, 2730, 4095] { scores.append(("chorus \(n) in \(key)", Self.chorus(n, in: key))) }
        }
        try roundTrip(scores)
    }

    func testChromaticMelodyRestsAndChangingChordsRoundTripThroughMusic21() throws {
        try XCTSkipIf(ProcessInfo.processInfo.environment["IMPROV_CHECK"] == "1", "slow: make test runs it, make check does not")
        // Every pitch class in several octaves, notes of 1-7 eighths with rests between,
        // chords of several qualities changing anywhere in the bar, in sharp, flat and minor keys.
        var rng = SeededGenerator(seed: 7)
        func random(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(rng.next() % UInt64(range.count)) }
        let qualities: [ChordSymbol.Quality] = [.dominant7, .major, .minor, .minor7, .major7, .halfDiminished, .augmented, .diminished]
        var scores: [(name: String, score: Score)] = []
        for (i, key) in [Key(tonic: 2), Key(tonic: 4), Key(tonic: 6), Key(tonic: 11), Key(tonic: 3, minor: true),
                         Key(tonic: 10, minor: true), Key(tonic: 1), .c].enumerated() {
            let tpq = [480, 96, 384][i % 3]
            let e = tpq / 2
            var melody: [Note] = []
            var s = random(0...2)
            while s < 80 {
                let length = random(1...7)
                melody.append(Note(pitch: UInt8(random(40...90)), channel: 1, start: s * e, duration: length * e))
                s += length + (random(0...3) == 0 ? random(1...3) : 0)
            }
            var chords: [Note] = []
            s = 0
            var last: ChordSymbol?
            while s < 80 {
                let length = random(1...10)
                var symbol = ChordSymbol(root: random(0...11), qualities[random(0...qualities.count - 1)])
                while symbol == last { symbol = ChordSymbol(root: random(0...11), .dominant7) }
                last = symbol
                chords += symbol.voicing(in: 48...59).map { Note(pitch: $0, channel: 0, start: s * e, duration: length * e) }
                s += length
            }
            let score = Score(ticksPerQuarter: tpq, tempoBPM: 140, key: key, chords: chords, melody: melody)
            scores.append(("random \(i) in \(key)", score))
        }
        try roundTrip(scores)
    }

    /// Writes each score as ABC, reads them all back with music21 in one run, and compares
    /// melody notes (pitch exact; offset and duration in quarters = ticks / PPQ), chord symbols
    /// (name, root, place), key signature, metre and tempo.
    private func roundTrip(_ scores: [(name: String, score: Score)], file: StaticString = #filePath, line: UInt = #line) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("abc-export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var paths: [String] = []
        for (i, entry) in scores.enumerated() {
            let url = directory.appendingPathComponent("\(i).abc")
            try ABCExport.abc(entry.score, title: entry.name).write(to: url, atomically: true, encoding: .utf8)
            paths.append(url.path)
        }
        let report = try Music21.check(paths)
        XCTAssertEqual(report.files.count, scores.count, file: file, line: line)
        for (entry, read) in zip(scores, report.files) {
            let score = entry.score
            let text = (try? String(contentsOfFile: read.path, encoding: .utf8)) ?? ""
            let context = "\(entry.name):\n\(text)"
            let tpq = Double(score.ticksPerQuarter)
            let expectedNotes = score.melody.sorted { $0.start < $1.start }
                .map { [Double($0.pitch), Double($0.start) / tpq, Double($0.duration) / tpq] }
            XCTAssertEqual(read.notes, expectedNotes, "melody notes, \(context)", file: file, line: line)
            XCTAssertEqual(read.chords.map(\.name), Self.expectedChords(score).map(\.symbol.description),
                           "chord symbols, \(context)", file: file, line: line)
            XCTAssertEqual(read.chords.map(\.root), Self.expectedChords(score).map(\.symbol.root), "chord roots, \(context)", file: file, line: line)
            XCTAssertEqual(read.chords.map(\.offset), Self.expectedChords(score).map { Double($0.slice) / 2 },
                           "chord places, \(context)", file: file, line: line)
            XCTAssertEqual(read.keySharps, ABCExport.keySignature(score.key ?? .c).sharps, context, file: file, line: line)
            XCTAssertEqual(read.timeSignature, "4/4", context, file: file, line: line)
            XCTAssertEqual(read.tempo, score.tempoBPM.rounded(), context, file: file, line: line)
        }
    }

    /// The chord symbols a score should carry, worked out from its chord notes directly
    /// (not through slices): on each downbeat where a chord sounds and where the name changes.
    static func expectedChords(_ score: Score) -> [(symbol: ChordSymbol, slice: Int)] {
        let e = score.ticksPerQuarter / 2
        let slices = (score.endTick + e - 1) / e
        var out: [(symbol: ChordSymbol, slice: Int)] = []
        var previous: ChordSymbol?
        for s in 0..<slices {
            let tick = s * e
            let sounding = PitchSet(score.chords.filter { $0.start <= tick && tick < $0.end }.map(\.pitch))
            let symbol = ChordSymbol.identify(sounding)
            if let symbol, s % 8 == 0 || symbol != previous { out.append((symbol, s)) }
            previous = symbol
        }
        return out
    }

    // MARK: Reading the ABC text

    /// The bars of an ABC text's body (header lines dropped).
    static func bars(of text: String) -> [String] {
        let body: [String] = text.split(separator: "\n").map(String.init)
            .filter { line in !(line.count >= 2 && Array(line)[1] == ":" && line.first!.isLetter) }
        return body.joined(separator: " ").replacingOccurrences(of: "|]", with: "|")
            .split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Chord annotations in order.
    static func chordNames(in text: String) -> [String] {
        text.split(separator: "\"", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
    }

    /// Total length in eighths of the notes and rests of one bar (L:1/8).
    static func eighths(in bar: String) -> Int {
        var total = 0
        for token in bar.split(separator: " ") {
            var t = Substring(token)
            if t.hasPrefix("\"") { t = t.drop(while: { $0 != "\"" }).dropFirst().drop(while: { $0 != "\"" }).dropFirst() }
            let digits = t.reversed().drop(while: { $0 == "-" }).prefix(while: \.isNumber)
            total += digits.isEmpty ? 1 : Int(String(digits.reversed()))!
        }
        return total
    }
}

/// Runs Tests/interop/abc_check.py (music21). Throws, with a message saying what to
/// install, when python3 or music21 is missing, so the tests fail rather than skip.
private enum Music21 {
    struct Report: Decodable {
        struct File: Decodable {
            var path: String
            var notes: [[Double]]
            var chords: [Chord]
            var keySharps: Int?
            var timeSignature: String?
            var tempo: Double?
            enum CodingKeys: String, CodingKey {
                case path, notes, chords, tempo
                case keySharps = "key_sharps", timeSignature = "time_signature"
            }
        }
        /// [figure, offset, root pitch class]; music21 writes flats as "-" (B-7): named here as improv does.
        struct Chord: Decodable {
            var name: String
            var offset: Double
            var root: Int
            init(from decoder: Decoder) throws {
                var c = try decoder.unkeyedContainer()
                let figure = try c.decode(String.self)
                offset = try c.decode(Double.self)
                root = try c.decode(Int.self)
                var chars = Array(figure)
                if chars.count >= 2, chars[1] == "-" { chars[1] = "b" }
                name = String(chars)
            }
        }
        var files: [File]
    }

    struct Failure: Error, CustomStringConvertible { var description: String }

    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var script: String { packageRoot.appendingPathComponent("Tests/interop/abc_check.py").path }

    static func check(_ paths: [String]) throws -> Report {
        let probe: (status: Int32, stdout: Data, stderr: String)
        do { probe = try run(["-c", "import music21"]) } catch {
            throw Failure(description: "cannot run python3 via /usr/bin/env (needed for the music21 ABC checks): \(error)")
        }
        if probe.status == 127 {
            throw Failure(description: "python3 not found on PATH (needed for the music21 ABC checks): \(probe.stderr)")
        }
        if probe.status != 0 {
            throw Failure(description: "python3 cannot import music21; install it with `pip install music21`. python3 said: \(probe.stderr)")
        }
        let result = try run([script] + paths)
        guard result.status == 0 else {
            throw Failure(description: "abc_check.py exited with \(result.status): \(result.stderr)")
        }
        do {
            return try JSONDecoder().decode(Report.self, from: result.stdout)
        } catch {
            throw Failure(description: "abc_check.py printed JSON that does not decode: \(error)\n\(String(decoding: result.stdout, as: UTF8.self))")
        }
    }

    /// `python3 ARGS...` (TestSupport's runner).
    static func run(_ arguments: [String]) throws -> (status: Int32, stdout: Data, stderr: String) {
        try Python.run(arguments)
    }
}
