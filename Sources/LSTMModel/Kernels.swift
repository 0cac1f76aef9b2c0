// Float kernels shared by the real-time step (Network.swift) and training (Backprop.swift).
// Raw pointers only: no allocation, no bounds checks. Weight matrices are input-major
// [inputs, width] (see ParameterLayout).

enum Kernels {
    /// z[0..<width] += sum over r with input[r] != 0 of input[r] * W[r, :].
    /// Zero inputs (most of a multi-hot vector) cost one compare.
    @inline(__always)
    static func addRows(_ z: UnsafeMutablePointer<Float>, width: Int,
                        weight: UnsafePointer<Float>, input: UnsafePointer<Float>, rows: Int) {
        for r in 0..<rows {
            let v = input[r]
            if v == 0 { continue }
            let row = weight + r * width
            for k in 0..<width { z[k] += v * row[k] }
        }
    }

    /// gW[r, :] += input[r] * dz for r with input[r] != 0 (outer-product gradient).
    @inline(__always)
    static func addOuter(_ gW: UnsafeMutablePointer<Float>, width: Int,
                         input: UnsafePointer<Float>, rows: Int, dz: UnsafePointer<Float>) {
        for r in 0..<rows {
            let v = input[r]
            if v == 0 { continue }
            let row = gW + r * width
            for k in 0..<width { row[k] += v * dz[k] }
        }
    }

    /// out[r] (+)= W[r, :] . dz for r in 0..<rows (gradient back through the rows).
    @inline(__always)
    static func rowDots(_ out: UnsafeMutablePointer<Float>, accumulate: Bool, width: Int,
                        weight: UnsafePointer<Float>, rows: Int, dz: UnsafePointer<Float>) {
        for r in 0..<rows {
            let row = weight + r * width
            var s0: Float = 0, s1: Float = 0
            var k = 0
            while k + 1 < width {
                s0 += row[k] * dz[k]
                s1 += row[k + 1] * dz[k + 1]
                k += 2
            }
            if k < width { s0 += row[k] * dz[k] }
            out[r] = accumulate ? out[r] + (s0 + s1) : (s0 + s1)
        }
    }

    /// LSTM block nonlinearity for one part, one step.
    ///
    /// In: z [G] pre-activations, cPrev [H]. Out: act [G] (g, i, f, o after squashing; may be
    /// z itself), c [H] (may alias cPrev), tanhC [H], h [H].
    ///     c_j = f_b * cPrev_j + i_b * g_j,   h_j = o_b * tanh(c_j),   b = j / cellsPerBlock
    @inline(__always)
    static func lstmForward(z: UnsafePointer<Float>, act: UnsafeMutablePointer<Float>,
                            cPrev: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>,
                            tanhC: UnsafeMutablePointer<Float>, h: UnsafeMutablePointer<Float>,
                            blocks: Int, cellsPerBlock: Int) {
        let cells = blocks * cellsPerBlock
        // Squashing in contiguous, vectorisable loops: gates, then cell inputs.
        for k in cells..<(cells + 3 * blocks) { act[k] = fastSigmoid(z[k]) }
        for j in 0..<cells { act[j] = fastTanh(z[j]) }
        for b in 0..<blocks {
            let ig = act[cells + b]
            let fg = act[cells + blocks + b]
            let first = b * cellsPerBlock
            for j in first..<(first + cellsPerBlock) { c[j] = fg * cPrev[j] + ig * act[j] }
        }
        for j in 0..<cells { tanhC[j] = fastTanh(c[j]) }
        for b in 0..<blocks {
            let og = act[cells + 2 * blocks + b]
            let first = b * cellsPerBlock
            for j in first..<(first + cellsPerBlock) { h[j] = og * tanhC[j] }
        }
    }

    /// Backward of `lstmForward` for one step.
    ///
    /// In: dh [H] (dLoss/dh(t), all paths), dcCarry [H] (dLoss/dc(t) through c(t+1), i.e.
    /// dc(t+1) * f(t+1)), act [G], cPrev [H], tanhC [H].
    /// Out: dz [G], dcCarry [H] replaced by dc(t) * f(t) for step t-1.
    @inline(__always)
    static func lstmBackward(dh: UnsafePointer<Float>, dcCarry: UnsafeMutablePointer<Float>,
                             act: UnsafePointer<Float>, cPrev: UnsafePointer<Float>,
                             tanhC: UnsafePointer<Float>, dz: UnsafeMutablePointer<Float>,
                             blocks: Int, cellsPerBlock: Int) {
        let cells = blocks * cellsPerBlock
        for b in 0..<blocks {
            let ig = act[cells + b]
            let fg = act[cells + blocks + b]
            let og = act[cells + 2 * blocks + b]
            var dIg: Float = 0, dFg: Float = 0, dOg: Float = 0
            let first = b * cellsPerBlock
            for j in first..<(first + cellsPerBlock) {
                let tc = tanhC[j]
                dOg += dh[j] * tc
                let dc = dcCarry[j] + dh[j] * og * (1 - tc * tc)
                let g = act[j]
                dIg += dc * g
                dFg += dc * cPrev[j]
                dz[j] = dc * ig * (1 - g * g)
                dcCarry[j] = dc * fg
            }
            dz[cells + b] = dIg * ig * (1 - ig)
            dz[cells + blocks + b] = dFg * fg * (1 - fg)
            dz[cells + 2 * blocks + b] = dOg * og * (1 - og)
        }
    }

    /// tanh units: h = act = tanh(z).
    @inline(__always)
    static func tanhForward(z: UnsafePointer<Float>, h: UnsafeMutablePointer<Float>, count: Int) {
        for j in 0..<count { h[j] = fastTanh(z[j]) }
    }

    /// Backward of `tanhForward`: dz = dh * (1 - h^2).
    @inline(__always)
    static func tanhBackward(dh: UnsafePointer<Float>, h: UnsafePointer<Float>,
                             dz: UnsafeMutablePointer<Float>, count: Int) {
        for j in 0..<count { dz[j] = dh[j] * (1 - h[j] * h[j]) }
    }

    /// Numerically stable softmax of `logits` into `probs` (may alias).
    @inline(__always)
    static func softmax(_ logits: UnsafePointer<Float>, _ probs: UnsafeMutablePointer<Float>, count: Int) {
        var m = logits[0]
        for k in 1..<count where logits[k] > m { m = logits[k] }
        var sum: Float = 0
        for k in 0..<count {
            let e = fastExp(logits[k] - m)
            probs[k] = e
            sum += e
        }
        let inv = 1 / sum
        for k in 0..<count { probs[k] *= inv }
    }
}
