/// A small, fast, seedable random number generator (SplitMix64), the one improv draws from.
///
/// Everything in improv that is "deterministic from a seed" (the corpus, weight
/// initialisation, shuffling, sampling, the band, test data) draws from this, so the same
/// seed gives the same music and the same trained weights on every machine. It is a value
/// type and never allocates. It lives in a leaf module of its own because both MusicCore and
/// LSTMModel use it and neither may import the other.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    /// The generator's whole state: restoring it resumes the sequence where it was (a
    /// training run's checkpoint keeps its shuffle this way).
    public var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    @inlinable
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [-1, 1), from 24 random bits (weight initialisation).
    @inlinable
    public mutating func nextSymmetricFloat() -> Float {
        Float(next() >> 40) * 0x1p-23 - 1
    }

    /// Uniform in 0..<n by multiply-high (bias below 2^-50 for the small n of shuffles and
    /// draws); unlike the standard library's `random(in:)`, its output is fixed by this file.
    @inlinable
    public mutating func nextIndex(below n: Int) -> Int {
        Int(next().multipliedFullWidth(by: UInt64(n)).high)
    }
}
