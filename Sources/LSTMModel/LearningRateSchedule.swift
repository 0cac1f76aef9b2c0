/// Learning rate as a function of the number of updates (batches) done so far.
public enum LearningRateSchedule: Sendable, Hashable, Codable {
    /// The same rate for every update.
    case constant(Float)
    /// Smith's (2017) triangular cyclical rate, as used in paper 003: rises linearly from
    /// `min` to `max` over `halfCycle` updates, falls back to `min` over the next `halfCycle`,
    /// and repeats.
    case triangular(min: Float, max: Float, halfCycle: Int)

    /// The rate for update number `batch` (0-based).
    public func rate(atBatch batch: Int) -> Float {
        switch self {
        case .constant(let r):
            return r
        case .triangular(let lo, let hi, let half):
            precondition(half > 0, "halfCycle must be positive")
            // Smith: cycle = floor(1 + i / 2s), x = |i / s - 2 cycle + 1|, rate = lo + (hi-lo) max(0, 1-x)
            let cycle = (1 + batch / (2 * half))
            let x = abs(Double(batch) / Double(half) - Double(2 * cycle) + 1)
            return lo + (hi - lo) * Float(max(0, 1 - x))
        }
    }

    /// A reason the schedule is unusable, or nil.
    public var problem: String? {
        switch self {
        case .constant(let r):
            return r > 0 && r.isFinite ? nil : "learning rate \(r) must be positive"
        case .triangular(let lo, let hi, let half):
            if !(lo >= 0 && hi >= lo && hi > 0 && hi.isFinite) { return "need 0 <= min <= max, max > 0" }
            return half > 0 ? nil : "halfCycle \(half) must be positive"
        }
    }
}
