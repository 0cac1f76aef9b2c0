import Foundation

/// Follows an external MIDI clock: 24 clocks a quarter note give the tempo, measured over the
/// last quarter note of clocks (so one late clock does not jerk it).
struct ClockFollower {
    private var times = [Double](repeating: 0, count: 25)
    private var count = 0
    private var next = 0

    /// A clock arrived at `seconds` (monotonic); returns the tempo when a full quarter is known.
    mutating func clock(at seconds: Double) -> Double? {
        times[next] = seconds
        next = (next + 1) % times.count
        count = min(count + 1, times.count)
        guard count == times.count else { return nil }
        let newest = times[(next + times.count - 1) % times.count], oldest = times[next]
        let quarter = newest - oldest  // 24 intervals
        guard quarter > 0.05 else { return nil }
        return min(400, max(20, 60 / quarter))
    }

    /// Start or stop: the next tempo is measured afresh.
    mutating func reset() { count = 0 }
}
