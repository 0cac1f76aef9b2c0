import Composer
import Foundation
import LSTMModel
import MusicCore
import XCTest

/// improv and the PyTorch trainer (python/improv_torch) on the same data: `improv export-corpus`,
/// `torchrun --nproc_per_node 2` with DistributedDataParallel on two CPU processes, the model
/// played back by improv. Needs python3 with torch and safetensors (scripts/install-deps.sh
/// installs them); skipped, saying so, only when torch cannot be imported.
final class TorchTrainingTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let pythonPath = root.appendingPathComponent("python").path

    struct Run {
        var status: Int32
        var output: String
    }

    /// python3 ARGS with python/ on PYTHONPATH; stdout and stderr together, through a file (a
    /// chatty child never blocks on a pipe).
    static func python(_ arguments: [String]) throws -> Run {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("improv-torch-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        let handle = try FileHandle(forWritingTo: log)
        defer { try? handle.close() }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3"] + arguments
        var env = ProcessInfo.processInfo.environment
        env["PYTHONPATH"] = pythonPath + (env["PYTHONPATH"].map { ":" + $0 } ?? "")
        env["OMP_NUM_THREADS"] = "1"
        p.environment = env
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = handle
        p.standardError = handle
        try p.run()
        p.waitUntilExit()
        return Run(status: p.terminationStatus, output: String(decoding: try Data(contentsOf: log), as: UTF8.self))
    }

    func requireTorch() throws {
        // Under the sanitizer suites (make test-asan, test-tsan) the improv binary that checks the
        // target each epoch runs several times slower and the Python side is not instrumented: the
        // plain suite runs these once.
        let env = ProcessInfo.processInfo.environment
        if env["ASAN_OPTIONS"] != nil || env["TSAN_OPTIONS"] != nil {
            throw XCTSkip("the PyTorch training tests run in the plain suite, not under a sanitizer")
        }
        let probe = try Self.python(["-c", "import torch, safetensors, numpy"])
        if probe.status != 0 {
            throw XCTSkip("torch is not importable by python3 (scripts/install-deps.sh installs it): \(probe.output.suffix(300))")
        }
    }

    func export(_ dir: URL, _ extra: [String] = []) throws -> String {
        let corpus = dir.appendingPathComponent("corpus").path
        let r = try CLI.run(["export-corpus", "--corpus", "eck-blues", "--out", corpus] + extra)
        XCTAssertEqual(r.status, 0, r.stderr)
        return corpus
    }

    /// The export holds exactly the slices improv trains on, in improv's encoding.
    func testExportHoldsTheSlicesImprovTrainsOn() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let corpus = try export(dir, ["--choruses", "8", "--shard-slices", "400"])
        let index = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: corpus + "/index.json"))) as! [String: Any]
        let shards = index["shards"] as! [[String: Any]]
        // 4 training pieces and 16 held out, of 192 slices each: two to a shard of at most 400.
        XCTAssertEqual(shards.map { $0["split"] as! String }, ["training", "training"] + Array(repeating: "held-out", count: 8))
        let data = TrainingCorpus.eckBlues(choruses: 8, seed: 1)
        let encoding = SliceEncoding.eck
        var expected = data.training.map { TrainingData.sequence($0, encoding: encoding) }
        for entry in shards where entry["split"] as! String == "training" {
            let st = try SafeTensorsFile(contentsOf: URL(fileURLWithPath: corpus + "/" + (entry["file"] as! String)))
            XCTAssertEqual(st.metadata["format"], "improv-slices")
            XCTAssertEqual(st.metadata["split"], "training")
            XCTAssertEqual(st.metadata["encoding"], ImprovModel(network: Network(topology: TrainingData.topology(for: encoding, like: .default()), seed: 0), encoding: encoding).metadata["encoding"])
            let chord = try st.floats("chord"), melody = try st.floats("melody"), classes = try st.int32s("melody_class")
            let starts = try st.int64s("piece_starts").map(Int.init)
            for (a, b) in zip(starts, starts.dropFirst()) {
                let s = expected.removeFirst()
                let ic = encoding.chordInputSize, im = encoding.melodyInputSize
                XCTAssertEqual(b - a - 1, s.length)
                XCTAssertEqual(Array(chord[(a * ic)..<((b - 1) * ic)]), s.chordInputs)
                XCTAssertEqual(Array(chord[((a + 1) * ic)..<(b * ic)]), s.chordTargets)
                XCTAssertEqual(Array(melody[(a * im)..<((b - 1) * im)]), s.melodyInputs)
                XCTAssertEqual(Array(classes[(a + 1)..<b]), s.melodyTargets)
            }
        }
        XCTAssertTrue(expected.isEmpty, "pieces missing from the export")
    }

    /// A folder in every key: the training pieces twelve times over, the held-out ones once, and
    /// the folder's meter and harmony in the metadata a model of it must carry.
    func testFolderExportInAllKeysCarriesItsHarmony() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let folder = Self.root.appendingPathComponent("corpora/folk/3-4").path
        let out = dir.appendingPathComponent("folk").path
        let r = try CLI.run(["export-corpus", "--corpus", folder, "--split", "auto", "--all-keys", "--out", out])
        XCTAssertEqual(r.status, 0, r.stderr)
        let index = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/index.json"))) as! [String: Any]
        let meta = index["model_metadata"] as! [String: String]
        XCTAssertEqual(meta["meter"], "3/4")
        XCTAssertNotNil(meta["harmony.vocabulary"])
        XCTAssertTrue(meta["training.corpus"]?.hasSuffix("all-keys") ?? false, "\(meta)")
        let shards = index["shards"] as! [[String: Any]]
        let pieces = { (split: String) in shards.filter { $0["split"] as! String == split }.reduce(0) { $0 + ($1["pieces"] as! Int) } }
        XCTAssertEqual(pieces("held-out"), 4)  // every tenth of the 40 files
        XCTAssertEqual(pieces("training"), 12 * 36)
    }

    /// `improv eval --target`, the check the PyTorch run stops on, fails a model that does not
    /// keep the form, saying what is short.
    func testEvalTargetFailsAnUntrainedModel() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = dir.appendingPathComponent("m.safetensors").path
        let t = try CLI.run(["train", "--corpus", "eck-blues", "--choruses", "8", "--epochs", "1", "--no-target",
                             "--chord-blocks", "2", "--melody-blocks", "2", "--out", model])
        XCTAssertEqual(t.status, 0, t.stderr)
        let check = try CLI.run(["eval", "--target", "--model", model])
        XCTAssertEqual(check.status, 1, check.stdout + check.stderr)
        XCTAssertTrue(check.stdout.contains("target not met: form"), check.stdout)
        XCTAssertFalse(check.stdout.contains("Markov"), "--target scores the model alone: \(check.stdout)")
        let wrong = try CLI.run(["eval", "--target", "--calls", dir.path])
        XCTAssertNotEqual(wrong.status, 0)
        XCTAssertTrue(wrong.stderr.contains("--target"), wrong.stderr)
    }

    /// torchrun on two CPU processes trains until improv's own target check passes; improv then
    /// plays the model, and its per-slice outputs over 1000 slices of free running equal PyTorch's
    /// for the same inputs (improv's sampled choices fed to both).
    func testTorchrunTrainsAModelImprovPlays() throws {
        try requireTorch()
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let corpus = try export(dir)
        let model = dir.appendingPathComponent("torch.safetensors").path
        let improv = try CLI.binary.path
        // 8x2+8x2 cells at batch 2 a process, Adam 0.03: about 30 epochs, under a minute here.
        let train = try Self.python([
            "-m", "torch.distributed.run", "--nproc_per_node", "2", "--master_port", "\(29_400 + Int.random(in: 0..<500))",
            "-m", "improv_torch", "train", "--data", corpus, "--out", model, "--size", "8x2+8x2", "--batch", "2",
            "--lr", "0.03", "--epochs", "80", "--check", "\(improv) eval --target --model {model}", "--check-below", "0.2",
        ])
        XCTAssertEqual(train.status, 0, train.output)
        XCTAssertTrue(train.output.contains("2 processes (gloo, cpu)"), train.output)
        XCTAssertTrue(train.output.contains("check passed"), train.output)
        // improv's own check, run here again: the model improv reads meets the target.
        let check = try CLI.run(["eval", "--target", "--model", model])
        XCTAssertEqual(check.status, 0, check.stdout + check.stderr)
        XCTAssertTrue(check.stdout.contains("target met"), check.stdout)

        let m = try ImprovModel.load(path: model)
        XCTAssertEqual(m.training["corpus"], "eck-blues choruses=256 seed=1")
        XCTAssertTrue(m.training["trainer"]?.contains("2 processes") ?? false, "\(m.training)")
        // 1000 slices of free running in improv, recording what the network saw and said.
        let predictor = m.predictor()
        var rng = SeededGenerator(seed: 7)
        let enc = m.encoding, topo = m.network.topology
        var chordIn: [Float] = [], melodyIn: [Float] = [], chordOut: [Float] = [], melodyOut: [Float] = []
        var slice = EckCorpus.chorus(0)[0]
        for _ in 0..<1000 {
            predictor.observe(slice)
            let (c, mel) = enc.encode(enc.folded(slice))
            chordIn += c
            melodyIn += mel
            chordOut += Array(predictor.state.chordProbabilities)
            melodyOut += Array(predictor.state.melodyProbabilities)
            slice = predictor.sampleNext(using: &rng)
        }
        var w = SafeTensorsWriter(metadata: ["made_by": "TorchTrainingTests"])
        w.add("chord", floats: chordIn, shape: [1000, topo.chordInputs])
        w.add("melody", floats: melodyIn, shape: [1000, topo.melodyInputs])
        let trace = dir.appendingPathComponent("trace.safetensors"), outputs = dir.appendingPathComponent("outputs.safetensors")
        try w.write(to: trace)
        let run = try Self.python(["-m", "improv_torch", "outputs", "--model", model, "--inputs", trace.path, "--out", outputs.path])
        XCTAssertEqual(run.status, 0, run.output)
        let torch = try SafeTensorsFile(contentsOf: outputs)
        for (name, mine) in [("chord_probs", chordOut), ("melody_probs", melodyOut)] {
            let theirs = try torch.floats(name)
            XCTAssertEqual(theirs.count, mine.count, name)
            let worst = zip(mine, theirs).map { abs($0 - $1) }.max() ?? .infinity
            print("improv and PyTorch over 1000 free-running slices, \(name): largest difference \(worst)")
            XCTAssertLessThanOrEqual(worst, 1e-5, "\(name): improv and PyTorch differ by \(worst)")
        }
        // The free run was music, not a constant: several distinct melody choices.
        XCTAssertGreaterThan(Set(stride(from: 0, to: melodyIn.count, by: topo.melodyInputs).map { Array(melodyIn[$0..<($0 + topo.melodyInputs)]) }).count, 5)
    }

    /// A model trained by `improv train` goes on training in PyTorch (and the result loads in
    /// improv); a torn or foreign checkpoint or model is refused with its name.
    func testImprovModelGoesOnTrainingAndBadFilesAreRefused() throws {
        try requireTorch()
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let corpus = try export(dir, ["--choruses", "8"])
        let swiftModel = dir.appendingPathComponent("swift.safetensors").path
        let t = try CLI.run(["train", "--corpus", "eck-blues", "--choruses", "8", "--epochs", "2", "--no-target",
                             "--chord-blocks", "2", "--melody-blocks", "2", "--out", swiftModel])
        XCTAssertEqual(t.status, 0, t.stderr)
        let out = dir.appendingPathComponent("torch.safetensors").path
        let common = ["-m", "improv_torch", "train", "--data", corpus, "--out", out]
        let go = try Self.python(common + ["--init", swiftModel, "--epochs", "2"])
        XCTAssertEqual(go.status, 0, go.output)
        XCTAssertTrue(go.output.contains("going on from \(swiftModel) (2x2+2x2 lstm cells)"), go.output)
        let before = try ImprovModel.load(path: swiftModel), after = try ImprovModel.load(path: out)
        XCTAssertEqual(after.network.topology, before.network.topology)
        XCTAssertNotEqual(after.network.parameters, before.network.parameters)
        XCTAssertEqual(after.training["initialized-from"], "swift.safetensors")

        // Torn: the newest checkpoint cut short, and a model cut short. Foreign: a safetensors
        // file of someone else's, as a checkpoint and as a model. One Python process runs the
        // four (importing torch takes seconds here).
        let checkpoint = dir.appendingPathComponent("torch.torch-checkpoints/epoch-00002.safetensors")
        let bytes = try Data(contentsOf: checkpoint)
        try bytes.prefix(bytes.count - 100).write(to: checkpoint)
        var foreign = SafeTensorsWriter(metadata: ["made_by": "someone else"])
        foreign.add("weight", floats: [1, 2], shape: [2])
        let foreignPath = dir.appendingPathComponent("foreign.safetensors").path
        try foreign.write(to: URL(fileURLWithPath: foreignPath))
        let tornModel = dir.appendingPathComponent("torn-model.safetensors").path
        try Data(try Data(contentsOf: URL(fileURLWithPath: swiftModel)).dropLast(7)).write(to: URL(fileURLWithPath: tornModel))
        let train = ["train", "--data", corpus, "--out", out, "--epochs", "3"]
        let cases: [(arguments: [String], message: String)] = [
            (train + ["--resume", "auto"], "\(checkpoint.path): not a whole safetensors file"),
            (train + ["--resume", foreignPath], "\(foreignPath): not an improv_torch checkpoint"),
            (train + ["--init", foreignPath], "\(foreignPath): not an improv model"),
            (train + ["--init", tornModel], "\(tornModel): not a whole safetensors file"),
        ]
        let script = """
            import json, sys
            from improv_torch.__main__ import main
            for args in json.loads(sys.argv[1]):
                status = main(args)
                print(f"exit {status}", flush=True)
                sys.stderr.flush()
            """
        let json = String(decoding: try JSONSerialization.data(withJSONObject: cases.map(\.arguments)), as: UTF8.self)
        let refused = try Self.python(["-c", script, json])
        XCTAssertEqual(refused.status, 0, refused.output)
        XCTAssertEqual(refused.output.components(separatedBy: "exit 2").count - 1, 4, refused.output)
        for c in cases { XCTAssertTrue(refused.output.contains(c.message), "\(c.message) not in\n\(refused.output)") }
    }
}
