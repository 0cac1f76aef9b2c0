// Times FineTuner: 300 steps on one 32-slice phrase, for the default topology (4 blocks of 2
// cells per part) and for 8x4. Built with -O by bench/fine-tune.sh against LSTMModel's sources
// (no SwiftPM release build of the whole package needed). Prints one JSON line per topology.
//
// The phrase is written in SliceEncoding.eck's layout by hand (this tool sees only LSTMModel):
// 13 chord units (C3-B3 + struck), 15 melody units (C4-C5, rest, struck), 27 classes.

func phrase() -> TrainingSequence {
    let c7: [Int] = [0, 4, 7, 10], f7: [Int] = [5, 9, 0, 3]  // pitch offsets from C3
    let melody: [Int] = [12, 10, 7, 10, -1, 7, 3, 5, 3, 0, -1, 3, 5, 5, 7, -1]  // lick-like, -1 = rest
    var slices: [(chord: [Int], onset: Bool, pitch: Int, attack: Bool)] = []
    for t in 0..<32 {
        let m = melody[t % melody.count]
        let prev = melody[(t + melody.count - 1) % melody.count]
        slices.append(((t / 8) % 2 == 0 ? c7 : f7, t % 8 == 0, m, m >= 0 && !(m == prev && t % 16 == 13)))
    }
    let steps = 31  // 32 slices: 31 teacher-forced steps
    var ci = [Float](repeating: 0, count: steps * 13), mi = [Float](repeating: 0, count: steps * 15)
    var ct = [Float](repeating: 0, count: steps * 13), mt = [Int32](repeating: 0, count: steps)
    func chord(_ s: (chord: [Int], onset: Bool, pitch: Int, attack: Bool), _ out: inout [Float], _ row: Int) {
        for p in s.chord { out[row * 13 + p] = 1 }
        if s.onset { out[row * 13 + 12] = 1 }
    }
    for t in 0..<steps {
        chord(slices[t], &ci, t)
        chord(slices[t + 1], &ct, t)
        let s = slices[t]
        if s.pitch < 0 { mi[t * 15 + 13] = 1 } else { mi[t * 15 + s.pitch] = 1; if s.attack { mi[t * 15 + 14] = 1 } }
        let n = slices[t + 1]
        mt[t] = Int32(n.pitch < 0 ? 26 : (n.attack ? n.pitch : 13 + n.pitch))
    }
    return TrainingSequence(length: steps, chordInputs: ci, melodyInputs: mi, chordTargets: ct, melodyTargets: mt)
}

let sequence = phrase()
for (blocks, cells) in [(4, 2), (8, 4)] {
    var topology = Topology.default()
    topology.chordBlocks = blocks; topology.chordCellsPerBlock = cells
    topology.melodyBlocks = blocks; topology.melodyCellsPerBlock = cells
    let base = Network(topology: topology, seed: 1)
    let tuner = FineTuner(base: base)
    // One phrase, all weights; one phrase, chord part frozen (the live learner's default);
    // a full ring of 8 phrases in batches of 4, chord part frozen.
    let cases: [(String, [TrainingSequence], Set<String>)] = [
        ("1 phrase, all weights", [sequence], []),
        ("1 phrase, chord part frozen", [sequence], FineTuneOptions.chordTensors),
        ("8 phrases in batches of 4, chord part frozen", Array(repeating: sequence, count: 8), FineTuneOptions.chordTensors),
    ]
    for (name, data, frozen) in cases {
        let options = FineTuneOptions(steps: 300, frozenTensors: frozen)
        var times: [Double] = []
        for _ in 0..<7 {  // the median of 7 runs is reported
            var parameters = base.parameters
            times.append(tuner.fineTune(&parameters, on: data, options: options).seconds)
        }
        times.sort()
        func ms(_ t: Double) -> String { String(Int((t * 1000).rounded())) }
        print("{\"bench\": \"fine-tune\", \"topology\": \"\(blocks)x\(cells)\", \"parameters\": \(base.layout.count), "
              + "\"case\": \"\(name)\", \"steps\": 300, \"phrase_slices\": \(sequence.length + 1), "
              + "\"median_ms\": \(ms(times[3])), \"min_ms\": \(ms(times[0])), \"max_ms\": \(ms(times[6]))}")
    }
}
