/// A count-in the player taps (four notes, or a pedal or pad): the tempo and where the beat
/// after the last tap falls, which is beat 0 of the music.
///
/// The taps are fitted with a line (least squares, tap i at first + i × beat), so one early
/// or late tap moves the estimate by a fraction of its error rather than all of it.
public struct TappedCountIn: Sendable, Equatable {
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        case tooFewTaps(count: Int)
        /// Tap `index` (from 0) is not after the tap before it.
        case notIncreasing(index: Int, tick: Int, previous: Int)
        /// Interval `index` (between taps index and index + 1) is far from the others' median.
        case uneven(index: Int, interval: Int, median: Int)

        public var description: String {
            switch self {
            case .tooFewTaps(let n): return "count-in: expected at least 2 taps, got \(n)"
            case .notIncreasing(let i, let t, let p): return "count-in: tap \(i + 1) at tick \(t) is not after tap \(i) at tick \(p)"
            case .uneven(let i, let interval, let median):
                return "count-in: taps \(i + 1) and \(i + 2) are \(interval) ticks apart, expected within 25% of the others' \(median)"
            }
        }
    }

    /// The player's beat, in nominal ticks.
    public let ticksPerBeat: Double
    /// Where beat 0 falls: one beat after the last tap, by the fit.
    public let firstBeatTick: Double
    /// How far the taps lie from the fitted line (root mean square, ticks).
    public let residualTicks: Double
    public let tapCount: Int
    public let lastTapTick: Int

    /// From the taps' ticks, in order. Intervals more than 25% from their median are an error.
    public init(taps: [Int]) throws(Failure) {
        guard taps.count >= 2 else { throw .tooFewTaps(count: taps.count) }
        for i in 1..<taps.count where taps[i] <= taps[i - 1] {
            throw .notIncreasing(index: i, tick: taps[i], previous: taps[i - 1])
        }
        let intervals = (1..<taps.count).map { taps[$0] - taps[$0 - 1] }
        let median = intervals.sorted()[intervals.count / 2]
        for (i, d) in intervals.enumerated() where abs(Double(d - median)) > 0.25 * Double(median) {
            throw .uneven(index: i, interval: d, median: median)
        }
        let n = Double(taps.count)
        let meanI = (n - 1) / 2
        let meanT = taps.reduce(0.0) { $0 + Double($1) } / n
        var sxy = 0.0, sxx = 0.0
        for (i, t) in taps.enumerated() {
            sxy += (Double(i) - meanI) * (Double(t) - meanT)
            sxx += (Double(i) - meanI) * (Double(i) - meanI)
        }
        let beat = sxy / sxx
        let first = meanT - beat * meanI
        var ss = 0.0
        for (i, t) in taps.enumerated() {
            let d = Double(t) - (first + beat * Double(i))
            ss += d * d
        }
        ticksPerBeat = beat
        firstBeatTick = first + beat * n
        residualTicks = (ss / n).squareRoot()
        tapCount = taps.count
        lastTapTick = taps[taps.count - 1]
    }

    /// The count-in's tempo over a preset beat of `nominalTicksPerBeat` ticks.
    public func tempoRatio(nominalTicksPerBeat: Double) -> Double { nominalTicksPerBeat / ticksPerBeat }

    /// Taps as they arrive (notes of a chord, closer than `chordWindowTicks`, are one tap):
    /// four taps, then the count-in. Fixed-size: no allocation until the fourth tap.
    public struct Taps: Sendable {
        public let chordWindowTicks: Int
        private var ticks: (Int, Int, Int, Int) = (0, 0, 0, 0)
        public private(set) var count = 0

        public init(chordWindowTicks: Int) { self.chordWindowTicks = chordWindowTicks }

        /// Adds a tap; returns the count-in at the fourth (or its error: the taps then start over,
        /// this one as the first).
        public mutating func tap(atTick tick: Int) -> Result<TappedCountIn, Failure>? {
            if count > 0, tick - last < chordWindowTicks { return nil }
            switch count {
            case 0: ticks.0 = tick
            case 1: ticks.1 = tick
            case 2: ticks.2 = tick
            default: ticks.3 = tick
            }
            count += 1
            guard count == 4 else { return nil }
            count = 0
            let result = Result { () throws(Failure) in try TappedCountIn(taps: [ticks.0, ticks.1, ticks.2, ticks.3]) }
            if case .failure = result { ticks.0 = tick; count = 1 }
            return result
        }

        private var last: Int {
            switch count {
            case 1: return ticks.0
            case 2: return ticks.1
            case 3: return ticks.2
            default: return ticks.3
            }
        }
    }
}
