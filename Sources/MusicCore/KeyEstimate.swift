/// Estimates a piece's key from its notes (Krumhansl-Kessler key profiles, weighted by duration).
public enum KeyEstimate {
    static let majorProfile: [Double] = [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88]
    static let minorProfile: [Double] = [6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17]

    public static func estimate(_ notes: [Note]) -> Key? {
        var histogram = [Double](repeating: 0, count: 12)
        for n in notes { histogram[Int(n.pitch) % 12] += Double(max(1, n.duration)) }
        guard histogram.contains(where: { $0 > 0 }) else { return nil }
        var best: (key: Key, r: Double)?
        for tonic in 0..<12 {
            for minor in [false, true] {
                let profile = minor ? minorProfile : majorProfile
                let rotated = (0..<12).map { profile[(($0 - tonic) % 12 + 12) % 12] }
                let r = correlation(histogram, rotated)
                if best == nil || r > best!.r { best = (Key(tonic: tonic, minor: minor), r) }
            }
        }
        return best?.key
    }

    /// Correlation of a pitch-class histogram (12 weights, C first) with the profile of a key,
    /// without allocating (for a listener that estimates as notes arrive).
    public static func correlation(_ histogram: [Double], tonic: Int, minor: Bool) -> Double {
        let profile = minor ? minorProfile : majorProfile
        var ma = 0.0, mb = 0.0
        for i in 0..<12 { ma += histogram[i]; mb += profile[i] }
        ma /= 12; mb /= 12
        var num = 0.0, da = 0.0, db = 0.0
        for i in 0..<12 {
            let a = histogram[i] - ma, b = profile[((i - tonic) % 12 + 12) % 12] - mb
            num += a * b
            da += a * a
            db += b * b
        }
        return da == 0 || db == 0 ? 0 : num / (da * db).squareRoot()
    }

    /// Pearson correlation of two equally long lists; 0 where either is constant.
    public static func correlation(_ a: [Double], _ b: [Double]) -> Double {
        let ma = a.reduce(0, +) / Double(a.count), mb = b.reduce(0, +) / Double(b.count)
        var num = 0.0, da = 0.0, db = 0.0
        for i in a.indices {
            num += (a[i] - ma) * (b[i] - mb)
            da += (a[i] - ma) * (a[i] - ma)
            db += (b[i] - mb) * (b[i] - mb)
        }
        return da == 0 || db == 0 ? 0 : num / (da * db).squareRoot()
    }
}
