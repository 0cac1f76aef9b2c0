// Hand-run tools for LSTMModel (never run by CI). Build in release:
//
//   swift build -c release --product lstm-dev
//   .build/release/lstm-dev bench [--blocks B --cells C --kind K]   step latency (default network)
//   .build/release/lstm-dev steps N               N steps, nothing else (for valgrind/heaptrack)
//   .build/release/lstm-dev throughput            training slices/s by batch size and threads
//   .build/release/lstm-dev experiment [options]  learn the synthetic blues task, report time
//       --blocks B --cells C      blocks and cells per block for each part (default 4 2)
//       --kind lstm|tanhRNN       cell kind
//       --optimizer adam|rmsprop|sgd   --lr RATE   --cyclic MIN   (triangular MIN..RATE)
//       --batch N  --sequences N  --choruses N  --threads N  --seed N  --max-seconds S
//       --forget-bias X           override the forget-gate bias (paper: staggered negative)
//       --clip X                  gradient norm clip (0: none)
import Foundation
import LSTMModel
import MusicCore

var args = Array(CommandLine.arguments.dropFirst())
let command = args.isEmpty ? "bench" : args.removeFirst()

@MainActor func option(_ name: String, _ fallback: String) -> String {
    if let i = args.firstIndex(of: name), i + 1 < args.count { return args[i + 1] }
    return fallback
}

func nanoseconds(_ body: () -> Void) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - start)
}

switch command {
case "bench":
    var topology = Topology.default(cellKind: CellKind(rawValue: option("--kind", "lstm"))!)
    topology.chordBlocks = Int(option("--blocks", "4"))!; topology.melodyBlocks = topology.chordBlocks
    topology.chordCellsPerBlock = Int(option("--cells", "2"))!; topology.melodyCellsPerBlock = topology.chordCellsPerBlock
    let net = Network(topology: topology, seed: 1)
    let state = net.makeState()
    // Realistic sparse inputs: a 4-note chord (+ onset unit), one melody pitch (+ onset).
    var rng = SeededGenerator(seed: 2)
    var chordInputs: [[Float]] = [], melodyInputs: [[Float]] = []
    for _ in 0..<64 {
        var c = [Float](repeating: 0, count: 13), m = [Float](repeating: 0, count: 15)
        for _ in 0..<4 { c[Int(rng.next() % 12)] = 1 }
        c[12] = Float(rng.next() % 2)
        m[Int(rng.next() % 14)] = 1
        m[14] = Float(rng.next() % 2)
        chordInputs.append(c); melodyInputs.append(m)
    }
    let sampler = Sampler(.top7)
    var chordOut = [Float](repeating: 0, count: 13)
    // Warm up.
    for i in 0..<100_000 { net.step(state, chordInput: chordInputs[i & 63], melodyInput: melodyInputs[i & 63]) }
    // (a) single steps, each timed (includes ~20-40 ns of clock overhead).
    var single: [Double] = []
    for i in 0..<200_000 {
        let c = chordInputs[i & 63], m = melodyInputs[i & 63]
        single.append(nanoseconds { net.step(state, chordInput: c, melodyInput: m) })
    }
    single.sort()
    // (b) blocks of 1000 steps, mean per step.
    var blocks: [Double] = []
    for _ in 0..<300 {
        blocks.append(nanoseconds {
            for i in 0..<1000 { net.step(state, chordInput: chordInputs[i & 63], melodyInput: melodyInputs[i & 63]) }
        } / 1000)
    }
    blocks.sort()
    // (c) step + sampling (top-7, threshold), as the real-time loop does it.
    var withSampling: [Double] = []
    for i in 0..<200_000 {
        let c = chordInputs[i & 63], m = melodyInputs[i & 63]
        withSampling.append(nanoseconds {
            net.step(state, chordInput: c, melodyInput: m)
            _ = chordOut.withUnsafeMutableBufferPointer { sampler.sample(state, chordUnits: $0, using: &rng) }
        })
    }
    withSampling.sort()
    func pct(_ a: [Double], _ p: Double) -> String { String(format: "%.0f", a[Int(Double(a.count - 1) * p)]) }
    print("default topology: \(topology.jsonString), \(net.layout.count) parameters")
    print("step, timed singly:   median \(pct(single, 0.5)) ns, p99 \(pct(single, 0.99)) ns, max \(pct(single, 1))")
    print("step, 1000 in a row:  median \(pct(blocks, 0.5)) ns per step")
    print("step + sample top-7:  median \(pct(withSampling, 0.5)) ns, p99 \(pct(withSampling, 0.99)) ns")

case "steps":
    let n = Int(args.first ?? "1000") ?? 1000
    let net = Network(topology: .default(), seed: 1)
    let state = net.makeState()
    var c = [Float](repeating: 0, count: 13), m = [Float](repeating: 0, count: 15)
    c[0] = 1; c[4] = 1; c[7] = 1; m[3] = 1
    var rng = SeededGenerator(seed: 3)
    let sampler = Sampler(SamplingOptions(chord: .bernoulli, temperature: 1.5, topK: 7))
    var out = [Float](repeating: 0, count: 13)
    var acc = 0
    for _ in 0..<n {
        net.step(state, chordInput: c, melodyInput: m)
        acc &+= out.withUnsafeMutableBufferPointer { sampler.sample(state, chordUnits: $0, using: &rng) }
    }
    print("steps \(n) checksum \(acc)")

case "experiment":
    let blocks = Int(option("--blocks", "4"))!
    let cells = Int(option("--cells", "2"))!
    let kind = CellKind(rawValue: option("--kind", "lstm"))!
    let lr = Float(option("--lr", "0.01"))!
    let cyclicMin = Float(option("--cyclic", "0"))!
    let batch = Int(option("--batch", "2"))!
    let count = Int(option("--sequences", "32"))!
    let choruses = Int(option("--choruses", "2"))!
    let threads = Int(option("--threads", "2"))!
    let seed = UInt64(option("--seed", "1"))!
    let maxSeconds = Double(option("--max-seconds", "60"))!
    let clip = Float(option("--clip", "1"))!
    let forgetBias = Float(option("--forget-bias", "nan"))!
    let optimizer: Optimizer
    switch option("--optimizer", "adam") {
    case "sgd": optimizer = .paperSGD
    case "rmsprop": optimizer = .rmsprop
    default: optimizer = .adam
    }
    var topology = Topology.default(cellKind: kind)
    topology.chordBlocks = blocks; topology.melodyBlocks = blocks
    topology.chordCellsPerBlock = cells; topology.melodyCellsPerBlock = cells
    let initialization = Initialization(forgetGateBias: forgetBias.isNaN ? nil : forgetBias)
    let net = Network(topology: topology, seed: seed, initialization: initialization)
    var rng = SeededGenerator(seed: seed &+ 100)
    let data = (0..<count).map { _ in BluesTask.sequence(choruses: choruses, rng: &rng) }
    let validation = (0..<8).map { _ in BluesTask.sequence(choruses: choruses, rng: &rng) }
    let schedule: LearningRateSchedule = cyclicMin > 0
        ? .triangular(min: cyclicMin, max: lr, halfCycle: 4 * max(1, count / batch)) : .constant(lr)
    let trainer = Trainer(network: net, optimizer: optimizer, schedule: schedule,
                          clip: clip > 0 ? clip : nil, batchSize: batch, seed: seed, threads: threads)
    print("topology \(topology.jsonString) params \(net.layout.count) optimizer \(optimizer) schedule \(schedule) batch \(batch) data \(count)x\(data[0].length) threads \(threads)")
    var elapsed = 0.0
    var slices = 0
    var learnedAt: Double? = nil
    var epoch = 0
    while elapsed < maxSeconds {
        let stats = trainer.trainEpoch(sequences: data)
        elapsed += stats.seconds
        slices += stats.loss.slices
        epoch += 1
        let run = BluesTask.freeRun(trainer.network, steps: 2 * BluesTask.chorus, seed: 7)
        if epoch % 10 == 0 || run.chordErrors == 0 {
            let v = trainer.evaluate(sequences: validation)
            print(String(format: "epoch %4d  %6.2fs  train %.4f (chord %.4f melody %.4f)  valid %.4f  |g| %.3f  free-run chord errors %d/%d  melody in chord %.2f  %.0f slices/s",
                         epoch, elapsed, stats.loss.total, stats.loss.chord, stats.loss.melody, v.total,
                         stats.meanGradientNorm, run.chordErrors, 2 * BluesTask.chorus, run.melodyInChord,
                         stats.slicesPerSecond))
        }
        if run.chordErrors == 0 {
            // Confirm on a longer free run (4 choruses) with other melody draws.
            let long = BluesTask.freeRun(trainer.network, steps: 4 * BluesTask.chorus, seed: 99)
            if long.chordErrors == 0 { learnedAt = elapsed; break }
        }
    }
    if let t = learnedAt {
        print(String(format: "LEARNED in %.2f s, %d epochs, %.0f slices/s", t, epoch, Double(slices) / elapsed))
    } else {
        print(String(format: "NOT learned within %.0f s (%d epochs, %.0f slices/s)", maxSeconds, epoch, Double(slices) / elapsed))
    }

case "throughput":
    // Training throughput (forward + backward + update) on the synthetic task, by batch size
    // and thread count.
    var rng = SeededGenerator(seed: 1)
    let data = (0..<64).map { _ in BluesTask.sequence(choruses: 2, rng: &rng) }
    for batch in [1, 2, 4, 8, 16] {
        for threads in [1, 2] {
            let trainer = Trainer(network: Network(topology: .default(), seed: 1), batchSize: batch, seed: 1, threads: threads)
            _ = trainer.trainEpoch(sequences: data)
            var seconds = 0.0, slices = 0
            for _ in 0..<60 {
                let s = trainer.trainEpoch(sequences: data)
                seconds += s.seconds
                slices += s.loss.slices
            }
            print(String(format: "batch %2d threads %d: %8.0f slices/s", batch, threads, Double(slices) / seconds))
        }
    }

default:
    print("usage: lstm-dev bench | steps N | experiment [options]")
}
