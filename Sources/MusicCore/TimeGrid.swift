/// The musical time grid: ticks per quarter note, tempo, and the meter's bars cut into
/// eighth-note slices.
///
/// improv thinks in eighth slices: 8 in a 4/4 bar (96 in a 12-bar chorus, as in Eck &
/// Schmidhuber 2002), 6 in a 3/4 or 6/8 bar.
public struct TimeGrid: Hashable, Sendable {
    // The Eck corpus's 4/4 grid; code outside the corpus moves to `meter.slicesPerBar`.
    public static let slicesPerBar = 8
    public static let barsPerChorus = 12
    public static let slicesPerChorus = slicesPerBar * barsPerChorus

    /// improv's time base: the ticks per quarter note (PPQ) of its sessions, its sequencer
    /// queues and the MIDI files it writes.
    public static let defaultTicksPerQuarter = 480
    /// Ticks in an eighth-note slice at that time base.
    public static let defaultTicksPerSlice = defaultTicksPerQuarter / 2

    /// Ticks per quarter note (MIDI's PPQ). Must be even so an eighth is a whole number of ticks.
    public var ticksPerQuarter: Int
    /// Quarter notes per minute.
    public var tempoBPM: Double
    public var meter: Meter

    public init(ticksPerQuarter: Int = TimeGrid.defaultTicksPerQuarter, tempoBPM: Double = 120, meter: Meter = .fourFour) {
        precondition(ticksPerQuarter > 0 && ticksPerQuarter % 2 == 0, "PPQ must be positive and even")
        precondition(tempoBPM > 0, "tempo must be positive")
        self.ticksPerQuarter = ticksPerQuarter
        self.tempoBPM = tempoBPM
        self.meter = meter
    }

    public var ticksPerSlice: Int { ticksPerQuarter / 2 }
    public var ticksPerBar: Int { ticksPerSlice * meter.slicesPerBar }
    public var secondsPerSlice: Double { 30.0 / tempoBPM }

    /// The slice nearest to a tick (ties round up: a note played a hair late still lands on its beat).
    public func nearestSlice(_ tick: Int) -> Int {
        (tick + ticksPerSlice / 2) / ticksPerSlice
    }

    /// The slice containing a tick (rounding down).
    public func slice(containing tick: Int) -> Int { tick / ticksPerSlice }

    public func tick(ofSlice slice: Int) -> Int { slice * ticksPerSlice }

    /// Quantizes a note to the slice grid: its start and end move to the nearest slice boundary,
    /// and it lasts at least one slice. Returns the half-open slice range it covers.
    public func quantize(start: Int, end: Int) -> Range<Int> {
        let first = nearestSlice(max(0, start))
        let last = max(first + 1, nearestSlice(max(0, end)))
        return first..<last
    }

    /// Microseconds per quarter note, as MIDI tempo events carry it.
    public var microsecondsPerQuarter: UInt32 { UInt32((60_000_000.0 / tempoBPM).rounded()) }

    public static func bpm(microsecondsPerQuarter: UInt32) -> Double {
        60_000_000.0 / Double(max(1, microsecondsPerQuarter))
    }
}
