import Foundation  // log1p, exp, log for loss values (training path only)

/// Per-thread scratch for backpropagation through time over whole sequences: the forward
/// activations of every step plus the backward carries. Grows to the longest sequence seen
/// and is then reused, so training allocates nothing per step.
///
/// `@unchecked Sendable`: a workspace is handed to one worker at a time (one batch slot).
final class SequenceWorkspace: @unchecked Sendable {
    let dims: Dims
    private(set) var capacity = 0

    // Forward caches, one row per step (h and c have a row 0 for the zero initial state).
    private var chordAct = Buffer(), chordC = Buffer(), chordTanh = Buffer(), chordH = Buffer()
    private var melodyAct = Buffer(), melodyC = Buffer(), melodyTanh = Buffer(), melodyH = Buffer()
    private var chordProbs = Buffer(), melodyProbs = Buffer()
    // Backward: every step's dz, for the weight gradients taken once per sequence.
    private var chordDz = Buffer(), melodyDz = Buffer()
    // Per-step scratch.
    private let scratch: UnsafeMutablePointer<Float>
    private let chordLogits, melodyLogits: UnsafeMutablePointer<Float>
    private let dhC, dhM, dcC, dcM, carryC, carryCM, carryM, daC, daM: UnsafeMutablePointer<Float>
    private let scratchCount: Int

    init(dims d: Dims) {
        dims = d
        let sizes = [d.oc, d.cm, d.hc, d.hm, d.hc, d.hm, d.hc, d.hc, d.hm, d.oc, d.cm]
        scratchCount = sizes.reduce(0, +)
        let base = UnsafeMutablePointer<Float>.allocate(capacity: scratchCount)
        base.initialize(repeating: 0, count: scratchCount)
        scratch = base
        var o = 0
        func take(_ n: Int) -> UnsafeMutablePointer<Float> { defer { o += n }; return base + o }
        chordLogits = take(d.oc); melodyLogits = take(d.cm)
        dhC = take(d.hc); dhM = take(d.hm)
        dcC = take(d.hc); dcM = take(d.hm)
        carryC = take(d.hc); carryCM = take(d.hc); carryM = take(d.hm)
        daC = take(d.oc); daM = take(d.cm)
    }

    deinit {
        scratch.deallocate()
        for b in [chordAct, chordC, chordTanh, chordH, melodyAct, melodyC, melodyTanh, melodyH,
                  chordProbs, melodyProbs, chordDz, melodyDz] { b.free() }
    }

    private func reserve(_ steps: Int) {
        guard steps > capacity else { return }
        let d = dims
        chordAct.resize(steps * d.gc); chordC.resize((steps + 1) * d.hc)
        chordTanh.resize(steps * d.hc); chordH.resize((steps + 1) * d.hc)
        melodyAct.resize(steps * d.gm); melodyC.resize((steps + 1) * d.hm)
        melodyTanh.resize(steps * d.hm); melodyH.resize((steps + 1) * d.hm)
        chordProbs.resize(steps * d.oc); melodyProbs.resize(steps * d.cm)
        chordDz.resize(steps * d.gc); melodyDz.resize(steps * d.gm)
        capacity = steps
    }

    /// Teacher-forced forward pass over a sequence from the zero state, keeping every step's
    /// activations; returns the loss sums.
    func forward(parameters p: UnsafePointer<Float>, sequence s: TrainingSequence) -> LossStats {
        let d = dims
        let T = s.length
        reserve(T)
        chordC.p.update(repeating: 0, count: d.hc); chordH.p.update(repeating: 0, count: d.hc)
        melodyC.p.update(repeating: 0, count: d.hm); melodyH.p.update(repeating: 0, count: d.hm)
        var chordLoss = 0.0, melodyLoss = 0.0
        s.chordInputs.withUnsafeBufferPointer { xcAll in
        s.melodyInputs.withUnsafeBufferPointer { xmAll in
        s.chordTargets.withUnsafeBufferPointer { ycAll in
            for t in 0..<T {
                let chord = PartBuffers(z: chordAct.p + t * d.gc, cPrev: chordC.p + t * d.hc,
                                        c: chordC.p + (t + 1) * d.hc, tanhC: chordTanh.p + t * d.hc,
                                        hPrev: chordH.p + t * d.hc, h: chordH.p + (t + 1) * d.hc)
                let melody = PartBuffers(z: melodyAct.p + t * d.gm, cPrev: melodyC.p + t * d.hm,
                                         c: melodyC.p + (t + 1) * d.hm, tanhC: melodyTanh.p + t * d.hm,
                                         hPrev: melodyH.p + t * d.hm, h: melodyH.p + (t + 1) * d.hm)
                let probsC = chordProbs.p + t * d.oc
                let probsM = melodyProbs.p + t * d.cm
                Network.forwardStep(d, p, xc: xcAll.baseAddress! + t * d.ic, xm: xmAll.baseAddress! + t * d.im,
                                    chord: chord, melody: melody,
                                    chordLogits: chordLogits, chordProbs: probsC,
                                    melodyLogits: melodyLogits, melodyProbs: probsM)
                // Binary cross-entropy from logits: softplus(a) - y a, stable for any a.
                let yc = ycAll.baseAddress! + t * d.oc
                for k in 0..<d.oc {
                    let a = Double(chordLogits[k])
                    chordLoss += max(a, 0) - Double(yc[k]) * a + log1p(exp(-abs(a)))
                }
                let target = Int(s.melodyTargets[t])
                melodyLoss -= log(max(Double(probsM[target]), 1e-45))
            }
        }
        }
        }
        return LossStats(chordSum: chordLoss, melodySum: melodyLoss, slices: T)
    }

    /// Backward pass after `forward` over the same sequence: adds scale * dLoss/dparameters
    /// to `g` (Loss = sum over steps of the slice loss).
    func backward(parameters p: UnsafePointer<Float>, sequence s: TrainingSequence, scale: Float,
                  gradient g: UnsafeMutablePointer<Float>) {
        let d = dims
        let T = s.length
        dcC.update(repeating: 0, count: d.hc)
        carryC.update(repeating: 0, count: d.hc)
        carryCM.update(repeating: 0, count: d.hc)
        dcM.update(repeating: 0, count: d.hm)
        carryM.update(repeating: 0, count: d.hm)
        let wC = p + d.chordWeight, wM = p + d.melodyWeight
        let wCO = p + d.chordOutWeight, wMO = p + d.melodyOutWeight
        let gWC = g + d.chordWeight, gBC = g + d.chordBias
        let gWM = g + d.melodyWeight, gBM = g + d.melodyBias
        let gWCO = g + d.chordOutWeight, gBCO = g + d.chordOutBias
        let gWMO = g + d.melodyOutWeight, gBMO = g + d.melodyOutBias
        s.chordInputs.withUnsafeBufferPointer { xcAll in
        s.melodyInputs.withUnsafeBufferPointer { xmAll in
        s.chordTargets.withUnsafeBufferPointer { ycAll in
            for t in stride(from: T - 1, through: 0, by: -1) {
                let xc = xcAll.baseAddress! + t * d.ic
                let xm = xmAll.baseAddress! + t * d.im
                let yc = ycAll.baseAddress! + t * d.oc
                let probsC = chordProbs.p + t * d.oc
                let probsM = melodyProbs.p + t * d.cm
                let hcNow = chordH.p + (t + 1) * d.hc
                let hmNow = melodyH.p + (t + 1) * d.hm
                let dzC = chordDz.p + t * d.gc, dzM = melodyDz.p + t * d.gm

                // Output layers: dLoss/dlogits = probabilities - targets.
                for k in 0..<d.oc { daC[k] = (probsC[k] - yc[k]) * scale }
                for k in 0..<d.cm { daM[k] = probsM[k] * scale }
                daM[Int(s.melodyTargets[t])] -= scale
                Kernels.addOuter(gWCO, width: d.oc, input: hcNow, rows: d.hc, dz: daC)
                Kernels.addOuter(gWCO + d.hc * d.oc, width: d.oc, input: xc, rows: d.ic, dz: daC)
                for k in 0..<d.oc { gBCO[k] += daC[k] }
                Kernels.addOuter(gWMO, width: d.cm, input: hmNow, rows: d.hm, dz: daM)
                Kernels.addOuter(gWMO + d.hm * d.cm, width: d.cm, input: xm, rows: d.im, dz: daM)
                for k in 0..<d.cm { gBMO[k] += daM[k] }

                // dLoss/dh(t): output layer + both parts' recurrence at t+1.
                Kernels.rowDots(dhC, accumulate: false, width: d.oc, weight: wCO, rows: d.hc, dz: daC)
                for j in 0..<d.hc { dhC[j] += carryC[j] + carryCM[j] }
                Kernels.rowDots(dhM, accumulate: false, width: d.cm, weight: wMO, rows: d.hm, dz: daM)
                for j in 0..<d.hm { dhM[j] += carryM[j] }

                // Melody part.
                if d.lstm {
                    Kernels.lstmBackward(dh: dhM, dcCarry: dcM, act: melodyAct.p + t * d.gm,
                                         cPrev: melodyC.p + t * d.hm, tanhC: melodyTanh.p + t * d.hm,
                                         dz: dzM, blocks: d.bm, cellsPerBlock: d.nm)
                } else {
                    Kernels.tanhBackward(dh: dhM, h: hmNow, dz: dzM, count: d.hm)
                }
                for k in 0..<d.gm { gBM[k] += dzM[k] }

                // Chord part.
                if d.lstm {
                    Kernels.lstmBackward(dh: dhC, dcCarry: dcC, act: chordAct.p + t * d.gc,
                                         cPrev: chordC.p + t * d.hc, tanhC: chordTanh.p + t * d.hc,
                                         dz: dzC, blocks: d.bc, cellsPerBlock: d.nc)
                } else {
                    Kernels.tanhBackward(dh: dhC, h: hcNow, dz: dzC, count: d.hc)
                }
                for k in 0..<d.gc { gBC[k] += dzC[k] }

                // Carries into step t-1 (nothing flows past t = 0).
                if t > 0 {
                    Kernels.rowDots(carryCM, accumulate: false, width: d.gm, weight: wM + d.im * d.gm,
                                    rows: d.hc, dz: dzM)
                    Kernels.rowDots(carryM, accumulate: false, width: d.gm, weight: wM + (d.im + d.hc) * d.gm,
                                    rows: d.hm, dz: dzM)
                    Kernels.rowDots(carryC, accumulate: false, width: d.gc, weight: wC + d.ic * d.gc,
                                    rows: d.hc, dz: dzC)
                }
            }
            // The parts' weight gradients, sum over steps of [inputs(t)] outer dz(t); row t of
            // the h caches is h(t-1), the recurrent input of step t.
            let xc = xcAll.baseAddress!, xm = xmAll.baseAddress!
            Kernels.addOuterSteps(gWM, width: d.gm, input: xm, inputStride: d.im, rows: d.im, dz: melodyDz.p, steps: T)
            Kernels.addOuterSteps(gWM + d.im * d.gm, width: d.gm, input: chordH.p, inputStride: d.hc, rows: d.hc,
                                  dz: melodyDz.p, steps: T)
            Kernels.addOuterSteps(gWM + (d.im + d.hc) * d.gm, width: d.gm, input: melodyH.p, inputStride: d.hm,
                                  rows: d.hm, dz: melodyDz.p, steps: T)
            Kernels.addOuterSteps(gWC, width: d.gc, input: xc, inputStride: d.ic, rows: d.ic, dz: chordDz.p, steps: T)
            Kernels.addOuterSteps(gWC + d.ic * d.gc, width: d.gc, input: chordH.p, inputStride: d.hc, rows: d.hc,
                                  dz: chordDz.p, steps: T)
        }
        }
        }
    }

    /// The probabilities of the last forward pass (for tests): chord [T*Oc], melody [T*Cm].
    func lastProbabilities(steps: Int) -> (chord: [Float], melody: [Float]) {
        (Array(UnsafeBufferPointer(start: chordProbs.p, count: steps * dims.oc)),
         Array(UnsafeBufferPointer(start: melodyProbs.p, count: steps * dims.cm)))
    }
}

/// A growable raw Float buffer owned by a workspace.
struct Buffer {
    var p = UnsafeMutablePointer<Float>.allocate(capacity: 1)
    var count = 1
    mutating func resize(_ n: Int) {
        guard n > count else { return }
        p.deallocate()
        p = .allocate(capacity: n)
        p.initialize(repeating: 0, count: n)
        count = n
    }
    func free() { p.deallocate() }
}

extension Network {
    /// Loss of one sequence (teacher-forced from the zero state) and the gradient of the loss
    /// per slice (the loss sum divided by the sequence length). Allocates; for tests and
    /// tools. `Trainer` does the same per batch without allocating per step.
    public func lossAndGradient(sequence: TrainingSequence) -> (loss: LossStats, gradient: [Float]) {
        precondition(sequence.problem(for: topology) == nil,
                     "sequence does not fit: \(sequence.problem(for: topology) ?? "")")
        let ws = SequenceWorkspace(dims: dims)
        var grad = [Float](repeating: 0, count: layout.count)
        let loss = parameters.withUnsafeBufferPointer { p in
            let loss = ws.forward(parameters: p.baseAddress!, sequence: sequence)
            grad.withUnsafeMutableBufferPointer { g in
                ws.backward(parameters: p.baseAddress!, sequence: sequence,
                            scale: 1 / Float(sequence.length), gradient: g.baseAddress!)
            }
            return loss
        }
        return (loss, grad)
    }

    /// Teacher-forced output probabilities for every step of a sequence (allocates; for tests
    /// and tools): chord [T * chordOutputs], melody [T * melodyClasses].
    public func probabilities(sequence: TrainingSequence) -> (loss: LossStats, chord: [Float], melody: [Float]) {
        precondition(sequence.problem(for: topology) == nil,
                     "sequence does not fit: \(sequence.problem(for: topology) ?? "")")
        let ws = SequenceWorkspace(dims: dims)
        let loss = parameters.withUnsafeBufferPointer { ws.forward(parameters: $0.baseAddress!, sequence: sequence) }
        let (c, m) = ws.lastProbabilities(steps: sequence.length)
        return (loss, c, m)
    }
}
