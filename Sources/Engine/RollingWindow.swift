import MusicCore

/// The last N slices of the session as the model heard them (the player's notes while the
/// player plays, improv's own while it answers): the source of truth from which the model's
/// state is rebuilt after a model reload or a mode change. A ring buffer: appending never
/// allocates.
public struct RollingWindow: Sendable {
    private var buffer: [Slice]
    /// Absolute slice number of the next append.
    public private(set) var nextSlice = 0
    /// Absolute slice number where the window (re)started.
    private var origin = 0

    public init(bars: Int, slicesPerBar: Int = Meter.fourFour.slicesPerBar) {
        buffer = [Slice](repeating: .silent, count: max(1, bars) * slicesPerBar)
    }

    public var capacity: Int { buffer.count }
    public var count: Int { min(nextSlice - origin, buffer.count) }
    /// Absolute slice number of the oldest slice kept.
    public var firstSlice: Int { nextSlice - count }

    public mutating func append(_ slice: Slice) {
        buffer[nextSlice % buffer.count] = slice
        nextSlice += 1
    }

    /// The slice with absolute number `s` (must be within the window).
    public subscript(s: Int) -> Slice {
        precondition(s >= firstSlice && s < nextSlice, "slice \(s) is not in the window")
        return buffer[s % buffer.count]
    }

    /// Starts the window again at absolute slice `s` (empty).
    public mutating func restart(at s: Int) {
        nextSlice = s
        origin = s
    }
}
