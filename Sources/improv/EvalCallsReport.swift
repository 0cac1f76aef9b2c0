import Composer
import Foundation
import MusicCore

/// What `improv eval --calls` found: per call and seed, means, and the baselines. `--json`
/// prints it as it is; otherwise `table` does.
struct CallReport: Codable {
    struct SeedRun: Codable {
        var seed: UInt64
        /// improv's answer against the call.
        var measures: CallMeasures
        /// The random walk drawn with this seed, against the call.
        var randomWalk: CallMeasures
    }

    struct Call: Codable {
        var file: String
        /// The key the answer is measured in, and whether the file's key signature gave it.
        var key: String
        var keyFrom: String
        /// Notes of the call's melody (what is measured).
        var callNotes: Int
        var seeds: [SeedRun]
        /// improv's answers, mean over the seeds.
        var mean: CallMeasureMeans
        var echo: CallMeasures
        var randomWalk: CallMeasureMeans
    }

    struct Skipped: Codable {
        var file: String
        var reason: String
    }

    var directory: String
    var preset: String
    var model: String
    var seeds: [UInt64]
    /// The player's notes below this are chords, not the call's melody (nil: no split).
    var splitPitch: Int?
    var calls: [Call] = []
    var skipped: [Skipped] = []
    /// Mean over the calls (each call's mean over seeds counts once).
    var mean = CallMeasureMeans()
    /// The baselines' means over the same calls.
    var echo = CallMeasureMeans()
    var randomWalk = CallMeasureMeans()

    init(directory: String, preset: String, model: String, seeds: [UInt64]) {
        self.directory = directory
        self.preset = preset
        self.model = model
        self.seeds = seeds
    }

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    static let columns = ["key", "notes", "answer", "in key", "pc corr", "int reuse", "novelty", "rhy reuse", "reg dist", "velocities", "8ths", "4ths"]

    func table() -> String {
        let nameWidth = max(28, (calls.map(\.file.count) + [32]).max()! + 2)
        func row(_ name: String, _ key: String, _ m: CallMeasureMeans) -> String {
            let values = [String(format: m.count > 1 && m.callNotes != m.callNotes.rounded() ? "%.1f" : "%.0f", m.callNotes), String(format: "%.1f", m.answerNotes),
                          String(format: "%.2f", m.inKey), String(format: "%.2f", m.pitchClassCorrelation),
                          String(format: "%.2f", m.intervalReuse), String(format: "%.2f", m.novelty),
                          String(format: "%.2f", m.rhythmReuse), String(format: "%.1f", m.registerDistance),
                          String(format: "%.1f", m.distinctVelocities),
                          String(format: "%.2f", m.answerDurations.eighth), String(format: "%.2f", m.answerDurations.quarter)]
            return name.padding(toLength: nameWidth, withPad: " ", startingAt: 0) + key.padding(toLength: 5, withPad: " ", startingAt: 0)
                + zip(values, Self.columns.dropFirst()).map { " " + String(repeating: " ", count: max(0, $1.count - $0.count)) + $0 }.joined()
        }
        let header = "call".padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "key  "
            + Self.columns.dropFirst().map { " " + $0 }.joined()
        let rule = String(repeating: "-", count: header.count)
        var lines = [
            "improv eval --calls \(directory): \(calls.count) calls, preset \(preset), model \(model), " + (seeds.count == 1 ? "seed \(seeds[0])" : "seeds \(seeds.first!)-\(seeds.last!)")
                + (splitPitch.map { ", call melody at or above \(PitchName.name(of: UInt8($0))) (\($0))" } ?? ""),
            "",
            header, rule,
        ]
        for c in calls { lines.append(row(c.file, c.key + (c.keyFrom == "estimated" ? "*" : ""), c.mean)) }
        lines.append(rule)
        lines.append(row("mean (improv)", "", mean))
        lines.append(row("echo: the call played back", "", echo))
        lines.append(row("random walk on the pentatonic", "", randomWalk))
        lines += [
            "",
            "notes: in the call's melody; answer: notes in the answer; in key: share of them in the call's key,",
            "blue notes allowed (10 of 12 pitch classes: chance is 0.83); pc corr: correlation of the pitch-class",
            "histograms (duration-weighted); int reuse: share of the call's 3-note interval patterns found in the",
            "answer; novelty: share of the answer's patterns not in the call; rhy reuse: share of the call's",
            "4-onset rhythms found in the answer; reg dist: |mean pitch difference| in semitones; velocities:",
            "distinct velocities in the answer; 8ths, 4ths: shares of its notes an eighth, a quarter long.",
            "A call's row is its mean over the seeds; the mean rows are over the calls.",
        ]
        if calls.contains(where: { $0.keyFrom == "estimated" }) { lines.append("* key estimated from the call's notes (no key signature in the file)") }
        for s in skipped { lines.append("skipped \(s.file): \(s.reason)") }
        return lines.joined(separator: "\n")
    }
}
