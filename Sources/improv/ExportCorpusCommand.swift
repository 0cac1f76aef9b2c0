import ArgumentParser
import AtomicFiles
import Composer
import Foundation
import MusicCore

struct ExportCorpusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-corpus",
        abstract: "Write a training corpus as slices in improv's encoding (safetensors shards and an index.json) for training elsewhere.",
        discussion: """
            The pieces that `improv train` would learn from, split the same way into training and \
            held-out pieces, as encoded slices: chord units, melody units and the melody class of \
            every slice, in safetensors shards of whole pieces with the encoding and the split in \
            their metadata, and an index.json that lists them (written last: a folder with an index \
            is complete). The PyTorch trainer in python/improv_torch reads this folder; see the \
            README, "When your corpus outgrows one machine". Every file is written atomically.
            """
    )

    @Option(help: "eck-blues, phrases, mixed, or a folder of .mid files (as for train).")
    var corpus = "eck-blues"

    @Option(help: "The folder to write the shards and index.json to (made if missing).")
    var out: String

    @Option(help: "eck-blues, phrases, mixed: how many training choruses (32 more are held out).")
    var choruses = 256

    @Option(help: "Seed of the corpus choice (eck-blues, phrases, mixed).")
    var seed: UInt64 = 1

    @Option(help: "Folder corpus: auto, track:C,M (0-based), channel:C,M (1-16) or pitch:N.")
    var split = "auto"

    @Flag(help: "Folder corpus: also every training piece moved into the 11 other keys.")
    var allKeys = false

    @Option(help: "Folder corpus: only the files in this meter (4/4, 3/4, 6/8, ...).")
    var meter: String?

    @Option(help: "At most this many slices in a shard (a longer piece gets a shard of its own).")
    var shardSlices = 1_000_000

    func validate() throws {
        guard shardSlices >= 2 else { throw ValidationError("--shard-slices must be at least 2") }
        guard (1...EckCorpus.chorusCount).contains(choruses) else { throw ValidationError("--choruses must be from 1 to 4096") }
    }

    func run() throws {
        let encoding = SliceEncoding.eck
        let data: TrainingCorpus
        switch corpus {
        case "eck-blues": data = .eckBlues(choruses: choruses, seed: seed)
        case "phrases": data = .phrases(choruses: choruses, seed: seed)
        case "mixed": data = .mixed(choruses: choruses, seed: seed)
        default:
            var m: Meter?
            if let meter {
                guard let parsed = Meter(meter) else { throw ValidationError("--meter: expected e.g. 4/4, 3/4 or 6/8, found \"\(meter)\"") }
                m = parsed
            }
            data = try .directory(corpus, split: try PartSplit(argument: split), encoding: encoding, allKeys: allKeys, meter: m)
        }
        for w in data.warnings { print("warning: \(split == "auto" ? "" : "--split \(split): ")\(w)") }
        let export = CorpusExport(corpus: data, encoding: encoding, shardSlices: shardSlices)
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        // A stale index would describe shards about to be replaced: remove it first, write it last.
        let indexPath = (out as NSString).appendingPathComponent(CorpusExport.indexName)
        try? FileManager.default.removeItem(atPath: indexPath)
        for shard in export.shards {
            try AtomicFile.write(shard.bytes, to: (out as NSString).appendingPathComponent(shard.name))
        }
        try AtomicFile.write(export.index, to: indexPath)
        print("wrote \(data.description) to \(out): \(export.pieces(split: "training")) training pieces "
              + "(\(export.slices(split: "training")) slices), \(export.pieces(split: "held-out")) held out "
              + "(\(export.slices(split: "held-out")) slices), \(export.shards.count) shard\(export.shards.count == 1 ? "" : "s") and \(CorpusExport.indexName)")
    }
}
