import Foundation
import MusicCore

/// A heatmap of each cell's output over time (slices across, cells down, chord cells above
/// melody cells), under the piece's piano roll on the same time axis.
public struct ActivationsSVG {
    public var piece: [Slice]
    public var cells: [[Float]]
    public var chordCells: Int
    public var title: String
    /// Slices a bar, for the bar lines (the meter's).
    public var slicesPerBar: Int

    public init(piece: [Slice], cells: [[Float]], chordCells: Int, title: String, slicesPerBar: Int = 8) {
        self.slicesPerBar = max(1, slicesPerBar)
        precondition(piece.count == cells.count, "one row of cells per slice")
        self.piece = piece
        self.cells = cells
        self.chordCells = chordCells
        self.title = title
    }

    /// Blue for -1, white for 0, red for +1.
    static func color(_ v: Float) -> String {
        let x = max(-1, min(1, Double(v)))
        let a = Int((1 - abs(x)) * 255)
        return x >= 0 ? String(format: "#ff%02x%02x", a, a) : String(format: "#%02x%02xff", a, a)
    }

    public func render() -> String {
        let w = 6.0, rowHeight = 4.0, cellHeight = 8.0, left = 90.0, top = 40.0
        let pitches = piece.flatMap { Array($0.chord) + ($0.melody.pitch.map { [$0] } ?? []) }
        let low = Int(pitches.min() ?? 48), high = Int(pitches.max() ?? 72)
        let rollHeight = Double(high - low + 1) * rowHeight
        let count = cells.first?.count ?? 0
        let heatTop = top + rollHeight + 24
        let width = left + Double(piece.count) * w + 20
        let height = heatTop + Double(count) * cellHeight + 30
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        var s = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(f(width))" height="\(f(height))" font-family="sans-serif" font-size="10">
            <title>\(title)</title>
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(f(left))" y="16" font-size="13">\(title)</text>
            <text x="4" y="\(f(top + rollHeight / 2))">piece</text>

            """
        for (t, slice) in piece.enumerated() {
            let x = left + Double(t) * w
            for p in slice.chord {
                s += "<rect class=\"roll\" x=\"\(f(x))\" y=\"\(f(top + Double(high - Int(p)) * rowHeight))\" width=\"\(f(w))\" height=\"\(f(rowHeight))\" fill=\"#2ca02c\"/>\n"
            }
            if let p = slice.melody.pitch {
                s += "<rect class=\"roll\" x=\"\(f(x))\" y=\"\(f(top + Double(high - Int(p)) * rowHeight))\" width=\"\(f(w))\" height=\"\(f(rowHeight))\" fill=\"#ff7f0e\"/>\n"
            }
        }
        for bar in stride(from: 0, through: piece.count, by: slicesPerBar) {
            let x = left + Double(bar) * w
            s += "<line x1=\"\(f(x))\" y1=\"\(f(top))\" x2=\"\(f(x))\" y2=\"\(f(height - 30))\" stroke=\"#bbb\" stroke-width=\"0.5\"/>\n"
        }
        for c in 0..<count {
            let y = heatTop + Double(c) * cellHeight
            let label = c < chordCells ? "chord \(c + 1)" : "melody \(c - chordCells + 1)"
            s += "<text x=\"4\" y=\"\(f(y + cellHeight - 1))\">\(label)</text>\n"
            for t in cells.indices {
                s += "<rect class=\"cell\" x=\"\(f(left + Double(t) * w))\" y=\"\(f(y))\" width=\"\(f(w))\" height=\"\(f(cellHeight))\" fill=\"\(Self.color(cells[t][c]))\"/>\n"
            }
        }
        let sep = heatTop + Double(chordCells) * cellHeight
        s += "<line x1=\"\(f(left))\" y1=\"\(f(sep))\" x2=\"\(f(width - 20))\" y2=\"\(f(sep))\" stroke=\"#000\"/>\n"
        s += "<text x=\"\(f(left))\" y=\"\(f(height - 10))\">cell output: blue -1, white 0, red +1; a column per eighth-note slice, bar lines every \(slicesPerBar)</text>\n"
        return s + "</svg>\n"
    }
}
