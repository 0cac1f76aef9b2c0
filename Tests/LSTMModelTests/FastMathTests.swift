import Foundation
import XCTest
@testable import LSTMModel

final class FastMathTests: XCTestCase {
    func testAgainstFoundation() {
        var maxExp = 0.0, maxTanh = 0.0, maxTanhRel = 0.0, maxSig = 0.0
        var x: Float = -30
        while x < 30 {
            let d = Double(x)
            maxExp = max(maxExp, abs(Double(fastExp(x)) - exp(d)) / exp(d))
            maxTanh = max(maxTanh, abs(Double(fastTanh(x)) - tanh(d)))
            if x != 0 { maxTanhRel = max(maxTanhRel, abs(Double(fastTanh(x)) - tanh(d)) / abs(tanh(d))) }
            maxSig = max(maxSig, abs(Double(fastSigmoid(x)) - 1 / (1 + exp(-d))))
            x += 0.000_913
        }
        XCTAssertLessThan(maxExp, 2e-7)
        XCTAssertLessThan(maxTanh, 5e-7)
        XCTAssertLessThan(maxTanhRel, 5e-7)
        XCTAssertLessThan(maxSig, 2e-7)
        // Extremes stay finite and saturate correctly.
        XCTAssertEqual(fastTanh(100), 1)
        XCTAssertEqual(fastTanh(-100), -1)
        XCTAssertEqual(fastSigmoid(200), 1)
        XCTAssertEqual(fastSigmoid(-200), 0, accuracy: 1e-37)
        XCTAssertTrue(fastExp(1000).isFinite)
        XCTAssertEqual(fastExp(0), 1)
        XCTAssertEqual(fastTanh(1e-5), 1e-5)
    }
}
