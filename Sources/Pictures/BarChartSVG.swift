import Foundation

/// A grouped bar chart as SVG: one group per figure, one bar per model.
public struct BarChartSVG {
    public var title: String
    /// The figures (group labels) and, for each model, its values (0...1 for shares; others are
    /// drawn against the largest value of their group).
    public var groups: [String]
    public var series: [(name: String, values: [Double])]

    public init(title: String, groups: [String], series: [(name: String, values: [Double])]) {
        self.title = title
        self.groups = groups
        self.series = series
    }

    static let colors = ["#ff7f0e", "#1f77b4", "#2ca02c", "#9467bd", "#8c564b", "#d62728", "#e377c2", "#7f7f7f"]

    public func render() -> String {
        let barWidth = 22.0, gap = 30.0, left = 40.0, top = 40.0, plotHeight = 200.0, fontSize = 11.0
        let groupWidth = Double(series.count) * barWidth + gap
        // The legend, right of the plot: as wide as its longest name, as tall as its rows.
        let legendWidth = 30 + (series.map { SVGWriter.textWidth($0.name, fontSize: fontSize) }.max() ?? 0)
        let plotRight = left + Double(groups.count) * groupWidth
        let width = max(plotRight + legendWidth + 20, left + SVGWriter.textWidth(title, fontSize: 14) + 20)
        let height = max(top + plotHeight + 60, top + Double(series.count) * 16 + 20)
        var svg = SVGWriter(width: width, height: height, title: title, fontSize: fontSize)
        svg.element("text", ["x": left, "y": 18.0, "font-size": 14], text: title)
        svg.element("line", ["x1": left, "y1": top + plotHeight, "x2": plotRight, "y2": top + plotHeight, "stroke": "#000"])
        for (g, group) in groups.enumerated() {
            let scale = max(1e-9, series.map { $0.values[g] }.filter(\.isFinite).max() ?? 1)
            let x0 = left + Double(g) * groupWidth
            for (i, serie) in series.enumerated() {
                let v = serie.values[g]
                let h = v.isFinite ? plotHeight * max(0, v) / scale : 0
                let x = x0 + Double(i) * barWidth
                svg.element("rect", ["class": "bar", "data-model": serie.name, "data-figure": group, "data-value": "\(v)",
                                     "x": x, "y": top + plotHeight - h, "width": barWidth - 2, "height": h,
                                     "fill": Self.colors[i % Self.colors.count]])
                svg.element("text", ["x": x + 2, "y": top + plotHeight - h - 3, "font-size": 8],
                            text: String(format: v < 10 ? "%.2f" : "%.0f", v))
            }
            svg.element("text", ["x": x0, "y": top + plotHeight + 16], text: group)
        }
        for (i, serie) in series.enumerated() {
            let y = top + Double(i) * 16
            svg.element("rect", ["class": "legend", "x": plotRight + 10, "y": y, "width": 10, "height": 10,
                                 "fill": Self.colors[i % Self.colors.count]])
            svg.element("text", ["class": "legend", "x": plotRight + 25, "y": y + 9], text: serie.name)
        }
        return svg.finished()
    }
}
