// improv-bench: the Swift side of bench/run.sh. Prints one JSON object per measurement.
//
//   improv-bench step [--steps N] [--size S]    per-step latency of the built-in model, or of a
//                                               fresh network of size S (ns/step, ns/slice)
//   improv-bench train-throughput [--size S --batch B --threads T --batches N]
//                                               slices per second of training (default: one
//                                               epoch of the built-in size at batch 8)
//   improv-bench time-to-target [--seed S] seconds until the musical target
//   improv-bench export DIR                the training data and checks for the PyTorch side
//   improv-bench engine-slice              time from a slice deadline to its events being queued
//   improv-bench corpus-figures [--model M] held-out loss, free-running rhythm, minor after minor
//   (step and corpus-figures take --model PATH; without it, the built-in model)
import Composer
import Engine
import Foundation
import LSTMModel
import MusicCore

func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

func option(_ name: String, _ fallback: Int) -> Int {
    let args = CommandLine.arguments
    if let i = args.firstIndex(of: name), i + 1 < args.count, let v = Int(args[i + 1]) { return v }
    return fallback
}

/// "4x2+4x2": chord blocks x cells per block + melody blocks x cells per block.
func sizeOption() -> Topology? {
    let args = CommandLine.arguments
    guard let i = args.firstIndex(of: "--size"), i + 1 < args.count else { return nil }
    let parts = args[i + 1].split(separator: "+").map { $0.split(separator: "x").compactMap { Int($0) } }
    guard parts.count == 2, parts.allSatisfy({ $0.count == 2 }) else {
        FileHandle.standardError.write(Data("--size \(args[i + 1]): expected CHORDBLOCKSxCELLS+MELODYBLOCKSxCELLS, e.g. 4x2+4x2\n".utf8))
        exit(2)
    }
    var t = TrainingData.topology(for: encoding, like: .default())
    (t.chordBlocks, t.chordCellsPerBlock, t.melodyBlocks, t.melodyCellsPerBlock) = (parts[0][0], parts[0][1], parts[1][0], parts[1][1])
    return t
}

func sizeName(_ t: Topology) -> String {
    "\(t.chordBlocks)x\(t.chordCellsPerBlock)+\(t.melodyBlocks)x\(t.melodyCellsPerBlock)"
}

/// --model PATH, else the built-in model.
func modelOption() throws -> ImprovModel {
    let args = CommandLine.arguments
    if let i = args.firstIndex(of: "--model"), i + 1 < args.count { return try ImprovModel.load(path: args[i + 1]) }
    return try ImprovModel.builtIn()
}

func emit(_ fields: [String: Any]) {
    let data = try! JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
}

/// The benchmark's fixed corpus: the default training run's (256 choruses, seed 1).
let corpus = TrainingCorpus.eckBlues(choruses: 256, seed: 1)
let encoding = SliceEncoding.eck

switch CommandLine.arguments.dropFirst().first ?? "" {
case "step":
    // Real-time use: encode the heard slice, step once, sample the next (the engine's per-slice work).
    let builtIn = try modelOption()
    let model = sizeOption().map { ImprovModel(network: Network(topology: $0, seed: 1), encoding: encoding) } ?? builtIn
    let predictor = model.predictor()
    var rng = SeededGenerator(seed: 1)
    let slices = corpus.training[0]
    let steps = option("--steps", 200_000)
    for s in slices { predictor.observe(s) }  // warm up
    var sink = 0
    let start = now()
    for i in 0..<steps {
        predictor.observe(slices[i % slices.count])
        if case .attack = predictor.sampleNext(using: &rng).melody { sink += 1 }
    }
    let elapsed = now() - start
    // The network step alone, inputs already encoded.
    let network = model.network, state = network.makeState()
    encoding.encodeChord(slices[0], into: state.chordInput)
    encoding.encodeMelody(slices[0], into: state.melodyInput)
    let start2 = now()
    for _ in 0..<steps { network.step(state) }
    let elapsed2 = now() - start2
    emit(["bench": "step", "size": sizeName(network.topology), "steps": steps, "ns_per_slice": Double(elapsed) / Double(steps),
          "ns_per_step": Double(elapsed2) / Double(steps), "sink": sink + Int(state.melodyProbabilities[0] * 0)])

case "train-throughput":
    let all = corpus.training.map { TrainingData.sequence($0, encoding: encoding) }
    let topology = sizeOption() ?? TrainingData.topology(for: encoding, like: .default())
    let batch = option("--batch", 8)
    let threads = option("--threads", min(2, ProcessInfo.processInfo.activeProcessorCount))
    // --batches N: N batches (sequences repeated if the corpus is shorter); else one epoch.
    let batches = option("--batches", 0)
    let sequences = batches > 0 ? (0..<(batch * batches)).map { all[$0 % all.count] } : all
    let trainer = Trainer(network: Network(topology: topology, seed: 1), optimizer: .adam, schedule: .constant(0.01),
                          clip: 1, batchSize: batch, seed: 1, threads: threads)
    _ = trainer.trainEpoch(sequences: Array(all.prefix(batch)))  // warm up
    let stats = trainer.trainEpoch(sequences: sequences)
    emit(["bench": "train-throughput", "impl": "improv", "size": sizeName(topology), "batch": batch,
          "batches": stats.batches, "slices": stats.loss.slices, "seconds": stats.seconds,
          "slices_per_second": stats.slicesPerSecond, "threads": trainer.threads])

case "time-to-target":
    var options = TrainingRun.Options(topology: TrainingData.topology(for: encoding, like: .default()))
    options.seed = UInt64(option("--seed", 1))
    options.target = LearningTarget()
    options.timeLimit = Double(option("--limit", 600))
    // Levers for the time-to-target study (bench/RESULTS-speed.md); defaults are TrainingRun's.
    if let i = CommandLine.arguments.firstIndex(of: "--lr"), let r = Float(CommandLine.arguments[i + 1]) {
        options.schedule = .constant(r)
    }
    options.batchSize = option("--batch", options.batchSize)
    options.threads = option("--threads", options.threads)
    if let i = CommandLine.arguments.firstIndex(of: "--forget-bias"), let f = Float(CommandLine.arguments[i + 1]) {
        options.initialization.forgetGateBias = f
    }
    if let t = sizeOption() { options.topology = t }
    let outcome = TrainingRun(corpus: TrainingCorpus.eckBlues(choruses: 256, seed: options.seed), encoding: encoding,
                              options: options).run()
    emit(["bench": "time-to-target", "seed": Int(options.seed), "reached": outcome.secondsToTarget != nil,
          "seconds": outcome.secondsToTarget ?? outcome.records.last?.elapsed ?? 0, "epochs": outcome.records.count])

case "engine-slice":
    // The real-time work at each slice deadline: the player's slice read, one model step, two
    // slices planned ahead on the lookahead state, their events handed to the output. Duet mode,
    // so improv plays in every slice, with a player playing a steady line under it.
    let model = try ImprovModel.builtIn()
    var settings = Engine.Settings()
    settings.mode = .duet
    let recorder = EventRecorder()
    let engine = Engine(model: model, settings: settings, output: recorder)
    engine.start()
    let slices = option("--slices", 20_000)
    var samples = [Double](repeating: 0, count: slices)
    let pitches: [UInt8] = [60, 63, 65, 67, 70, 72, 70, 67]
    for s in 0..<slices {
        if s % 2 == 0 {
            let key = pitches[(s / 2) % pitches.count]
            engine.noteOn(channel: 0, key: key, velocity: 90, tick: s * settings.grid.ticksPerSlice)
            engine.noteOff(channel: 0, key: key, tick: s * settings.grid.ticksPerSlice + 400)
        }
        let deadline = engine.nextDeadline
        recorder.now = deadline
        let t0 = now()
        engine.advance(to: deadline)
        samples[s] = Double(now() - t0)
        if s % 1000 == 999 { recorder.clear() }  // keep the recorder small
    }
    let sorted = samples.dropFirst(100).sorted()
    emit(["bench": "engine-slice", "slices": slices, "median_ns": sorted[sorted.count / 2],
          "p99_ns": sorted[sorted.count * 99 / 100], "max_ns": sorted.last!])

case "corpus-figures":
    var fields = corpusFigures(try modelOption())
    fields["bench"] = "corpus-figures"
    emit(fields)

case "export":
    // What the PyTorch side needs to train on the same data and run the same check.
    let dir = CommandLine.arguments.count > 2 ? CommandLine.arguments[2] : "bench/.data"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    func write(_ pieces: [[Slice]], _ name: String) throws {
        let seqs = pieces.map { TrainingData.sequence($0, encoding: encoding) }
        let t = seqs[0].length
        precondition(seqs.allSatisfy { $0.length == t }, "equal lengths expected")
        var w = SafeTensorsWriter(metadata: ["encoding": "eck", "sequences": "\(seqs.count)", "length": "\(t)"])
        w.add("chord_inputs", floats: seqs.flatMap(\.chordInputs), shape: [seqs.count, t, encoding.chordInputSize])
        w.add("melody_inputs", floats: seqs.flatMap(\.melodyInputs), shape: [seqs.count, t, encoding.melodyInputSize])
        w.add("chord_targets", floats: seqs.flatMap(\.chordTargets), shape: [seqs.count, t, encoding.chordInputSize])
        w.add("melody_targets", int64s: seqs.flatMap(\.melodyTargets).map(Int64.init), shape: [seqs.count, t])
        try w.write(to: URL(fileURLWithPath: (dir as NSString).appendingPathComponent(name)))
    }
    try write(corpus.training, "train.safetensors")
    try write(corpus.heldOut, "heldout.safetensors")
    // The form's chord units per bar, and how melody classes map back to input units.
    var w = SafeTensorsWriter(metadata: ["melody_count": "\(encoding.melodyCount)"])
    var form: [Float] = []
    for bar in 0..<12 {
        form += encoding.encode(Slice(chord: ChordForm.eckBlues.chord(atBar: bar).voicing(in: encoding.chordRange))).chord
    }
    w.add("form_chord_units", floats: form, shape: [12, encoding.chordInputSize])
    var classInputs: [Float] = []
    for k in 0..<encoding.melodyClassCount { classInputs += encoding.encode(Slice(melody: encoding.melodyEvent(forClass: k))).melody }
    w.add("melody_class_inputs", floats: classInputs, shape: [encoding.melodyClassCount, encoding.melodyInputSize])
    var scale: [Float] = []
    for k in 0..<encoding.melodyClassCount {
        let p = encoding.melodyEvent(forClass: k)
        scale.append(p.isAttack && Scale.contains(Scale.bluesPentatonic, pitch: p.pitch!, key: .c) ? 1 : (p.isAttack ? 0 : -1))
    }
    w.add("melody_class_in_scale", floats: scale, shape: [encoding.melodyClassCount])
    w.add("prime_chord", floats: TrainingData.sequence(corpus.heldOut[0], encoding: encoding).chordInputs.prefix(8 * 13).map { $0 },
          shape: [8, encoding.chordInputSize])
    w.add("prime_melody", floats: TrainingData.sequence(corpus.heldOut[0], encoding: encoding).melodyInputs.prefix(8 * 15).map { $0 },
          shape: [8, encoding.melodyInputSize])
    try w.write(to: URL(fileURLWithPath: (dir as NSString).appendingPathComponent("checks.safetensors")))
    emit(["bench": "export", "dir": dir, "train": corpus.training.count, "heldout": corpus.heldOut.count])

default:
    FileHandle.standardError.write(Data("usage: improv-bench step|train-throughput|time-to-target|engine-slice|corpus-figures|export DIR\n".utf8))
    exit(2)
}
