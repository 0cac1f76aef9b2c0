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

    static let colors = ["#ff7f0e", "#1f77b4", "#2ca02c", "#9467bd", "#8c564b"]

    public func render() -> String {
        let barWidth = 22.0, gap = 30.0, left = 40.0, top = 40.0, plotHeight = 200.0
        let groupWidth = Double(series.count) * barWidth + gap
        let width = left + Double(groups.count) * groupWidth + 160
        let height = top + plotHeight + 60
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        var s = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(f(width))" height="\(f(height))" font-family="sans-serif" font-size="11">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(f(left))" y="18" font-size="14">\(title)</text>
            <line x1="\(f(left))" y1="\(f(top + plotHeight))" x2="\(f(width - 150))" y2="\(f(top + plotHeight))" stroke="#000"/>

            """
        for (g, group) in groups.enumerated() {
            let scale = max(1e-9, series.map { $0.values[g] }.max() ?? 1)
            let x0 = left + Double(g) * groupWidth
            for (i, serie) in series.enumerated() {
                let v = serie.values[g]
                let h = plotHeight * v / scale
                let x = x0 + Double(i) * barWidth
                s += "<rect class=\"bar\" data-model=\"\(serie.name)\" data-figure=\"\(group)\" data-value=\"\(v)\" x=\"\(f(x))\" "
                    + "y=\"\(f(top + plotHeight - h))\" width=\"\(f(barWidth - 2))\" height=\"\(f(h))\" fill=\"\(Self.colors[i % Self.colors.count])\"/>\n"
                s += "<text x=\"\(f(x + 2))\" y=\"\(f(top + plotHeight - h - 3))\" font-size=\"8\">\(String(format: v < 10 ? "%.2f" : "%.0f", v))</text>\n"
            }
            s += "<text x=\"\(f(x0))\" y=\"\(f(top + plotHeight + 16))\">\(group)</text>\n"
        }
        for (i, serie) in series.enumerated() {
            let y = top + Double(i) * 16
            s += "<rect x=\"\(f(width - 140))\" y=\"\(f(y))\" width=\"10\" height=\"10\" fill=\"\(Self.colors[i % Self.colors.count])\"/>"
            s += "<text x=\"\(f(width - 125))\" y=\"\(f(y + 9))\">\(serie.name)</text>\n"
        }
        return s + "</svg>\n"
    }
}
