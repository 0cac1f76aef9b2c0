import Foundation
import MusicCore
import StandardMIDI

/// A piano roll as a standalone SVG (any browser opens it): a header line with the key, tempo
/// and meter, a row per pitch, a column per eighth-note slice, bar lines where the time
/// signatures put them, the chords the chord part plays named where they are struck, and each
/// part (a track, or a channel of a one-track file) in its own colour, with a legend.
public struct PianoRollSVG {
    public struct Part {
        public var name: String
        public var color: String
        public var notes: [Note]
        public init(name: String, color: String, notes: [Note]) {
            self.name = name
            self.color = color
            self.notes = notes
        }
    }

    public var parts: [Part]
    public var ticksPerQuarter: Int
    public var title: String
    /// The notes whose chords are named above the roll (the chord part, as played).
    public var chordNotes: [Note]
    /// The time signatures by tick, the first at 0: bar lines follow them.
    public var meters: [(tick: Int, meter: Meter)]
    /// The key signature; nil when the file has none (the header then names the key the notes
    /// suggest, marked as a guess).
    public var key: Key?
    /// Tempo changes (quarter notes a minute) by tick; empty when the file sets none.
    public var tempos: [(tick: Int, bpm: Double)]

    public init(parts: [Part], ticksPerQuarter: Int, title: String, chordNotes: [Note],
                meters: [(tick: Int, meter: Meter)] = [(0, .fourFour)], key: Key? = nil, tempos: [(tick: Int, bpm: Double)] = []) {
        self.parts = parts
        self.ticksPerQuarter = max(1, ticksPerQuarter)
        self.title = title
        self.chordNotes = chordNotes
        let sorted = meters.sorted { $0.tick < $1.tick }
        self.meters = sorted.first?.tick == 0 ? sorted : [(0, .fourFour)] + sorted
        self.key = key
        self.tempos = tempos.sorted { $0.tick < $1.tick }
    }

    static let chordColour = "#2ca02c", melodyColour = "#ff7f0e", playerColour = "#1f77b4"
    /// Colours for parts that have no colour of their own (never the player's blue).
    static let otherColours = ["#9467bd", "#d62728", "#e377c2", "#bcbd22", "#17becf", "#8c564b", "#7f7f7f"]

    /// Colours of a jam's parts, by track name.
    static let jamParts: [(track: String, name: String, colour: String)] = [
        ("Player", "player's call", playerColour), ("improv chords", "improv chords", chordColour),
        ("improv melody", "improv melody", melodyColour), ("improv bass", "improv bass", "#8c564b"),
        ("improv comping", "improv comping", "#17becf"), ("improv drums", "improv drums", "#7f7f7f"),
    ]

    /// A MIDI file's parts. A jam session (a "Player" track and improv's) shows each part in its
    /// own colour, and notes on the player's channel in improv's tracks (passed through) as the
    /// player's; any other file, each track (or each channel of a one-track file) as a part,
    /// with the chord and melody parts told apart as `split` says.
    public init(midi: MIDIFile, split: PartSplit = .auto, title: String) {
        let ppq = Int(midi.ticksPerQuarter)
        let spans = midi.noteSpans()
        let names = midi.tracks.map { $0.name ?? "" }
        let built: (parts: [Part], chords: [Note])
        if let player = names.firstIndex(of: "Player"), names.contains(where: { $0 == "improv" || ($0.hasPrefix("improv ") && $0 != "improv jam") }) {
            built = Self.jamParts(spans: spans, names: names, player: player)
        } else {
            built = Self.fileParts(spans: spans, names: names, split: split)
        }
        var meters: [(tick: Int, meter: Meter)] = []
        var key: Key?
        var keyTick = UInt64.max
        var tempos: [(tick: Int, bpm: Double)] = []
        for track in midi.tracks {
            for e in track.events {
                switch e.event {
                case .timeSignature(let n, let d, _, _):
                    // A meter improv cannot slice (7/16) keeps the bar lines of the one before.
                    if let m = Meter(midiNumerator: Int(n), denominatorPower: Int(d)) { meters.append((Int(clamping: e.tick), m)) }
                case .keySignature(let sharps, let minor) where e.tick < keyTick:
                    key = Key(signatureSharps: Int(sharps), minor: minor)
                    keyTick = e.tick
                case .tempo(let us):
                    tempos.append((Int(clamping: e.tick), TimeGrid.bpm(microsecondsPerQuarter: us)))
                default: break
                }
            }
        }
        self.init(parts: built.parts, ticksPerQuarter: ppq, title: title, chordNotes: built.chords,
                  meters: meters, key: key, tempos: tempos)
    }

    static func note(_ s: MIDINoteSpan) -> Note {
        Note(pitch: s.key, velocity: s.velocity, channel: s.channel, start: Int(clamping: s.start), duration: Int(clamping: s.end - s.start))
    }

    static func meanKey(_ spans: [MIDINoteSpan]) -> Double {
        spans.isEmpty ? 0 : Double(spans.reduce(0) { $0 + Int($1.key) }) / Double(spans.count)
    }

    /// A jam's parts by track. Files from before improv wrote a track a part have one "improv"
    /// track: there its channels are the parts (the lowest-sounding the chords, the highest the
    /// melody), never a pitch split, and its notes on the player's channel are the player's.
    static func jamParts(spans: [MIDINoteSpan], names: [String], player: Int) -> (parts: [Part], chords: [Note]) {
        let playerChannels = Set(spans.filter { $0.track == player }.map(\.channel))
        let hasPartTracks = names.contains { n in jamParts.contains { $0.track == n && n != "Player" } }
        var byName: [String: (colour: String, notes: [Note])] = [:]
        var order = jamParts.map(\.name)
        func add(_ name: String, _ colour: String, _ s: [MIDINoteSpan]) {
            guard !s.isEmpty else { return }
            if !order.contains(name) { order.append(name) }
            byName[name, default: (colour, [])].notes += s.map(note)
        }
        var others = 0
        func otherColour() -> String { defer { others += 1 }; return otherColours[others % otherColours.count] }
        for (i, trackName) in names.enumerated() {
            let own = spans.filter { $0.track == i }
            if let known = jamParts.first(where: { $0.track == trackName }) {
                add(known.name, known.colour, own)
                continue
            }
            guard !own.isEmpty else { continue }
            let passed = own.filter { playerChannels.contains($0.channel) }
            add("player's call", playerColour, passed)
            let rest = own.filter { !playerChannels.contains($0.channel) }
            if trackName == "improv" && !hasPartTracks {
                let channels = Dictionary(grouping: rest, by: \.channel).map { (channel: $0.key, spans: $0.value) }
                    .sorted { (meanKey($0.spans), $0.channel) < (meanKey($1.spans), $1.channel) }
                if channels.count >= 2 {
                    add("improv chords", chordColour, channels.first!.spans)
                    add("improv melody", melodyColour, channels.last!.spans)
                    for c in channels.dropFirst().dropLast() { add("improv, channel \(c.channel + 1)", otherColour(), c.spans) }
                } else {
                    add("improv", otherColour(), rest)
                }
            } else {
                add(trackName.isEmpty ? "track \(i)" : trackName, otherColour(), rest)
            }
        }
        let parts = order.compactMap { name in byName[name].map { Part(name: name, color: $0.colour, notes: $0.notes) } }
        let chords = parts.filter { $0.name == "improv chords" || $0.name == "improv comping" }.flatMap(\.notes)
        return (parts, chords)
    }

    /// Any other file's parts: a part per track with notes (per channel when one track holds
    /// them all). With `.auto` the chord and melody parts are the tracks so named, else the
    /// lowest- and highest-sounding; one part alone is drawn as it is, its chords named from all
    /// of it. An explicit split picks the two parts; whatever it leaves out is drawn as well.
    static func fileParts(spans: [MIDINoteSpan], names: [String], split: PartSplit) -> (parts: [Part], chords: [Note]) {
        let tracks = Set(spans.map(\.track)), channels = Set(spans.map(\.channel))
        let byTrack = tracks.count >= 2 || channels.count < 2
        func group(_ s: MIDINoteSpan) -> Int { byTrack ? s.track : Int(s.channel) }
        func label(_ g: Int) -> String {
            byTrack ? (g < names.count && !names[g].isEmpty ? names[g] : "track \(g)") : "channel \(g + 1)"
        }
        let groups = Dictionary(grouping: spans, by: group).map { (key: $0.key, spans: $0.value) }
            .sorted { (meanKey($0.spans), $0.key) < (meanKey($1.spans), $1.key) }

        var isChord: (MIDINoteSpan) -> Bool
        var isMelody: (MIDINoteSpan) -> Bool
        switch split {
        case .track(let c, let m): isChord = { $0.track == c }; isMelody = { $0.track == m }
        case .channel(let c, let m): isChord = { $0.channel == c }; isMelody = { $0.channel == m }
        case .pitch(let p): isChord = { $0.key < p }; isMelody = { $0.key >= p }
        case .auto:
            guard groups.count >= 2 else {
                let all = spans.map(note)
                let name = groups.first.map { label($0.key) } ?? "notes"
                return ([Part(name: name, color: playerColour, notes: all)], all)
            }
            let lower = names.map { $0.lowercased() }
            var c = groups.first!.key, m = groups.last!.key
            if byTrack, let ct = lower.firstIndex(where: { $0.contains("chord") }), let mt = lower.firstIndex(where: { $0.contains("melody") }) {
                c = ct
                m = mt
            }
            isChord = { group($0) == c }
            isMelody = { group($0) == m }
        }
        let chords = spans.filter(isChord), melody = spans.filter { !isChord($0) && isMelody($0) }
        var parts = [Part(name: "chords", color: chordColour, notes: chords.map(note)),
                     Part(name: "melody", color: melodyColour, notes: melody.map(note))]
        var others = 0
        for g in groups {
            let left = g.spans.filter { !isChord($0) && !isMelody($0) }
            guard !left.isEmpty else { continue }
            parts.append(Part(name: label(g.key), color: otherColours[others % otherColours.count], notes: left.map(note)))
            others += 1
        }
        return (parts, chords.map(note))
    }

    public var noteCount: Int { parts.reduce(0) { $0 + $1.notes.count } }

    // MARK: Time

    func ticksPerBar(_ meter: Meter) -> Int {
        max(1, Int((meter.quarterNotesPerBar * Double(ticksPerQuarter)).rounded()))
    }

    /// The ticks where bars start, up to the first bar line at or after `end`: a bar per the
    /// meter in force, and a new bar wherever a time signature changes.
    public func barStarts(through end: Int) -> [Int] {
        var starts: [Int] = []
        var t = 0, m = 0
        while true {
            starts.append(t)
            if t >= end && starts.count > 1 { break }
            while m + 1 < meters.count && meters[m + 1].tick <= t { m += 1 }
            var next = t + ticksPerBar(meters[m].meter)
            if m + 1 < meters.count && meters[m + 1].tick < next { next = meters[m + 1].tick }
            t = next
        }
        return starts
    }

    func meter(at tick: Int) -> Meter {
        meters.last { $0.tick <= tick }?.meter ?? .fourFour
    }

    // MARK: Chords

    /// The chords the chord part plays: at every bar line the chord sounding there (or struck
    /// within a sixteenth after it), and within a bar each struck chord that differs from the
    /// one before. Two or more pitch classes make a chord; a single note names none.
    public func chordLabels(barStarts: [Int]) -> [(tick: Int, name: String, barLine: Bool)] {
        let grace = max(1, ticksPerQuarter / 4)
        let onsets = Set(chordNotes.map(\.start))
        var times = Set(barStarts.dropLast()).map { (tick: $0, barLine: true) }
        let bars = Set(barStarts)
        times += onsets.filter { !bars.contains($0) }.map { (tick: $0, barLine: false) }
        times.sort { $0.tick < $1.tick }
        var labels: [(tick: Int, name: String, barLine: Bool)] = []
        var last: String?
        var lastTime = Int.min
        for (t, barLine) in times {
            // A chord's notes struck a hair apart are one chord.
            if !barLine && t < lastTime + grace { continue }
            lastTime = t
            let at = t + grace
            let sounding = PitchSet(chordNotes.filter { $0.start <= at && $0.end > at }.map(\.pitch))
            guard sounding.pitchClassMask.nonzeroBitCount >= 2, let name = ChordSymbol.identify(sounding)?.description else {
                if barLine { last = nil }
                continue
            }
            if barLine || name != last { labels.append((t, name, barLine)) }
            last = name
        }
        return labels
    }

    /// The chord named at each bar line (nil where the chord part plays no chord there).
    public func chordNames(bars: Int) -> [String?] {
        let starts = barStarts(through: 0)
        var all = starts
        while all.count < bars + 1 { all = barStarts(through: all.last! + 1) }
        let labels = chordLabels(barStarts: all)
        return all.prefix(bars).map { b in labels.first { $0.barLine && $0.tick == b }?.name }
    }

    // MARK: Header

    /// Key, tempo and meter, as the file sets them.
    public var header: String {
        let keyText: String
        if let key {
            keyText = "key \(key)"
        } else if let guess = KeyEstimate.estimate(parts.flatMap(\.notes)) {
            keyText = "key \(guess) (guessed: no key signature)"
        } else {
            keyText = "key unknown"
        }
        let tempoText: String
        let bpms = tempos.map(\.bpm)
        if let first = bpms.first {
            let low = bpms.min()!, high = bpms.max()!
            tempoText = high - low < 0.05
                ? String(format: "tempo %.0f BPM", first)
                : String(format: "tempo %.0f BPM at the start, %.0f to %.0f over %d changes", first, low, high, bpms.count - 1)
        } else {
            tempoText = "tempo 120 BPM (none set, MIDI's default)"
        }
        var distinct: [Meter] = []
        for m in meters.map(\.meter) where distinct.last != m { distinct.append(m) }
        let meterText = "meter " + distinct.map(\.description).joined(separator: " then ")
        return [keyText, tempoText, meterText].joined(separator: " · ")
    }

    // MARK: Drawing

    public func render() -> String {
        let all = parts.flatMap(\.notes)
        let end = all.map(\.end).max() ?? 0
        let bars = barStarts(through: max(end, 1))
        let low = Int(all.map(\.pitch).min() ?? 48) - 1, high = Int(all.map(\.pitch).max() ?? 72) + 1
        let sliceWidth = 10.0, rowHeight = 6.0, left = 44.0, right = 20.0, fontSize = 11.0
        let top = 72.0
        let perTick = sliceWidth * 2 / Double(ticksPerQuarter)
        func x(_ tick: Int) -> Double { left + Double(tick) * perTick }
        func y(_ pitch: Int) -> Double { top + Double(high - pitch) * rowHeight }
        let rollRight = x(bars.last!)
        let header = self.header

        // The legend: a box and a name per part, wrapped into rows that fit the picture; the
        // picture is at least as wide as its title, its header and its widest legend entry.
        let entries = parts.map { (part: $0, text: "\($0.name) (\($0.notes.count))") }
        let entryWidths = entries.map { 16 + SVGWriter.textWidth($0.text, fontSize: fontSize) + 18 }
        let width = max(rollRight + right, left + SVGWriter.textWidth(title, fontSize: 14) + right,
                        left + SVGWriter.textWidth(header, fontSize: fontSize) + right,
                        left + (entryWidths.max() ?? 0) + right)
        var rows: [[(x: Double, index: Int)]] = [[]]
        var lx = left
        for (i, w) in entryWidths.enumerated() {
            if lx + w > width - right && !rows[rows.count - 1].isEmpty {
                rows.append([])
                lx = left
            }
            rows[rows.count - 1].append((lx, i))
            lx += w
        }
        let rollBottom = y(low) + rowHeight
        let legendTop = rollBottom + 14
        let rowStep = 16.0
        let height = legendTop + Double(rows.count) * rowStep + 8

        var svg = SVGWriter(width: width, height: height, title: title, fontSize: fontSize)
        svg.element("text", ["x": left, "y": 16.0, "font-size": 14], text: title)
        svg.element("text", ["class": "header", "x": left, "y": 32.0, "fill": "#444"], text: header)
        // Pitch rows: C's labelled, black keys shaded.
        for p in low...high {
            if [1, 3, 6, 8, 10].contains(p % 12) {
                svg.element("rect", ["x": left, "y": y(p), "width": rollRight - left, "height": rowHeight, "fill": "#f3f3f3"])
            }
            if p % 12 == 0 {
                svg.element("text", ["x": 4, "y": y(p) + rowHeight], text: PitchName.name(of: UInt8(p)))
            }
        }
        // Bar lines with their numbers, a new meter where it starts, and the chords as played.
        for (i, b) in bars.enumerated() {
            let bx = x(b)
            svg.element("line", ["x1": bx, "y1": top - 14, "x2": bx, "y2": rollBottom, "stroke": "#999"])
            guard i < bars.count - 1 else { continue }
            svg.element("text", ["class": "bar", "x": bx + 3, "y": top - 18, "fill": "#666"], text: "\(i + 1)")
            if i > 0, meter(at: b) != meter(at: bars[i - 1]) {
                svg.element("text", ["class": "meter", "x": bx + 3, "y": top - 30, "fill": "#666"], text: meter(at: b).description)
            }
        }
        let labels = chordLabels(barStarts: bars)
        var lastRight = -Double.infinity
        for (i, label) in labels.enumerated() {
            let lx = x(label.tick) + 3
            let w = SVGWriter.textWidth(label.name, fontSize: fontSize)
            // A change within a bar is named only where its name has room.
            if !label.barLine {
                let nextBarLine = labels[(i + 1)...].first(where: \.barLine).map { x($0.tick) + 3 } ?? .infinity
                if lx < lastRight + 2 || lx + w + 2 > nextBarLine { continue }
            }
            svg.element("text", ["class": "chord", "x": lx, "y": top - 4, "font-weight": "bold"], text: label.name)
            lastRight = lx + w
        }
        // Notes.
        for part in parts {
            for n in part.notes {
                let w = max(2, Double(n.duration) * perTick - 1)
                let bar = (bars.lastIndex { $0 <= n.start } ?? 0) + 1
                svg.open("rect", ["class": "note", "data-part": part.name, "data-pitch": Int(n.pitch), "x": x(n.start), "y": y(Int(n.pitch)) + 0.5,
                                  "width": w, "height": rowHeight - 1, "rx": 1, "fill": part.color])
                svg.element("title", text: "\(part.name): \(PitchName.name(of: n.pitch)), bar \(bar)")
                svg.close()
            }
        }
        // Legend.
        for (r, row) in rows.enumerated() {
            let ly = legendTop + Double(r) * rowStep
            for (ex, i) in row {
                svg.element("rect", ["class": "legend", "x": ex, "y": ly, "width": 12, "height": 8, "fill": entries[i].part.color])
                svg.element("text", ["class": "legend", "x": ex + 16, "y": ly + 8], text: entries[i].text)
            }
        }
        return svg.finished()
    }
}
