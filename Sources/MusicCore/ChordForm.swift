import Foundation

/// A form as a lead sheet gives it: a meter and bars of chords, in C (the model's key; a
/// session transposes it). A bar holds one chord or a few, which share its beats (in 4/4 two
/// chords get two beats each; in 3/4 the first gets two, the second one).
///
/// Written as a chart: `"C7 | F7 | C7 | C7 | F7 | F7 | C7 | C7 | Dm7 G7 | C7 | G7 |"`, with
/// `%` for "the bar before again" and an optional meter first (`"3/4 C | F | G7 | C |"`).
public struct ChordForm: Hashable, Sendable, CustomStringConvertible {
    public var name: String
    public var meter: Meter
    public var bars: [[ChordSymbol]]

    public init(name: String = "", meter: Meter = .fourFour, bars: [[ChordSymbol]]) {
        precondition(!bars.isEmpty && bars.allSatisfy { !$0.isEmpty && $0.count <= meter.beatsPerBar },
                     "a form needs bars of 1 to beats-per-bar chords")
        self.name = name
        self.meter = meter
        self.bars = bars
    }

    /// A form of one chord a bar.
    public init(name: String = "", meter: Meter = .fourFour, oneChordABar chords: [ChordSymbol]) {
        self.init(name: name, meter: meter, bars: chords.map { [$0] })
    }

    public var barCount: Int { bars.count }
    public var slicesPerBar: Int { meter.slicesPerBar }
    public var sliceCount: Int { bars.count * meter.slicesPerBar }

    private func wrap(_ bar: Int) -> Int { ((bar % bars.count) + bars.count) % bars.count }

    /// The chords of a bar, counting bars from 0 and wrapping round the form.
    public func chords(atBar bar: Int) -> [ChordSymbol] { bars[wrap(bar)] }
    /// The chord on a bar's downbeat.
    public func chord(atBar bar: Int) -> ChordSymbol { bars[wrap(bar)][0] }

    /// Where in its bar (slice 0 ..< slicesPerBar) chord `i` of a bar of `count` chords starts.
    public func startSlice(ofChord i: Int, of count: Int) -> Int {
        let beats = meter.beatsPerBar
        return (i * beats + count - 1) / count * meter.slicesPerBeat
    }

    /// The chord sounding at slice `s` of the form (wrapping round it).
    public func chord(atSlice s: Int) -> ChordSymbol {
        let per = meter.slicesPerBar
        let n = sliceCount
        let f = ((s % n) + n) % n
        let chords = bars[f / per]
        var i = chords.count - 1
        while i > 0 && startSlice(ofChord: i, of: chords.count) > f % per { i -= 1 }
        return chords[i]
    }

    /// True when a chord starts at slice `s` of the form (every downbeat, and mid-bar changes).
    public func chordStarts(atSlice s: Int) -> Bool {
        let per = meter.slicesPerBar
        let n = sliceCount
        let f = ((s % n) + n) % n
        let chords = bars[f / per]
        return (0..<chords.count).contains { startSlice(ofChord: $0, of: chords.count) == f % per }
    }

    public func transposed(by semitones: Int) -> ChordForm {
        ChordForm(name: name, meter: meter, bars: bars.map { $0.map { $0.transposed(by: semitones) } })
    }

    /// Every distinct chord of the form, in order of first appearance.
    public var vocabulary: [ChordSymbol] {
        var seen: [ChordSymbol] = []
        for bar in bars { for c in bar where !seen.contains(c) { seen.append(c) } }
        return seen
    }

    /// Mean chord changes a bar, counting the turn from the last bar to the first.
    public var changesPerBar: Double {
        var changes = 0
        var last = bars[bars.count - 1].last!
        for bar in bars { for c in bar { if c != last { changes += 1 }; last = c } }
        return Double(changes) / Double(bars.count)
    }

    /// The chart: "C7 | F7 | Dm7 G7 |", with the meter first when it is not 4/4.
    public var chart: String {
        (meter == .fourFour ? "" : "\(meter) ") + bars.map { $0.map(\.description).joined(separator: " ") }
            .joined(separator: " | ") + " |"
    }

    public var description: String { name.isEmpty ? chart : name }

    /// Which bars of the form start with a chord (nil-free list, possibly empty).
    public func barsMatching(_ chord: ChordSymbol) -> [Int] {
        bars.indices.filter { bars[$0][0] == chord }
    }

    // MARK: Reading a chart

    public struct ChartError: Error, CustomStringConvertible, Equatable {
        public var description: String
    }

    /// Reads a chart (see the type's comment). Errors name the bar and the symbol.
    public init(chart text: String, name: String = "", meter defaultMeter: Meter = .fourFour) throws {
        var rest = Substring(text.trimmingCharacters(in: .whitespacesAndNewlines))
        var meter = defaultMeter
        if let firstSpace = rest.firstIndex(where: { $0.isWhitespace || $0 == "|" }),
           let m = Meter(String(rest[..<firstSpace])), rest[..<firstSpace].contains("/") {
            meter = m
            rest = rest[firstSpace...]
        }
        if rest.contains(":") {
            throw ChartError(description: "chart \"\(text)\": repeat signs (|: :|) are not read; write the bars out")
        }
        var bars: [[ChordSymbol]] = []
        let cells = rest.split(separator: "|", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        for cell in cells {
            if cell.isEmpty {
                // "||" (a double bar line) and the bar lines at either end hold no bar.
                continue
            }
            if cell == "%" {
                guard let last = bars.last else {
                    throw ChartError(description: "chart \"\(text)\": bar 1 is \"%\" (repeat the bar before), but there is none")
                }
                bars.append(last)
                continue
            }
            var chords: [ChordSymbol] = []
            for token in cell.split(whereSeparator: { $0.isWhitespace }) {
                guard let c = ChordSymbol(parsing: String(token)) else {
                    throw ChartError(description: "chart \"\(text)\": bar \(bars.count + 1): \"\(token)\" is not a chord symbol (expected e.g. C7, Dm7, Bbmaj7, F#m7b5)")
                }
                chords.append(c)
            }
            guard chords.count <= meter.beatsPerBar else {
                throw ChartError(description: "chart \"\(text)\": bar \(bars.count + 1) has \(chords.count) chords, more than the \(meter.beatsPerBar) beats of a \(meter) bar")
            }
            bars.append(chords)
        }
        guard !bars.isEmpty else { throw ChartError(description: "chart \"\(text)\": no bars (expected chords between bar lines, e.g. \"C7 | F7 | C7 | G7 |\")") }
        self.init(name: name, meter: meter, bars: bars)
    }

    /// A shipped form by name, or a chart: what a preset's `session.form` holds.
    public static func resolve(_ text: String) throws -> ChordForm {
        if let form = named(text) { return form }
        guard text.contains("|") else {
            throw ChartError(description: "form \"\(text)\": not a shipped form (\(shipped.map(\.name).joined(separator: ", "))) nor a chart with bar lines")
        }
        return try ChordForm(chart: text)
    }

    public static func named(_ name: String) -> ChordForm? {
        shipped.first { $0.name == name.lowercased() }
    }
}

/// Where a session's form comes from: the model (the chart it was trained on; the Eck blues
/// for the built-in model), a chart (by name or written out), or the model's own free-running
/// chord cells, as in the paper.
public enum FormChoice: Hashable, Sendable, CustomStringConvertible {
    case model
    case free
    case chart(ChordForm)

    /// "model", "free", a shipped form's name or a chart.
    public init(_ text: String) throws {
        switch text.lowercased() {
        case "model": self = .model
        case "free": self = .free
        default: self = .chart(try ChordForm.resolve(text))
        }
    }

    public var description: String {
        switch self {
        case .model: return "model"
        case .free: return "free"
        case .chart(let form): return form.description
        }
    }
}
