/// A piano roll of slices as text, for a terminal: melody rows above chord rows, a column
/// per eighth-note slice, bar lines, and each bar's chord name above it.
///
///     o  note or chord struck in this slice
///     -  still sounding from the slice before
///     .  silent
public struct PianoRoll {
    public var slices: [Slice]
    public var encoding: SliceEncoding
    public var barsPerLine: Int
    /// Slices a bar (the meter's: 8 in 4/4, 6 in 3/4 and 6/8).
    public var perBar: Int

    public init(slices: [Slice], encoding: SliceEncoding, barsPerLine: Int = 4, meter: Meter = .fourFour) {
        perBar = meter.slicesPerBar
        self.slices = slices.canonicalized()
        self.encoding = encoding
        self.barsPerLine = max(1, barsPerLine)
    }

    public func render() -> String {
        let barCount = (slices.count + perBar - 1) / perBar
        var lines: [String] = []
        var firstBar = 0
        while firstBar < barCount {
            let bars = firstBar..<min(barCount, firstBar + barsPerLine)
            lines.append(header(bars))
            for p in encoding.melodyRange.reversed() { lines.append(row(bars, pitch: p, melody: true)) }
            lines.append(String(repeating: " ", count: 8) + String(repeating: "-", count: bars.count * (perBar * 2 + 1) + 1))
            for p in encoding.chordRange.reversed() { lines.append(row(bars, pitch: p, melody: false)) }
            lines.append("")
            firstBar += barsPerLine
        }
        return lines.joined(separator: "\n")
    }

    /// "bar 1  C7" style labels, one per bar, aligned over the bars' columns.
    func header(_ bars: Range<Int>) -> String {
        var text = String(repeating: " ", count: 8)
        for bar in bars {
            let first = bar * perBar
            let chord = first < slices.count ? ChordSymbol.identify(slices[first].chord).map(\.description) ?? "N.C." : ""
            var label = " \(bar + 1) \(chord)"
            let width = perBar * 2 + 1
            if label.count > width { label = String(label.prefix(width)) }
            text += label + String(repeating: " ", count: width - label.count)
        }
        return text
    }

    func row(_ bars: Range<Int>, pitch: UInt8, melody: Bool) -> String {
        let name = PitchName.name(of: pitch)
        var text = name + String(repeating: " ", count: max(1, 7 - name.count)) + " "
        for bar in bars {
            text += "|"
            for s in bar * perBar..<(bar + 1) * perBar {
                text += " " + String(symbol(at: s, pitch: pitch, melody: melody))
            }
        }
        return text + "|"
    }

    func symbol(at s: Int, pitch: UInt8, melody: Bool) -> Character {
        guard s < slices.count else { return " " }
        let slice = slices[s]
        if melody {
            switch slice.melody {
            case .attack(let p) where p == pitch: return "o"
            case .hold(let p) where p == pitch: return "-"
            default: return "."
            }
        }
        guard slice.chord.contains(pitch) else { return "." }
        return slice.chordOnset ? "o" : "-"
    }
}
