import SeededRandom

/// The seeded generator everything deterministic in improv draws from (SplitMix64, in the
/// SeededRandom leaf module so that LSTMModel shares the very same one), named here so that
/// code importing MusicCore has it.
public typealias SeededGenerator = SeededRandom.SeededGenerator
