import MusicCore

/// A chord symbol and how often a corpus changes to it.
public struct ChordCount: Hashable, Sendable {
    public var symbol: ChordSymbol
    public var count: Int
    public init(_ symbol: ChordSymbol, _ count: Int) {
        self.symbol = symbol
        self.count = count
    }
}

/// The harmony of a corpus as a model keeps it: its meter, its chord vocabulary (the chords it
/// changes to, with counts), its harmonic rhythm and its pieces' charts.
///
/// Chords are read on the beats: the chord sounding at each beat is named by
/// `ChordSymbol.identify`, a change is a beat whose chord differs from the last one named, and
/// the vocabulary counts every change (and each piece's first chord) once.
public struct CorpusHarmony: Hashable, Sendable {
    public var meter: Meter
    /// Most frequent first.
    public var vocabulary: [ChordCount]
    /// Chord changes a bar, over all bars of the corpus.
    public var changesPerBar: Double
    /// Distinct charts of the pieces (`ChordForm.chart` text), most common first.
    public var charts: [String]

    public init(meter: Meter, vocabulary: [ChordCount], changesPerBar: Double, charts: [String]) {
        self.meter = meter
        self.vocabulary = vocabulary
        self.changesPerBar = changesPerBar
        self.charts = charts
    }

    /// At most this many charts are kept.
    public static let maxCharts = 16

    /// Reads the harmony of pieces in `meter` (slices from each piece's first bar line).
    public init(pieces: [[Slice]], meter: Meter) {
        var counts: [ChordSymbol: Int] = [:]
        var firstSeen: [ChordSymbol] = []
        var changes = 0, slices = 0
        var chartCounts: [String: Int] = [:]
        var chartOrder: [String] = []
        for piece in pieces {
            let beats = Self.beatChords(piece, meter: meter)
            var last: ChordSymbol?
            for case let c? in beats where c != last {
                if last != nil { changes += 1 }
                if counts[c] == nil { firstSeen.append(c) }
                counts[c, default: 0] += 1
                last = c
            }
            slices += piece.count
            if let chart = Self.chart(beats: beats, meter: meter) {
                if chartCounts[chart] == nil { chartOrder.append(chart) }
                chartCounts[chart, default: 0] += 1
            }
        }
        let order = Dictionary(uniqueKeysWithValues: firstSeen.enumerated().map { ($1, $0) })
        vocabulary = counts.map { ChordCount($0.key, $0.value) }
            .sorted { ($0.count, order[$1.symbol]!) > ($1.count, order[$0.symbol]!) }
        let bars = Double(slices) / Double(meter.slicesPerBar)
        changesPerBar = bars > 0 ? Double(changes) / bars : 0
        let chartIndex = Dictionary(uniqueKeysWithValues: chartOrder.enumerated().map { ($1, $0) })
        charts = Array(chartOrder.sorted { (chartCounts[$0]!, chartIndex[$1]!) > (chartCounts[$1]!, chartIndex[$0]!) }
            .prefix(Self.maxCharts))
        self.meter = meter
    }

    /// The chord named on every beat of a piece (nil where no chord sounds).
    public static func beatChords(_ piece: [Slice], meter: Meter) -> [ChordSymbol?] {
        stride(from: 0, to: piece.count, by: meter.slicesPerBeat).map { ChordSymbol.identify(piece[$0].chord) }
    }

    /// The chart of a piece from its beat chords: each bar's chords in order (a silent beat
    /// keeps the chord before it), nil when the piece has no chord at all.
    static func chart(beats: [ChordSymbol?], meter: Meter) -> String? {
        guard var current = beats.first(where: { $0 != nil }) ?? nil else { return nil }
        var bars: [[ChordSymbol]] = []
        let per = meter.beatsPerBar
        for start in stride(from: 0, to: beats.count, by: per) {
            var bar: [ChordSymbol] = []
            for b in start..<min(beats.count, start + per) {
                if let c = beats[b] { current = c }
                if bar.last != current { bar.append(current) }
            }
            bars.append(bar)
        }
        return ChordForm(meter: meter, bars: bars).chart
    }

    /// The pieces' charts as forms (charts that no longer read are left out).
    public var forms: [ChordForm] {
        charts.enumerated().compactMap { i, chart in try? ChordForm(chart: chart, name: "corpus-\(i + 1)", meter: meter) }
    }

    /// Share of `symbol`s that are in the vocabulary.
    public func vocabularyShare(_ symbols: [ChordSymbol]) -> Double {
        guard !symbols.isEmpty else { return 0 }
        let known = Set(vocabulary.map(\.symbol))
        return Double(symbols.filter(known.contains).count) / Double(symbols.count)
    }

    /// The harmony of the Eck blues: what a model without harmony in its metadata means.
    public static let eckBlues: CorpusHarmony = {
        let form = ChordForm.eckBlues
        var counts: [ChordSymbol: Int] = [:]
        var last = form.bars.last!.last!
        for bar in form.bars { for c in bar where c != last { counts[c, default: 0] += 1; last = c } }
        let vocabulary = form.vocabulary.map { ChordCount($0, counts[$0] ?? 0) }.sorted { $0.count > $1.count }
        return CorpusHarmony(meter: form.meter, vocabulary: vocabulary, changesPerBar: form.changesPerBar, charts: [form.chart])
    }()
}

extension CorpusHarmony {
    // Metadata text: "C:120 G:80 Am:12".
    var vocabularyText: String { vocabulary.map { "\($0.symbol):\($0.count)" }.joined(separator: " ") }

    static func vocabulary(text: String) -> [ChordCount]? {
        var out: [ChordCount] = []
        for item in text.split(separator: " ") {
            let parts = item.split(separator: ":")
            guard parts.count == 2, let s = ChordSymbol(parsing: String(parts[0])), let n = Int(parts[1]), n >= 0 else { return nil }
            out.append(ChordCount(s, n))
        }
        return out
    }
}
