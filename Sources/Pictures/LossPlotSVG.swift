import Foundation

/// The loss curves of a training run (training and held-out loss per epoch) as a small
/// standalone SVG.
public struct LossPlotSVG {
    public var title: String
    public var epochs: [Int]
    public var series: [(name: String, color: String, values: [Double])]

    /// `training` and `heldOut` hold one loss per epoch, in the order of `epochs`.
    public init(title: String, epochs: [Int], training: [Double], heldOut: [Double]) {
        precondition(training.count == epochs.count && heldOut.count == epochs.count, "one loss per epoch")
        self.title = title
        self.epochs = epochs
        series = [("training", "#1f77b4", training), ("held-out", "#d62728", heldOut)]
    }

    public func render() -> String {
        let width = 640.0, height = 360.0, left = 60.0, right = 20.0, top = 40.0, bottom = 50.0
        let plotW = width - left - right, plotH = height - top - bottom
        let all = series.flatMap(\.values).filter(\.isFinite)
        let maxY = max(all.max() ?? 1, 1e-6) * 1.05
        let n = max(epochs.count, 2)
        func x(_ i: Int) -> Double { left + plotW * Double(i) / Double(n - 1) }
        func y(_ v: Double) -> Double { top + plotH * (1 - min(max(v, 0), maxY) / maxY) }

        var svg = SVGWriter(width: width, height: height, title: title, fontSize: 12)
        svg.element("text", ["x": width / 2, "y": 22.0, "text-anchor": "middle", "font-size": 15], text: title)
        for k in 0...4 {
            let v = maxY * Double(k) / 4
            svg.element("line", ["x1": left, "y1": y(v), "x2": left + plotW, "y2": y(v), "stroke": "#ddd"])
            svg.element("text", ["x": left - 6, "y": y(v) + 4, "text-anchor": "end"], text: String(format: "%.2f", v))
        }
        svg.element("line", ["x1": left, "y1": top + plotH, "x2": left + plotW, "y2": top + plotH, "stroke": "#000"])
        svg.element("line", ["x1": left, "y1": top, "x2": left, "y2": top + plotH, "stroke": "#000"])
        let ticks = min(epochs.count, 10)
        for k in 0..<ticks {
            let i = ticks == 1 ? 0 : k * (epochs.count - 1) / (ticks - 1)
            svg.element("text", ["x": x(i), "y": top + plotH + 16, "text-anchor": "middle"], text: "\(epochs[i])")
        }
        svg.element("text", ["x": left + plotW / 2, "y": height - 12, "text-anchor": "middle"], text: "epoch")
        svg.element("text", ["transform": "translate(16 \(SVGWriter.number(top + plotH / 2))) rotate(-90)", "text-anchor": "middle"],
                    text: "cross-entropy per slice (nats)")
        for (j, serie) in series.enumerated() {
            // An epoch whose loss is not a number (a diverged step) leaves a gap in the line's points.
            let points = serie.values.enumerated().filter { $0.element.isFinite }
                .map { "\(SVGWriter.number(x($0.offset))),\(SVGWriter.number(y($0.element)))" }.joined(separator: " ")
            svg.element("polyline", ["fill": "none", "stroke": serie.color, "stroke-width": 2, "points": points])
            let ly = top + 14 + 16 * Double(j)
            svg.element("line", ["class": "legend", "x1": left + plotW - 110, "y1": ly - 4, "x2": left + plotW - 90, "y2": ly - 4, "stroke": serie.color])
            svg.element("text", ["class": "legend", "x": left + plotW - 84, "y": ly], text: serie.name)
        }
        return svg.finished()
    }
}
