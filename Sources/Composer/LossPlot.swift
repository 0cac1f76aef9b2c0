import Foundation

/// The loss curve of a training run as a small standalone SVG (opens in any browser).
public enum LossPlot {
    public static func svg(_ records: [EpochRecord], title: String) -> String {
        let width = 640.0, height = 360.0, left = 60.0, right = 20.0, top = 40.0, bottom = 50.0
        let plotW = width - left - right, plotH = height - top - bottom
        let series: [(name: String, color: String, values: [Double])] = [
            ("training", "#1f77b4", records.map(\.training.total)),
            ("held-out", "#d62728", records.map(\.heldOut.total)),
        ]
        let all = series.flatMap(\.values).filter(\.isFinite)
        let maxY = max(all.max() ?? 1, 1e-6) * 1.05
        let n = max(records.count, 2)
        func x(_ i: Int) -> Double { left + plotW * Double(i) / Double(n - 1) }
        func y(_ v: Double) -> Double { top + plotH * (1 - min(max(v, 0), maxY) / maxY) }

        var s = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(Int(width / 2))" y="22" text-anchor="middle" font-size="15">\(escape(title))</text>

            """
        for k in 0...4 {
            let v = maxY * Double(k) / 4
            s += line(left, y(v), left + plotW, y(v), "#ddd")
            s += "<text x=\"\(fmt(left - 6))\" y=\"\(fmt(y(v) + 4))\" text-anchor=\"end\">\(String(format: "%.2f", v))</text>\n"
        }
        s += line(left, top + plotH, left + plotW, top + plotH, "#000") + line(left, top, left, top + plotH, "#000")
        let ticks = Swift.min(records.count, 10)
        for k in 0..<ticks {
            let i = ticks == 1 ? 0 : k * (records.count - 1) / (ticks - 1)
            s += "<text x=\"\(fmt(x(i)))\" y=\"\(fmt(top + plotH + 16))\" text-anchor=\"middle\">\(records[i].epoch)</text>\n"
        }
        s += "<text x=\"\(fmt(left + plotW / 2))\" y=\"\(fmt(height - 12))\" text-anchor=\"middle\">epoch</text>\n"
        s += "<text transform=\"translate(16 \(fmt(top + plotH / 2))) rotate(-90)\" text-anchor=\"middle\">cross-entropy per slice (nats)</text>\n"
        for (j, serie) in series.enumerated() {
            let points = serie.values.enumerated().map { "\(fmt(x($0.offset))),\(fmt(y($0.element)))" }.joined(separator: " ")
            s += "<polyline fill=\"none\" stroke=\"\(serie.color)\" stroke-width=\"2\" points=\"\(points)\"/>\n"
            let ly = top + 14 + 16 * Double(j)
            s += line(left + plotW - 110, ly - 4, left + plotW - 90, ly - 4, serie.color)
            s += "<text x=\"\(fmt(left + plotW - 84))\" y=\"\(fmt(ly))\">\(serie.name)</text>\n"
        }
        return s + "</svg>\n"
    }

    static func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, _ color: String) -> String {
        "<line x1=\"\(fmt(x1))\" y1=\"\(fmt(y1))\" x2=\"\(fmt(x2))\" y2=\"\(fmt(y2))\" stroke=\"\(color)\"/>\n"
    }

    static func fmt(_ v: Double) -> String { String(format: "%.1f", v) }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    /// The same records as CSV, one line per epoch.
    public static func csv(_ records: [EpochRecord]) -> String {
        var out = "epoch,train_loss,train_chord,train_melody,heldout_loss,heldout_chord,heldout_melody,learning_rate,elapsed_s,slices_per_s,chord_form_accuracy,in_scale\n"
        for r in records {
            out += "\(r.epoch),\(r.training.total),\(r.training.chord),\(r.training.melody),\(r.heldOut.total),\(r.heldOut.chord),"
                + "\(r.heldOut.melody),\(r.learningRate),\(String(format: "%.3f", r.elapsed)),\(Int(r.slicesPerSecond)),"
                + "\(r.chordFormAccuracy.map { "\($0)" } ?? ""),\(r.inScale.map { "\($0)" } ?? "")\n"
        }
        return out
    }
}
