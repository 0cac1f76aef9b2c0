/// The phrase corpus's craft: rhythms from half-bar cells, lines that walk the colour's scale
/// with chord tones on the strong beats, anticipations, blue notes, and moving a line along
/// the scale. Internal to `PhraseCorpus`; all randomness comes from one `SeededGenerator`.
struct PhraseWriter {
    typealias Note = PhraseCorpus.PhraseNote
    /// A note's place before it has a pitch: start slice (in the chorus) and length in slices.
    typealias Beat = (start: Int, length: Int)

    let colour: PhraseCorpus.Colour
    let form: PhraseCorpus.Form
    var rng: SeededGenerator
    static let range: ClosedRange<UInt8> = PhraseCorpus.encoding.melodyRange

    // MARK: Randomness

    mutating func below(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }
    mutating func chance(_ p: Double) -> Bool { Double(rng.next() >> 11) / Double(1 << 53) < p }
    mutating func weighted(_ weights: [Int]) -> Int {
        var r = below(weights.reduce(0, +))
        for (i, w) in weights.enumerated() { if r < w { return i }; r -= w }
        return weights.count - 1
    }

    // MARK: Rhythm

    /// Half-bar cells (4 slices): (offset, length). Eighths, quarters, rests and syncopation;
    /// weighted toward eighths, as players' lines are.
    static let cells: [[Beat]] = [
        [(0, 2), (2, 2)],                  // q q
        [(0, 1), (1, 1), (2, 2)],          // e e q
        [(0, 2), (2, 1), (3, 1)],          // q e e
        [(0, 1), (1, 1), (2, 1), (3, 1)],  // e e e e
        [(1, 1), (2, 2)],                  // (e) e q: enters off the beat
        [(0, 1), (1, 2), (3, 1)],          // e q e: syncopated
        [(0, 3), (3, 1)],                  // q. e
        [(1, 1), (2, 1), (3, 1)],          // (e) e e e
        [(0, 4)],                          // h
        [(0, 2)],                          // q (q)
    ]
    static let cellWeights = [6, 12, 10, 14, 6, 8, 5, 6, 2, 4]

    /// Notes filling half bars `halves` (counted in the chorus) from cells.
    mutating func cellRhythm(halves: Range<Int>) -> [Beat] {
        var beats: [Beat] = []
        for h in halves {
            let cell = Self.cells[weighted(Self.cellWeights)]
            beats += cell.map { (h * 4 + $0.start, $0.length) }
        }
        return beats
    }

    /// Appends `note` struck an eighth early (tied over its beat), shortening or dropping what
    /// sounds in that eighth.
    static func anticipating(_ beats: [Beat], _ note: Beat) -> [Beat] {
        var out = beats
        let early = note.start - 1
        if let last = out.last, last.start + last.length > early {
            if last.start >= early { out.removeLast() } else { out[out.count - 1].length = early - last.start }
        }
        out.append((early, note.length + 1))
        return out
    }

    /// Moves some notes struck on a bar's downbeat an eighth early (an anticipation of the bar).
    mutating func anticipateDownbeats(_ beats: [Beat], chance p: Double) -> [Beat] {
        var out = beats
        for i in out.indices.dropFirst() where out[i].start % TimeGrid.slicesPerBar == 0 && chance(p) {
            let before = out[i - 1]
            guard before.start < out[i].start - 1, before.start + before.length <= out[i].start else { continue }
            out[i - 1].length = min(before.length, out[i].start - 1 - before.start)
            out[i] = (out[i].start - 1, out[i].length + 1)
        }
        return out
    }

    // MARK: Pitch

    func chordScale(atSlice s: Int) -> [UInt8] {
        let mask = PhraseCorpus.chordScale(colour, form.chord(atSlice: s))
        return Self.range.filter { mask & (1 << UInt16($0 % 12)) != 0 }
    }

    func isChordTone(_ p: UInt8, atSlice s: Int) -> Bool {
        form.chord(atSlice: s).pitchClassMask & (1 << UInt16(p % 12)) != 0
    }

    /// How a line ends: anywhere, or on one of these pitch classes (the nearest such pitch).
    enum Ending { case free, on([Int]) }

    /// Pitches for `beats`: a walk on the chord's scale, mostly by step with some momentum,
    /// chord tones on beats 1 and 3, within `window`; starting near `from` and ending as told.
    mutating func line(_ beats: [Beat], from start: UInt8? = nil, ending: Ending = .free,
                       window: ClosedRange<UInt8> = range) -> [Note] {
        var notes: [Note] = []
        var current = start ?? UInt8(Int(window.lowerBound) + below(window.count))
        var direction = chance(0.5) ? 1 : -1
        for (i, beat) in beats.enumerated() {
            let candidates = chordScale(atSlice: beat.start).filter { window.contains($0) }
            var pitch: UInt8
            if i == beats.count - 1, case .on(let classes) = ending {
                let targets = window.filter { classes.contains(Int($0) % 12) }
                pitch = targets.min { abs(Int($0) - Int(current)) < abs(Int($1) - Int(current)) } ?? current
            } else if candidates.isEmpty {
                pitch = current
            } else {
                var index = candidates.indices.min { abs(Int(candidates[$0]) - Int(current)) < abs(Int(candidates[$1]) - Int(current)) }!
                let size = [0, 1, 1, 1, 2, 2, 3][below(7)]
                if chance(0.25) { direction = -direction }
                var next = index + direction * size
                if next < 0 || next >= candidates.count { direction = -direction; next = index + direction * size }
                index = min(max(next, 0), candidates.count - 1)
                pitch = candidates[index]
                if beat.start % 4 == 0 && !isChordTone(pitch, atSlice: beat.start) {
                    let near = candidates.filter { isChordTone($0, atSlice: beat.start) && abs(Int($0) - Int(pitch)) <= 4 }
                    if let tone = near.min(by: { abs(Int($0) - Int(pitch)) < abs(Int($1) - Int(pitch)) }) { pitch = tone }
                }
            }
            notes.append(Note(start: beat.start, length: beat.length, pitch: pitch))
            current = pitch
        }
        return notes
    }

    /// Blue notes: an offbeat eighth just before a G becomes Gb (blues, minor, dorian), one
    /// before an E over a chord holding E becomes Eb, the minor third bent up (blues, major).
    mutating func blueNotes(_ notes: [Note], chance p: Double) -> [Note] {
        var out = notes
        for i in out.indices.dropLast() where out[i].length == 1 && out[i].start % 2 == 1 && chance(p) {
            let next = out[i + 1]
            guard next.start == out[i].start + 1, next.pitch > Self.range.lowerBound else { continue }
            let pc = Int(next.pitch) % 12
            let bendsThird = pc == 4 && isChordTone(next.pitch, atSlice: next.start) && (colour == .blues || colour == .major)
            let flatFive = pc == 7 && colour != .major
            if bendsThird || flatFive { out[i].pitch = next.pitch - 1 }
        }
        return out
    }

    /// A pitch moved `degrees` steps along the colour's scale; nil when it leaves the melody
    /// range. A note off the scale (a blue note, a chord's own tone) keeps its distance above the
    /// scale note below it, short of the next one, so the line keeps its shape; in minor and
    /// dorian, where that would sound major (an E), it falls to the scale note instead.
    func movedAlongScale(_ p: UInt8, by degrees: Int) -> UInt8? {
        let mask = colour.scaleMask
        let ladder = (36...96).filter { mask & (1 << UInt16($0 % 12)) != 0 }
        guard let below = ladder.lastIndex(where: { $0 <= Int(p) }) else { return nil }
        let target = below + degrees
        guard target >= 0, target + 1 < ladder.count else { return nil }
        var q = ladder[target] + min(Int(p) - ladder[below], ladder[target + 1] - ladder[target] - 1)
        if (colour == .minor || colour == .dorian) && mask & (1 << UInt16(q % 12)) == 0 && q % 12 != 6 { q = ladder[target] }
        return Self.range.contains(UInt8(clamping: q)) ? UInt8(q) : nil
    }

    /// Notes moved in time and in pitch (semitones or scale degrees); nil when any leaves the range.
    func moved(_ notes: [Note], slices: Int, semitones: Int = 0, degrees: Int = 0) -> [Note]? {
        var out: [Note] = []
        for n in notes {
            let q = Int(n.pitch) + semitones
            guard q >= 0, Self.range.contains(UInt8(clamping: q)),
                  let p = degrees == 0 ? UInt8(q) : movedAlongScale(UInt8(q), by: degrees) else { return nil }
            out.append(Note(start: n.start + slices, length: n.length, pitch: p))
        }
        return out
    }
}
