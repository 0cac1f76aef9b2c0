import MusicCore

/// The call improv ships with, for the demo: two blues licks of two bars in the session's
/// key, the second starting eight bars after the first (on bar 9), so a jam on the defaults
/// has two exchanges.
public enum DefaultCall {
    /// (pitch in C, start and length in eighths)
    static let licks: [[(UInt8, Int, Int)]] = [
        [(60, 0, 2), (63, 2, 1), (65, 3, 1), (67, 4, 2), (70, 6, 1), (67, 7, 1),
         (65, 8, 1), (63, 9, 1), (60, 10, 4)],
        [(72, 0, 1), (70, 1, 1), (67, 2, 2), (65, 4, 1), (67, 5, 1), (63, 6, 2),
         (60, 8, 2), (63, 10, 1), (60, 11, 3)],
    ]

    /// The call's notes at `ppq`, moved into `key`; the second lick starts at bar 9 (of the
    /// meter's bars: in 3/4 the licks cross bar lines, as a 4/4 phrase would).
    public static func notes(key: Key, ppq: Int = TimeGrid.defaultTicksPerQuarter, meter: Meter = .fourFour) -> [PlayedNote] {
        let eighth = ppq / 2
        var out: [PlayedNote] = []
        for (i, lick) in licks.enumerated() {
            let offset = i * 8 * meter.slicesPerBar * eighth
            for (p, start, length) in lick {
                out.append(PlayedNote(key: UInt8(Int(p) + key.offsetFromC), velocity: 96,
                                      start: offset + start * eighth, end: offset + (start + length) * eighth - ppq / 16))
            }
        }
        return out
    }
}
