// alloc-check: the per-slice path allocates nothing (Tests/alloc/README.md). Each check runs
// a path for a while to warm it up (first uses, buffers reaching their size), then counts the
// heap allocations of many more slices on this thread, which must be none. Run by
// check-allocations.sh, which preloads the counting allocator; release build, as improv runs.
#if canImport(Glibc)
import Glibc
#endif
import Composer
import Daemon
import Engine
import MIDI
import LSTMModel
import MusicCore
import Presets

struct Outcome {
    var allocations: UInt64
    /// What was counted ("576 slices") and what it did ("272 note-ons").
    var counted: String
    /// Signs that the path was not taken after all (a check that counts nothing proves nothing).
    var problems: [String] = []
}

func preset(_ name: String) throws -> Engine.Settings {
    var s = Engine.Settings(preset: try Preset.load(path: "presets/\(name).toml"))
    s.seed = 3
    return s
}

/// An engine session: `warmUpBars`, then `countedBars` counted.
func session(_ settings: Engine.Settings, model: ImprovModel, notes: [PlayedNote], warmUpBars: Int, countedBars: Int,
             watch: (MIDIOutput) -> MIDIOutput = { $0 }, expect: (_ noteOns: [Int], _ slices: Int) -> [String]) -> Outcome {
    var run = SessionRun(settings: settings, model: model, notes: notes, watch: watch)
    let bar = run.ticksPerBar
    run.run(until: warmUpBars * bar)
    let first = run.engine.finishedThrough
    let before = run.output.noteOns
    let allocations = AllocationCount.of { run.run(until: (warmUpBars + countedBars) * bar) }
    let slices = run.engine.finishedThrough - first
    var noteOns = run.output.noteOns
    for c in 0..<16 { noteOns[c] -= before[c] }
    run.engine.stop()
    return Outcome(allocations: allocations, counted: "\(slices) slices, \(noteOns.reduce(0, +)) note-ons",
                   problems: expect(noteOns, slices))
}

/// A model as one trained on a folder keeps it: a chord vocabulary in 3/4, which free chords are
/// decoded into (untrained weights: what is counted is the work, not the music).
func folderModel() -> ImprovModel {
    let harmony = CorpusHarmony(meter: .threeFour, vocabulary: ["C", "F", "G7", "Am", "Dm"].map { ChordCount(ChordSymbol(parsing: $0)!, 3) },
                                changesPerBar: 1, charts: [])
    return ImprovModel(network: Network(topology: TrainingData.topology(for: .eck, like: .default()), seed: 2),
                       encoding: .eck, harmony: harmony)
}

func check(_ ok: Bool, _ problem: String) -> [String] { ok ? [] : [problem] }

let checks: [(name: String, run: () throws -> Outcome)] = [
    // A two-bar call every six bars in a key that moves, each answered: the answer planned from
    // the call, the melody guided and placed in the call's register, the chords below.
    ("call and response", {
        let s = try preset("blues-call-response")
        let tonics = [60, 65, 67, 58, 62, 60, 63, 57, 60, 65, 67, 60, 64, 60]
        var notes: [PlayedNote] = []
        for (i, t) in tonics.enumerated() {
            notes += bluesLine(bars: 2, fromBar: 6 * i, tonic: t, chords: i % 3 == 1, seed: UInt64(i + 1))
        }
        return session(s, model: try .builtIn(), notes: notes, warmUpBars: 12, countedBars: 6 * tonics.count - 12) { ons, _ in
            check(s.mode == .callAndResponse && s.followKey, "the preset is no longer call and response in a followed key")
                + check(ons[Int(s.melodyChannel)] > 8 * (tonics.count - 2), "improv answered too few calls: \(ons[Int(s.melodyChannel)]) melody notes")
                + check(ons[Int(s.chordChannel)] > 0, "no chords under the answers")
        }
    }),
    // The same, watched by the control page: every note also recorded into the daemon's event
    // ring (DaemonEventRing.record), which another thread drains meanwhile, as the page does.
    ("call and response, watched", {
        let s = try preset("blues-call-response")
        var notes: [PlayedNote] = []
        for i in 0..<12 { notes += bluesLine(bars: 2, fromBar: 6 * i, tonic: [60, 65, 67][i % 3], chords: false, seed: UInt64(i + 1)) }
        let ring = DaemonEventRing()
        let reader = RingReader(ring)
        let outcome = session(s, model: try .builtIn(), notes: notes, warmUpBars: 12, countedBars: 60, watch: ring.watching) { ons, _ in
            check(ons[Int(s.melodyChannel)] > 40, "improv answered too few calls: \(ons[Int(s.melodyChannel)]) melody notes")
        }
        let drained = reader.stop()
        return Outcome(allocations: outcome.allocations, counted: outcome.counted + ", \(drained) events drained by the reader",
                       problems: outcome.problems + check(drained > 500, "the reader drained only \(drained) events")
                           + check(ring.dropped == 0, "\(ring.dropped) events dropped"))
    }),
    // Backing with the band on: drums, walking bass and comping over the form, the player's
    // notes passed through, improv's melody in the player's gaps, chords heard from the player.
    ("backing with the band", {
        var s = try preset("blues-band")
        s.mode = .backing
        s.passThrough = true
        let bass = s.band?.bass?.channel ?? 0, comping = s.band?.comping?.channel ?? 0
        var notes: [PlayedNote] = []
        for (i, t) in [60, 60, 65, 60, 67, 65, 60, 60].enumerated() {
            notes += bluesLine(bars: 4, fromBar: 1 + 6 * i, tonic: t, chords: i % 2 == 0, seed: UInt64(10 + i))
        }
        return session(s, model: try .builtIn(), notes: notes, warmUpBars: 7, countedBars: 42) { ons, _ in
            check(s.band?.drums != nil && s.band?.bass != nil && s.band?.comping != nil, "the preset's band is not a full band")
                + check(ons[9] > 42 * 4, "the drummer did not play every bar")
                + check(ons[Int(bass)] > 42 * 2, "the bass did not walk")
                + check(ons[Int(comping)] > 0, "the piano did not comp")
                + check(ons[Int(s.passThroughChannel)] > 100, "the player's notes did not pass through")
                + check(ons[Int(s.melodyChannel)] > 0, "improv did not fill the gaps")
        }
    }),
    // Free running: a duet over the model's own chord cells, decoded into a folder model's chord
    // vocabulary in 3/4 (the chord decoder's per-slice path), the player joining in now and then.
    ("free running", {
        let model = folderModel()
        var s = Engine.Settings()
        s.mode = .duet
        s.form = .free
        s.meter = .threeFour
        s.followKey = true
        s.seed = 5
        var notes: [PlayedNote] = []
        for i in 0..<6 { notes += bluesLine(bars: 2, fromBar: 2 + 8 * i, tonic: 60, chords: false, seed: UInt64(20 + i)) }
        return session(s, model: model, notes: notes, warmUpBars: 8, countedBars: 60) { ons, slices in
            check(slices == 60 * 6, "not 60 bars of 3/4: \(slices) slices")
                + check(ons[Int(s.chordChannel)] > 0, "no decoded chords played")
                + check(ons[Int(s.melodyChannel)] > 60, "improv's melody did not play throughout")
        }
    }),
    // The model alone: a step and a sample with bernoulli chords, temperature and top-k.
    ("model step and sampling", {
        let net = Network(topology: .default(), seed: 1)
        let state = net.makeState()
        var c = [Float](repeating: 0, count: 13), m = [Float](repeating: 0, count: 15)
        c[0] = 1; c[4] = 1; c[7] = 1; m[3] = 1
        var rng = SeededGenerator(seed: 3)
        let sampler = Sampler(SamplingOptions(chord: .bernoulli, temperature: 1.5, topK: 7))
        var out = [Float](repeating: 0, count: 13)
        var sum = 0
        func steps(_ n: Int) {
            for _ in 0..<n {
                net.step(state, chordInput: c, melodyInput: m)
                sum &+= out.withUnsafeMutableBufferPointer { sampler.sample(state, chordUnits: $0, using: &rng) }
            }
        }
        steps(100)
        let allocations = AllocationCount.of { steps(20_000) }
        return Outcome(allocations: allocations, counted: "20000 steps")
    }),
    // Free running offline (improv generate): the predictor samples the next slice, its chords
    // decoded into the corpus's vocabulary, and hears it.
    ("chord decoder", {
        let model = folderModel()
        let p = model.predictor(decodeChords: true)
        var rng = SeededGenerator(seed: 3)
        p.reset()
        var chords = 0
        func slices(_ n: Int) {
            for _ in 0..<n {
                let next = p.sampleNext(using: &rng)
                if !next.chord.isEmpty { chords += 1 }
                p.observe(next)
            }
        }
        slices(100)
        let allocations = AllocationCount.of { slices(20_000) }
        return Outcome(allocations: allocations, counted: "20000 slices, \(chords) with a chord",
                       problems: check(chords > 0, "no chord decoded"))
    }),
    // Learned weights taken at slice boundaries (a reset publishes the base weights every 100).
    ("learned weights taken", {
        let base = try ImprovModel.builtIn()
        let learner = LiveLearner(base: base, options: .init(mode: .synchronous))
        let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: base.network.layout.count)
        defer { buffer.deallocate() }
        buffer.initialize(repeating: 1)
        var taken = 0
        func calls(_ n: Int) {
            for i in 0..<n {
                if i % 100 == 0 { learner.reset() }
                if learner.takeUpdate(into: buffer) { taken += 1 }
            }
        }
        calls(200)
        let allocations = AllocationCount.of { calls(30_000) }
        learner.close()
        return Outcome(allocations: allocations, counted: "30000 calls, \(taken) updates",
                       problems: check(taken == 302, "\(taken) updates taken, not 302"))
    }),
]

guard AllocationCount.isLoaded else {
    print("alloc-check: the counting allocator is not loaded (run Tests/alloc/check-allocations.sh)")
    exit(2)
}
let only = Set(CommandLine.arguments.dropFirst())
var failed = 0
for c in checks where only.isEmpty || only.contains(c.name) {
    do {
        let o = try c.run()
        let ok = o.allocations == 0 && o.problems.isEmpty
        print("\(ok ? "ok  " : "FAIL") \(c.name): \(o.allocations) allocations in \(o.counted)")
        for p in o.problems { print("     \(p)") }
        if !ok { failed += 1 }
    } catch {
        print("FAIL \(c.name): \(error)")
        failed += 1
    }
}
exit(failed == 0 ? 0 : 1)
