// Float kernels shared by the real-time step (Network.swift) and training (Backprop.swift).
// Raw pointers only: no allocation, no bounds checks. Weight matrices are input-major
// [inputs, width] (see ParameterLayout).

enum Kernels {
    /// z[0..<width] += sum over r with input[r] != 0 of input[r] * W[r, :].
    /// Zero inputs (most of a multi-hot vector) cost one compare per column chunk.
    ///
    /// Register-blocked: a chunk of 32 columns of z stays in registers while every row is
    /// added, so each weight is loaded once and z is loaded and stored once per chunk (the
    /// row-by-row axpy loaded and stored all of z for every row). Every z[k] still receives
    /// its rows in order r = 0, 1, ... with a separate multiply and add, so the result is
    /// bit-identical to the plain loop.
    @inline(__always)
    static func addRows(_ z: UnsafeMutablePointer<Float>, width: Int,
                        weight: UnsafePointer<Float>, input: UnsafePointer<Float>, rows: Int) {
        var k = 0
        while k + 32 <= width {
            var a0 = load8(z + k), a1 = load8(z + k + 8), a2 = load8(z + k + 16), a3 = load8(z + k + 24)
            for r in 0..<rows {
                let v = input[r]
                if v == 0 { continue }
                let row = weight + r * width + k
                let vv = SIMD8<Float>(repeating: v)
                a0 = a0 + vv * load8(row)
                a1 = a1 + vv * load8(row + 8)
                a2 = a2 + vv * load8(row + 16)
                a3 = a3 + vv * load8(row + 24)
            }
            store8(a0, z + k); store8(a1, z + k + 8); store8(a2, z + k + 16); store8(a3, z + k + 24)
            k += 32
        }
        // The last columns (all of them in a small network: the paper's 8+8 has 20 and 27)
        // row by row, as the plain loop: one pass over the rows, the compiler vectorises it.
        if k < width {
            for r in 0..<rows {
                let v = input[r]
                if v == 0 { continue }
                let row = weight + r * width
                for j in k..<width { z[j] += v * row[j] }
            }
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

    /// gW[r, :] += sum over t = steps-1 down to 0 of input_t[r] * dz_t (zero inputs skipped):
    /// the weight gradient of a whole sequence at once, after the backward pass stored every
    /// step's dz (dz_t at dz + t * width, input_t at input + t * inputStride).
    ///
    /// Each gW[r, k] receives its terms in the same order as `addOuter` called once per step
    /// from the last step down, so the two are bit-identical; blocked so that 32 columns of a
    /// gradient row stay in registers over all steps (the gradient matrix is read and written
    /// once per sequence instead of once per step).
    static func addOuterSteps(_ gW: UnsafeMutablePointer<Float>, width: Int,
                              input: UnsafePointer<Float>, inputStride: Int, rows: Int,
                              dz: UnsafePointer<Float>, steps: Int) {
        var k = 0
        while k + 32 <= width {
            for r in 0..<rows {
                let g = gW + r * width + k
                var a0 = load8(g), a1 = load8(g + 8), a2 = load8(g + 16), a3 = load8(g + 24)
                var t = steps - 1
                while t >= 0 {
                    let v = input[t * inputStride + r]
                    if v != 0 {
                        let d = dz + t * width + k
                        let vv = SIMD8<Float>(repeating: v)
                        a0 = a0 + vv * load8(d)
                        a1 = a1 + vv * load8(d + 8)
                        a2 = a2 + vv * load8(d + 16)
                        a3 = a3 + vv * load8(d + 24)
                    }
                    t -= 1
                }
                store8(a0, g); store8(a1, g + 8); store8(a2, g + 16); store8(a3, g + 24)
            }
            k += 32
        }
        while k + 8 <= width {
            for r in 0..<rows {
                let g = gW + r * width + k
                var a0 = load8(g)
                var t = steps - 1
                while t >= 0 {
                    let v = input[t * inputStride + r]
                    if v != 0 { a0 = a0 + SIMD8<Float>(repeating: v) * load8(dz + t * width + k) }
                    t -= 1
                }
                store8(a0, g)
            }
            k += 8
        }
        if k < width {
            for r in 0..<rows {
                let g = gW + r * width
                var t = steps - 1
                while t >= 0 {
                    let v = input[t * inputStride + r]
                    if v != 0 {
                        let d = dz + t * width
                        for j in k..<width { g[j] += v * d[j] }
                    }
                    t -= 1
                }
            }
        }
    }

    /// out[r] (+)= W[r, :] . dz for r in 0..<rows (gradient back through the rows).
    /// Partial sums in 8 lanes (two vectors per row, two rows at a time, for independent
    /// add chains), then summed across lanes: a fixed order, the same on every run.
    @inline(__always)
    static func rowDots(_ out: UnsafeMutablePointer<Float>, accumulate: Bool, width: Int,
                        weight: UnsafePointer<Float>, rows: Int, dz: UnsafePointer<Float>) {
        var r = 0
        while r + 2 <= rows {
            let row0 = weight + r * width, row1 = row0 + width
            var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), b0 = SIMD8<Float>(), b1 = SIMD8<Float>()
            var k = 0
            while k + 16 <= width {
                let d0 = load8(dz + k), d1 = load8(dz + k + 8)
                a0 = a0 + load8(row0 + k) * d0
                a1 = a1 + load8(row0 + k + 8) * d1
                b0 = b0 + load8(row1 + k) * d0
                b1 = b1 + load8(row1 + k + 8) * d1
                k += 16
            }
            var s0 = (a0 + a1).sum(), s1 = (b0 + b1).sum()
            while k < width {
                s0 += row0[k] * dz[k]
                s1 += row1[k] * dz[k]
                k += 1
            }
            out[r] = accumulate ? out[r] + s0 : s0
            out[r + 1] = accumulate ? out[r + 1] + s1 : s1
            r += 2
        }
        if r < rows {
            let row = weight + r * width
            var a0 = SIMD8<Float>(), a1 = SIMD8<Float>()
            var k = 0
            while k + 16 <= width {
                a0 = a0 + load8(row + k) * load8(dz + k)
                a1 = a1 + load8(row + k + 8) * load8(dz + k + 8)
                k += 16
            }
            var s = (a0 + a1).sum()
            while k < width {
                s += row[k] * dz[k]
                k += 1
            }
            out[r] = accumulate ? out[r] + s : s
        }
    }

    @inline(__always)
    static func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inline(__always)
    static func load8(_ p: UnsafeMutablePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inline(__always)
    static func store8(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
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
