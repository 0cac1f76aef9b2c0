import MusicCore

/// The few draws the band makes, from its seeded generators (no allocation, same music for the
/// same seed on every machine).
extension SeededGenerator {
    /// A uniform value in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool { unit() < p }
    /// A uniform integer in 0 ..< n (n > 0).
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    /// A velocity `base` ± `spread`, kept in 1 ... 127.
    mutating func velocity(_ base: Int, spread: Int) -> UInt8 {
        UInt8(min(127, max(1, base + below(2 * spread + 1) - spread)))
    }
}

/// The tick a fraction `num / den` of the way from slice `s` to slice `s + 1`, by the caller's
/// clock (which already swings the off-beat slices).
@inline(__always)
func subSliceTick(_ tick: (Int) -> Int, slice s: Int, _ num: Int, _ den: Int) -> Int {
    let a = tick(s)
    return num == 0 ? a : a + (tick(s + 1) - a) * num / den
}
