import SeededRandom
import XCTest
@testable import LSTMModel

/// The blocked SIMD kernels against the plain loops they replace: the forward and the weight
/// gradient must be bit-identical (the same adds in the same order per element); the dot
/// products may differ only by rounding.
final class KernelTests: XCTestCase {
    /// Widths that exercise the 32-column chunks, the 8-column chunks and the scalar tail.
    let widths = [1, 7, 8, 13, 27, 32, 45, 77, 448]

    func values(_ n: Int, _ rng: inout SeededGenerator, zeros: Bool) -> [Float] {
        (0..<n).map { _ in
            let u = Float(rng.next() >> 40) / Float(1 << 24) * 2 - 1
            return zeros && u > 0.3 ? 0 : u
        }
    }

    func testAddRowsIsBitIdenticalToTheRowLoop() {
        var rng = SeededGenerator(seed: 11)
        for width in widths {
            let rows = 19
            let w = values(rows * width, &rng, zeros: false)
            let x = values(rows, &rng, zeros: true)
            var expected = values(width, &rng, zeros: false)
            var got = expected
            for r in 0..<rows where x[r] != 0 {
                for k in 0..<width { expected[k] += x[r] * w[r * width + k] }
            }
            got.withUnsafeMutableBufferPointer { z in
                Kernels.addRows(z.baseAddress!, width: width, weight: w, input: x, rows: rows)
            }
            XCTAssertEqual(got, expected, "width \(width)")
        }
    }

    func testAddOuterStepsIsBitIdenticalToAddOuterPerStep() {
        var rng = SeededGenerator(seed: 12)
        for width in widths {
            let rows = 11, steps = 9, pitch = 14
            let input = values(steps * pitch, &rng, zeros: true)
            let dz = values(steps * width, &rng, zeros: false)
            let start = values(rows * width, &rng, zeros: false)
            var expected = start, got = start
            expected.withUnsafeMutableBufferPointer { g in
                for t in stride(from: steps - 1, through: 0, by: -1) {
                    input.withUnsafeBufferPointer { x in
                        dz.withUnsafeBufferPointer { d in
                            Kernels.addOuter(g.baseAddress!, width: width, input: x.baseAddress! + t * pitch,
                                             rows: rows, dz: d.baseAddress! + t * width)
                        }
                    }
                }
            }
            got.withUnsafeMutableBufferPointer { g in
                Kernels.addOuterSteps(g.baseAddress!, width: width, input: input, inputStride: pitch, rows: rows,
                                      dz: dz, steps: steps)
            }
            XCTAssertEqual(got, expected, "width \(width)")
        }
    }

    func testRowDotsMatchesDoubleDots() {
        var rng = SeededGenerator(seed: 13)
        for width in widths {
            for rows in [1, 2, 5] {
                let w = values(rows * width, &rng, zeros: false)
                let dz = values(width, &rng, zeros: false)
                var out = [Float](repeating: 1, count: rows)
                out.withUnsafeMutableBufferPointer { o in
                    Kernels.rowDots(o.baseAddress!, accumulate: true, width: width, weight: w, rows: rows, dz: dz)
                }
                for r in 0..<rows {
                    var s = 1.0
                    for k in 0..<width { s += Double(w[r * width + k]) * Double(dz[k]) }
                    XCTAssertEqual(Double(out[r]), s, accuracy: 1e-5 * Double(width), "width \(width) row \(r)")
                }
            }
        }
    }
}
