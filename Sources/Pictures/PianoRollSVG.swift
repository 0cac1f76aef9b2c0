import Foundation
import MusicCore
import StandardMIDI

/// A piano roll as a standalone SVG (any browser opens it): a row per pitch, a column per
/// eighth-note slice, bar lines, each bar's chord name above it, and each part in its own
/// colour (chords and melody; in a jam, the player's calls and improv's answers).
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
    /// Notes whose pitch classes name each bar's chord (the chord part).
    public var chordNotes: [Note]

    public init(parts: [Part], ticksPerQuarter: Int, title: String, chordNotes: [Note]) {
        self.parts = parts
        self.ticksPerQuarter = ticksPerQuarter
        self.title = title
        self.chordNotes = chordNotes
    }

    /// Colours of a jam's parts, by track name.
    static let partColours: [(track: String, name: String, colour: String)] = [
        ("Player", "player's call", "#1f77b4"), ("improv chords", "improv chords", "#2ca02c"),
        ("improv melody", "improv melody", "#ff7f0e"), ("improv bass", "improv bass", "#8c564b"),
        ("improv comping", "improv comping", "#17becf"), ("improv drums", "improv drums", "#7f7f7f"),
    ]

    /// A MIDI file's parts: a jam session (a "Player" track and improv's tracks, one a part, or
    /// one "improv" track in files from before) shows each part in its own colour; any other
    /// file, its chord and melody parts.
    public init(midi: MIDIFile, split: PartSplit = .auto, title: String) {
        let ppq = Int(midi.ticksPerQuarter)
        let names = midi.tracks.map { $0.name ?? "" }
        if names.contains("Player"), names.contains(where: { $0.hasPrefix("improv ") && $0 != "improv jam" }) {
            let spans = midi.noteSpans()
            var parts: [Part] = []
            for (track, name, colour) in Self.partColours {
                guard let i = names.firstIndex(of: track) else { continue }
                parts.append(Part(name: name, color: colour, notes: spans.filter { $0.track == i }.map {
                    Note(pitch: $0.key, velocity: $0.velocity, channel: $0.channel, start: Int($0.start), duration: Int($0.end - $0.start))
                }))
            }
            let chords = parts.filter { $0.name == "improv chords" || $0.name == "improv comping" }.flatMap(\.notes)
            self.init(parts: parts, ticksPerQuarter: ppq, title: title, chordNotes: chords)
        } else if let player = names.firstIndex(of: "Player"), let improv = names.firstIndex(of: "improv") {
            let spans = midi.noteSpans()
            func notes(_ keep: (MIDINoteSpan) -> Bool) -> [Note] {
                spans.filter(keep).map { Note(pitch: $0.key, velocity: $0.velocity, channel: $0.channel,
                                              start: Int($0.start), duration: Int($0.end - $0.start)) }
            }
            let improvChords = notes { $0.track == improv && $0.key < 60 }
            self.init(parts: [
                Part(name: "player's call", color: "#1f77b4", notes: notes { $0.track == player }),
                Part(name: "improv chords", color: "#2ca02c", notes: improvChords),
                Part(name: "improv melody", color: "#ff7f0e", notes: notes { $0.track == improv && $0.key >= 60 }),
            ], ticksPerQuarter: ppq, title: title, chordNotes: improvChords)
        } else {
            let score = Score(midi: midi, split: split)
            self.init(parts: [Part(name: "chords", color: "#2ca02c", notes: score.chords),
                              Part(name: "melody", color: "#ff7f0e", notes: score.melody)],
                      ticksPerQuarter: score.ticksPerQuarter, title: title, chordNotes: score.chords)
        }
    }

    public var noteCount: Int { parts.reduce(0) { $0 + $1.notes.count } }

    /// The chord name of each bar, from the chord notes sounding on its downbeat.
    public func chordNames(bars: Int) -> [String?] {
        let ticksPerBar = 4 * ticksPerQuarter
        return (0..<bars).map { bar in
            let t = bar * ticksPerBar
            let sounding = PitchSet(chordNotes.filter { $0.start <= t + ticksPerQuarter / 4 && $0.end > t }.map(\.pitch))
            return ChordSymbol.identify(sounding)?.description
        }
    }

    public func render() -> String {
        let all = parts.flatMap(\.notes)
        let ticksPerBar = 4 * ticksPerQuarter
        let end = max(all.map(\.end).max() ?? ticksPerBar, ticksPerBar)
        let bars = (end + ticksPerBar - 1) / ticksPerBar
        let low = Int(all.map(\.pitch).min() ?? 48) - 1, high = Int(all.map(\.pitch).max() ?? 72) + 1
        let sliceWidth = 10.0, rowHeight = 6.0, left = 44.0, top = 56.0
        let perTick = sliceWidth * 2 / Double(ticksPerQuarter)
        let width = left + Double(bars * 8) * sliceWidth + 20
        let height = top + Double(high - low + 1) * rowHeight + 40
        func x(_ tick: Int) -> Double { left + Double(tick) * perTick }
        func y(_ pitch: Int) -> Double { top + Double(high - pitch) * rowHeight }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }

        var s = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(f(width))" height="\(f(height))" viewBox="0 0 \(f(width)) \(f(height))" font-family="sans-serif" font-size="11">
            <title>\(Self.escape(title))</title>
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(f(left))" y="16" font-size="14">\(Self.escape(title))</text>

            """
        // Pitch rows: C's labelled, black keys shaded.
        for p in low...high {
            if [1, 3, 6, 8, 10].contains(p % 12) {
                s += "<rect x=\"\(f(left))\" y=\"\(f(y(p)))\" width=\"\(f(width - left - 20))\" height=\"\(f(rowHeight))\" fill=\"#f3f3f3\"/>\n"
            }
            if p % 12 == 0 {
                s += "<text x=\"4\" y=\"\(f(y(p) + rowHeight))\">\(PitchName.name(of: UInt8(p)))</text>\n"
            }
        }
        // Bar lines and chord names.
        let names = chordNames(bars: bars)
        for bar in 0...bars {
            let bx = x(bar * ticksPerBar)
            s += "<line x1=\"\(f(bx))\" y1=\"\(f(top - 14))\" x2=\"\(f(bx))\" y2=\"\(f(y(low) + rowHeight))\" stroke=\"#999\"/>\n"
            if bar < bars {
                s += "<text class=\"bar\" x=\"\(f(bx + 3))\" y=\"\(f(top - 18))\" fill=\"#666\">\(bar + 1)</text>\n"
                if let name = names[bar] {
                    s += "<text class=\"chord\" x=\"\(f(bx + 3))\" y=\"\(f(top - 4))\" font-weight=\"bold\">\(Self.escape(name))</text>\n"
                }
            }
        }
        // Notes.
        for part in parts {
            for n in part.notes {
                let w = max(2, Double(n.duration) * perTick - 1)
                s += "<rect class=\"note\" data-part=\"\(Self.escape(part.name))\" x=\"\(f(x(n.start)))\" y=\"\(f(y(Int(n.pitch)) + 0.5))\" "
                    + "width=\"\(f(w))\" height=\"\(f(rowHeight - 1))\" rx=\"1\" fill=\"\(part.color)\">"
                    + "<title>\(Self.escape(part.name)): \(PitchName.name(of: n.pitch)), bar \(n.start / ticksPerBar + 1)</title></rect>\n"
            }
        }
        // Legend.
        var lx = left
        for part in parts {
            s += "<rect x=\"\(f(lx))\" y=\"\(f(height - 22))\" width=\"12\" height=\"8\" fill=\"\(part.color)\"/>"
            s += "<text x=\"\(f(lx + 16))\" y=\"\(f(height - 14))\">\(Self.escape(part.name)) (\(part.notes.count))</text>\n"
            lx += 150
        }
        return s + "</svg>\n"
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
