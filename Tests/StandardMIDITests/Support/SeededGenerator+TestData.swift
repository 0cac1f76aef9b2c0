import SeededRandom

/// Test-data draws on improv's one seeded generator. They do their own range reduction so a
/// seed gives the same data on every toolchain.
extension SeededGenerator {
    /// Uniform enough for tests (modulo bias is irrelevant here).
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        let width = UInt64(range.upperBound - range.lowerBound) + 1
        return range.lowerBound + Int(next() % width)
    }

    mutating func uint8(_ range: ClosedRange<UInt8> = 0...255) -> UInt8 {
        UInt8(int(Int(range.lowerBound)...Int(range.upperBound)))
    }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool {
        Double(next() >> 11) / Double(UInt64(1) << 53) < p
    }

    mutating func pick<T>(_ items: [T]) -> T {
        items[int(0...(items.count - 1))]
    }

    mutating func bytes(_ count: Int, in range: ClosedRange<UInt8> = 0...255) -> [UInt8] {
        (0..<count).map { _ in uint8(range) }
    }
}
