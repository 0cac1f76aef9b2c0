// Pure-Swift single-precision exp, tanh and sigmoid for the hot path (no libm, no Foundation).
// Accuracy is checked against Foundation in FastMathTests (measured over [-30, 30]: exp
// relative error 8e-8, tanh absolute error 3.3e-7 and relative error 2.6e-7 near 0,
// sigmoid absolute error 9e-8).

/// e^x, Cephes expf: x = n ln2 + r, |r| <= ln2/2, a degree-6 polynomial for e^r, times 2^n.
/// Arguments are clamped to [-87.3, 88.3] (results stay finite and normal).
@inline(__always)
public func fastExp(_ value: Float) -> Float {
    var x = min(max(value, -87.3), 88.3)
    // n = round(x log2 e): adding 1.5 * 2^23 leaves the rounded integer in the low mantissa
    // bits (no libm, no trapping conversion, so loops over this vectorise).
    let shifted = x * 1.442_695_040_888_963_4 + 12_582_912
    let fx = shifted - 12_582_912
    let n = Int32(bitPattern: shifted.bitPattern) &- 0x4B40_0000
    x -= fx * 0.693_359_375
    x -= fx * -2.121_944_4e-4
    let z = x * x
    var y: Float = 1.987_569_15e-4
    y = y * x + 1.398_199_950_7e-3
    y = y * x + 8.333_451_907_3e-3
    y = y * x + 4.166_579_589_4e-2
    y = y * x + 1.666_666_545_9e-1
    y = y * x + 5.000_000_120_1e-1
    y = y * z + x + 1
    let scale = Float(bitPattern: UInt32(bitPattern: (n &+ 127) << 23))
    return y * scale
}

/// tanh(x): Eigen's rational approximation (odd degree-13 over even degree-6 polynomial),
/// exact sign and saturation at |x| >= 7.905 where tanh rounds to +-1 in Float.
@inline(__always)
func fastTanh(_ value: Float) -> Float {
    let x = min(max(value, -7.905_311_107_635_498), 7.905_311_107_635_498)
    let x2 = x * x
    var p: Float = -2.760_768_477_423_55e-16
    p = p * x2 + 2.000_187_904_824_77e-13
    p = p * x2 + -8.604_671_522_137_35e-11
    p = p * x2 + 5.122_297_090_371_14e-08
    p = p * x2 + 1.485_722_357_179_79e-05
    p = p * x2 + 6.372_619_288_754_36e-04
    p = p * x2 + 4.893_524_558_917_86e-03
    p *= x
    var q: Float = 1.198_258_394_667_02e-06
    q = q * x2 + 1.185_347_056_866_54e-04
    q = q * x2 + 2.268_434_632_439_00e-03
    q = q * x2 + 4.893_525_185_543_85e-03
    // Below 0.0004, tanh(x) = x to Float precision (a select, not a branch).
    return abs(x) < 0.0004 ? x : p / q
}

/// The logistic function 1 / (1 + e^-x).
@inline(__always)
func fastSigmoid(_ x: Float) -> Float {
    1 / (1 + fastExp(-x))
}
