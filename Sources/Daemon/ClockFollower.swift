/// Follows an external MIDI clock: 24 clocks a quarter note give the tempo, measured over the
/// last quarter note of clocks. A new tempo is taken only once the measure has held steady for
/// half a beat: a stalled reader that gets a burst of clocks at once sees one wild measure,
/// and following it would make the queue race ahead (or crawl) for a moment, enough to cut a
/// player's call into two.
public struct ClockFollower {
    public init() {}
    private var times = [Double](repeating: 0, count: 25)
    private var count = 0
    private var next = 0
    /// The last measures (beats per minute), to see whether they hold steady.
    private var measures = [Double](repeating: 0, count: ClockFollower.steadyClocks)
    private var measured = 0

    /// Measures that must agree (half a beat of clocks), and how closely (max - min, relative).
    public static let steadyClocks = 12
    public static let agreement = 0.02
    /// Smaller changes than this share of the tempo are jitter, not a new tempo.
    public static let change = 0.01

    /// A clock arrived at `seconds` (monotonic); returns a tempo to take instead of `current`,
    /// or nil while it is unknown, unsteady or the same.
    public mutating func clock(at seconds: Double, current: Double) -> Double? {
        times[next] = seconds
        next = (next + 1) % times.count
        count = min(count + 1, times.count)
        guard count == times.count else { return nil }
        let newest = times[(next + times.count - 1) % times.count], oldest = times[next]
        let quarter = newest - oldest  // 24 intervals
        guard quarter > 0.05 else { return nil }
        measures[measured % measures.count] = min(400, max(20, 60 / quarter))
        measured += 1
        guard measured >= measures.count, let low = measures.min(), let high = measures.max(),
              high - low <= low * Self.agreement else { return nil }
        let bpm = measures.reduce(0, +) / Double(measures.count)
        return abs(bpm - current) >= current * Self.change ? bpm : nil
    }

    /// Start or stop: the next tempo is measured afresh.
    public mutating func reset() {
        count = 0
        measured = 0
    }
}
