import Foundation

/// A plain, readable Double-precision implementation of the same network, kept beside the
/// fast Float one (as llm.c keeps its reference): forward and backward functions in pairs,
/// allocation everywhere, no tricks. Tests check it against finite differences and against
/// PyTorch (Tests/LSTMModelTests/Fixtures/golden.safetensors), and check the fast path
/// against it.
///
/// Conventions: vectors are [Double]; a weight matrix W of shape [I, O] is row-major and
/// input-major (W[r * O + k] connects input r to output k), as in `ParameterLayout`.
/// The loss of a sequence is the sum over its steps of
///     sum_k BCE(sigmoid(a_c[k]), y_c[k]) - log softmax(a_m)[target]
/// and `lossAndGradient` returns the gradient of that sum divided by T (loss per slice).
public enum Reference {
    // MARK: Linear layer

    /// out [O] = b [O] + sum_r input[r] * W[r, :];  input [I], W [I, O].
    public static func linearForward(_ input: [Double], _ w: [Double], _ b: [Double]) -> [Double] {
        let o = b.count
        precondition(w.count == input.count * o)
        var out = b
        for r in 0..<input.count {
            for k in 0..<o { out[k] += input[r] * w[r * o + k] }
        }
        return out
    }

    /// Backward of `linearForward`: dW [I, O] += input ⊗ dout; db [O] += dout;
    /// returns dinput [I] = W dout.
    public static func linearBackward(_ dout: [Double], _ input: [Double], _ w: [Double],
                                      dw: inout [Double], db: inout [Double]) -> [Double] {
        let o = dout.count
        var din = [Double](repeating: 0, count: input.count)
        for r in 0..<input.count {
            for k in 0..<o {
                dw[r * o + k] += input[r] * dout[k]
                din[r] += w[r * o + k] * dout[k]
            }
        }
        for k in 0..<o { db[k] += dout[k] }
        return din
    }

    // MARK: LSTM blocks

    /// What one LSTM step keeps for its backward pass.
    public struct LSTMCache {
        /// Cell inputs g [H] = tanh(z[0..<H]).
        public var g: [Double]
        /// Gates per block [B] each: sigmoid of z.
        public var i: [Double], f: [Double], o: [Double]
        /// c(t-1) [H], c(t) [H], h(t) [H].
        public var cPrev: [Double], c: [Double], h: [Double]
    }

    /// z [H + 3B] (cell inputs, input gates, forget gates, output gates), cPrev [H]
    /// -> c [H], h [H]. Cell j belongs to block j / cellsPerBlock.
    ///     c_j = f_b cPrev_j + i_b tanh(z_j),   h_j = o_b tanh(c_j)
    public static func lstmForward(_ z: [Double], cPrev: [Double], blocks: Int, cellsPerBlock: Int) -> LSTMCache {
        let h = blocks * cellsPerBlock
        precondition(z.count == h + 3 * blocks && cPrev.count == h)
        let g = (0..<h).map { tanh(z[$0]) }
        let i = (0..<blocks).map { sigmoid(z[h + $0]) }
        let f = (0..<blocks).map { sigmoid(z[h + blocks + $0]) }
        let o = (0..<blocks).map { sigmoid(z[h + 2 * blocks + $0]) }
        var c = [Double](repeating: 0, count: h), out = c
        for j in 0..<h {
            let b = j / cellsPerBlock
            c[j] = f[b] * cPrev[j] + i[b] * g[j]
            out[j] = o[b] * tanh(c[j])
        }
        return LSTMCache(g: g, i: i, f: f, o: o, cPrev: cPrev, c: c, h: out)
    }

    /// Backward of `lstmForward`: dh [H] (all paths into h(t)), dcNext [H] (dLoss/dc(t) via
    /// c(t+1)) -> dz [H + 3B], dcPrev [H] (dLoss/dc(t-1) via c(t)).
    public static func lstmBackward(dh: [Double], dcNext: [Double], cache k: LSTMCache,
                                    blocks: Int, cellsPerBlock: Int) -> (dz: [Double], dcPrev: [Double]) {
        let h = blocks * cellsPerBlock
        var dz = [Double](repeating: 0, count: h + 3 * blocks)
        var dcPrev = [Double](repeating: 0, count: h)
        var di = [Double](repeating: 0, count: blocks), df = di, dO = di
        for j in 0..<h {
            let b = j / cellsPerBlock
            let tc = tanh(k.c[j])
            dO[b] += dh[j] * tc
            let dc = dcNext[j] + dh[j] * k.o[b] * (1 - tc * tc)
            di[b] += dc * k.g[j]
            df[b] += dc * k.cPrev[j]
            dz[j] = dc * k.i[b] * (1 - k.g[j] * k.g[j])
            dcPrev[j] = dc * k.f[b]
        }
        for b in 0..<blocks {
            dz[h + b] = di[b] * k.i[b] * (1 - k.i[b])
            dz[h + blocks + b] = df[b] * k.f[b] * (1 - k.f[b])
            dz[h + 2 * blocks + b] = dO[b] * k.o[b] * (1 - k.o[b])
        }
        return (dz, dcPrev)
    }

    // MARK: tanh units

    /// z [H] -> h [H] = tanh(z).
    public static func tanhForward(_ z: [Double]) -> [Double] { z.map { tanh($0) } }

    /// Backward of `tanhForward`: dh [H], h [H] -> dz [H] = dh (1 - h^2).
    public static func tanhBackward(dh: [Double], h: [Double]) -> [Double] {
        zip(dh, h).map { $0 * (1 - $1 * $1) }
    }

    // MARK: Output layers and losses

    /// logits [O], targets [O] in [0, 1] -> probabilities [O] = sigmoid(logits),
    /// loss = sum_k -y_k log p_k - (1 - y_k) log(1 - p_k) (computed stably from logits).
    public static func sigmoidBCEForward(_ logits: [Double], _ targets: [Double]) -> (probs: [Double], loss: Double) {
        var loss = 0.0
        for (a, y) in zip(logits, targets) { loss += max(a, 0) - y * a + log1p(exp(-abs(a))) }
        return (logits.map(sigmoid), loss)
    }

    /// Backward of `sigmoidBCEForward`: dlogits [O] = probs - targets.
    public static func sigmoidBCEBackward(_ probs: [Double], _ targets: [Double]) -> [Double] {
        zip(probs, targets).map { $0 - $1 }
    }

    /// logits [C], target class -> probabilities [C] = softmax(logits), loss = -log p[target].
    public static func softmaxCEForward(_ logits: [Double], _ target: Int) -> (probs: [Double], loss: Double) {
        let m = logits.max()!
        let e = logits.map { exp($0 - m) }
        let s = e.reduce(0, +)
        return (e.map { $0 / s }, log(s) + m - logits[target])
    }

    /// Backward of `softmaxCEForward`: dlogits [C] = probs - onehot(target).
    public static func softmaxCEBackward(_ probs: [Double], _ target: Int) -> [Double] {
        var d = probs
        d[target] -= 1
        return d
    }

    public static func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }

    // MARK: Whole network

    public struct Result {
        /// Loss sums over the sequence (`LossStats` divides by T).
        public var loss: LossStats
        /// [T * Oc] and [T * Cm] teacher-forced probabilities.
        public var chordProbs: [Double]
        public var melodyProbs: [Double]
        /// Gradient of the loss per slice, flat in `ParameterLayout` order.
        public var gradient: [Double]
    }

    /// Forward and backward over one sequence from the zero state.
    public static func lossAndGradient(topology tp: Topology, parameters: [Double],
                                       sequence s: TrainingSequence) -> Result {
        let layout = ParameterLayout(tp)
        precondition(parameters.count == layout.count)
        func tensor(_ name: String) -> [Double] {
            let slot = layout.slot(named: name)!
            return Array(parameters[slot.offset..<(slot.offset + slot.count)])
        }
        let wC = tensor("chord.weight"), bC = tensor("chord.bias")
        let wM = tensor("melody.weight"), bM = tensor("melody.bias")
        let wCO = tensor("chord_out.weight"), bCO = tensor("chord_out.bias")
        let wMO = tensor("melody_out.weight"), bMO = tensor("melody_out.bias")
        let T = s.length, ic = tp.chordInputs, im = tp.melodyInputs, oc = tp.chordOutputs
        let hc = tp.chordCells, hm = tp.melodyCells
        let lstm = tp.cellKind == .lstm
        func xc(_ t: Int) -> [Double] { s.chordInputs[(t * ic)..<((t + 1) * ic)].map(Double.init) }
        func xm(_ t: Int) -> [Double] { s.melodyInputs[(t * im)..<((t + 1) * im)].map(Double.init) }
        func yc(_ t: Int) -> [Double] { s.chordTargets[(t * oc)..<((t + 1) * oc)].map(Double.init) }

        // Forward. h*[t + 1] and c*[t + 1] are the values after step t; index 0 is zero.
        var hC = [[Double]](repeating: [Double](repeating: 0, count: hc), count: T + 1)
        var cC = hC
        var hM = [[Double]](repeating: [Double](repeating: 0, count: hm), count: T + 1)
        var cM = hM
        var cacheC: [LSTMCache] = [], cacheM: [LSTMCache] = []
        var probsC: [[Double]] = [], probsM: [[Double]] = []
        var loss = LossStats()
        for t in 0..<T {
            let zC = linearForward(xc(t) + hC[t], wC, bC)
            let zM = linearForward(xm(t) + hC[t] + hM[t], wM, bM)
            if lstm {
                let kC = lstmForward(zC, cPrev: cC[t], blocks: tp.chordBlocks, cellsPerBlock: tp.chordCellsPerBlock)
                let kM = lstmForward(zM, cPrev: cM[t], blocks: tp.melodyBlocks, cellsPerBlock: tp.melodyCellsPerBlock)
                cacheC.append(kC); cacheM.append(kM)
                hC[t + 1] = kC.h; cC[t + 1] = kC.c
                hM[t + 1] = kM.h; cM[t + 1] = kM.c
            } else {
                hC[t + 1] = tanhForward(zC)
                hM[t + 1] = tanhForward(zM)
            }
            let (pC, lC) = sigmoidBCEForward(linearForward(hC[t + 1] + xc(t), wCO, bCO), yc(t))
            let (pM, lM) = softmaxCEForward(linearForward(hM[t + 1] + xm(t), wMO, bMO), Int(s.melodyTargets[t]))
            probsC.append(pC); probsM.append(pM)
            loss = loss + LossStats(chordSum: lC, melodySum: lM, slices: 1)
        }

        // Backward.
        var gWC = [Double](repeating: 0, count: wC.count), gBC = [Double](repeating: 0, count: bC.count)
        var gWM = [Double](repeating: 0, count: wM.count), gBM = [Double](repeating: 0, count: bM.count)
        var gWCO = [Double](repeating: 0, count: wCO.count), gBCO = [Double](repeating: 0, count: bCO.count)
        var gWMO = [Double](repeating: 0, count: wMO.count), gBMO = [Double](repeating: 0, count: bMO.count)
        let scale = 1 / Double(T)
        var dhCNext = [Double](repeating: 0, count: hc)   // into h_c(t) from step t+1
        var dhMNext = [Double](repeating: 0, count: hm)   // into h_m(t) from step t+1
        var dcCNext = [Double](repeating: 0, count: hc)
        var dcMNext = [Double](repeating: 0, count: hm)
        for t in stride(from: T - 1, through: 0, by: -1) {
            let daC = sigmoidBCEBackward(probsC[t], yc(t)).map { $0 * scale }
            let daM = softmaxCEBackward(probsM[t], Int(s.melodyTargets[t])).map { $0 * scale }
            let dInCO = linearBackward(daC, hC[t + 1] + xc(t), wCO, dw: &gWCO, db: &gBCO)
            let dInMO = linearBackward(daM, hM[t + 1] + xm(t), wMO, dw: &gWMO, db: &gBMO)
            let dhC = (0..<hc).map { dInCO[$0] + dhCNext[$0] }
            let dhM = (0..<hm).map { dInMO[$0] + dhMNext[$0] }
            let dzC: [Double], dzM: [Double]
            if lstm {
                (dzC, dcCNext) = lstmBackward(dh: dhC, dcNext: dcCNext, cache: cacheC[t],
                                              blocks: tp.chordBlocks, cellsPerBlock: tp.chordCellsPerBlock)
                (dzM, dcMNext) = lstmBackward(dh: dhM, dcNext: dcMNext, cache: cacheM[t],
                                              blocks: tp.melodyBlocks, cellsPerBlock: tp.melodyCellsPerBlock)
            } else {
                dzC = tanhBackward(dh: dhC, h: hC[t + 1])
                dzM = tanhBackward(dh: dhM, h: hM[t + 1])
            }
            // Rows of the inputs: chord [x_c, h_c(t-1)]; melody [x_m, h_c(t-1), h_m(t-1)].
            let dInC = linearBackward(dzC, xc(t) + hC[t], wC, dw: &gWC, db: &gBC)
            let dInM = linearBackward(dzM, xm(t) + hC[t] + hM[t], wM, dw: &gWM, db: &gBM)
            dhCNext = (0..<hc).map { dInC[ic + $0] + dInM[im + $0] }
            dhMNext = (0..<hm).map { dInM[im + hc + $0] }
        }
        let gradient = gWC + gBC + gWM + gBM + gWCO + gBCO + gWMO + gBMO
        precondition(gradient.count == layout.count)
        return Result(loss: loss, chordProbs: probsC.flatMap { $0 }, melodyProbs: probsM.flatMap { $0 },
                      gradient: gradient)
    }

    /// Loss per slice only (for finite differences).
    public static func loss(topology: Topology, parameters: [Double], sequence: TrainingSequence) -> Double {
        lossAndGradient(topology: topology, parameters: parameters, sequence: sequence).loss.total
    }
}
