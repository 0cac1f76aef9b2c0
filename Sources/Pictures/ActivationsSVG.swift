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
        let w = 6.0, rowHeight = 4.0, cellHeight = 8.0, left = 90.0, top = 40.0, fontSize = 10.0
        let pitches = piece.flatMap { Array($0.chord) + ($0.melody.pitch.map { [$0] } ?? []) }
        let low = Int(pitches.min() ?? 48), high = Int(pitches.max() ?? 72)
        let rollHeight = Double(high - low + 1) * rowHeight
        let count = cells.first?.count ?? 0
        let heatTop = top + rollHeight + 24
        let plotRight = left + Double(piece.count) * w
        let caption = "cell output: blue -1, white 0, red +1; a column per eighth-note slice, bar lines every \(slicesPerBar)"
        // Wide enough for the title and the caption, however short the piece.
        let width = max(plotRight + 20, left + SVGWriter.textWidth(title, fontSize: 13) + 10,
                        left + SVGWriter.textWidth(caption, fontSize: fontSize) + 10)
        let height = heatTop + Double(count) * cellHeight + 30
        var svg = SVGWriter(width: width, height: height, title: title, fontSize: fontSize)
        svg.element("text", ["x": left, "y": 16.0, "font-size": 13], text: title)
        svg.element("text", ["x": 4, "y": top + rollHeight / 2], text: "piece")
        for (t, slice) in piece.enumerated() {
            let x = left + Double(t) * w
            for p in slice.chord {
                svg.element("rect", ["class": "roll", "x": x, "y": top + Double(high - Int(p)) * rowHeight, "width": w, "height": rowHeight, "fill": "#2ca02c"])
            }
            if let p = slice.melody.pitch {
                svg.element("rect", ["class": "roll", "x": x, "y": top + Double(high - Int(p)) * rowHeight, "width": w, "height": rowHeight, "fill": "#ff7f0e"])
            }
        }
        for bar in stride(from: 0, through: piece.count, by: slicesPerBar) {
            let x = left + Double(bar) * w
            svg.element("line", ["x1": x, "y1": top, "x2": x, "y2": height - 30, "stroke": "#bbb", "stroke-width": 0.5])
        }
        for c in 0..<count {
            let y = heatTop + Double(c) * cellHeight
            svg.element("text", ["x": 4, "y": y + cellHeight - 1], text: c < chordCells ? "chord \(c + 1)" : "melody \(c - chordCells + 1)")
            for t in cells.indices {
                svg.element("rect", ["class": "cell", "x": left + Double(t) * w, "y": y, "width": w, "height": cellHeight, "fill": Self.color(cells[t][c])])
            }
        }
        let sep = heatTop + Double(chordCells) * cellHeight
        svg.element("line", ["x1": left, "y1": sep, "x2": plotRight, "y2": sep, "stroke": "#000"])
        svg.element("text", ["x": left, "y": height - 10], text: caption)
        return svg.finished()
    }
}
