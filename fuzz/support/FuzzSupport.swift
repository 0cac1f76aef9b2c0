import Foundation

/// Shared by the fuzz harnesses (fuzz/README.md). Each harness is a function run on one
/// input and a seed writer; fuzz/main calls the one IMPROV_FUZZ_TARGET names, and writes
/// its seeds and exits when IMPROV_FUZZ_WRITE_SEEDS names a folder (scripts/fuzz.sh
/// --seeds), so the seeds come from the repo's own writers.

/// The input as an array (libFuzzer may pass a null pointer for the empty input).
public func fuzzBytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
    guard let data, size > 0 else { return [] }
    return Array(UnsafeBufferPointer(start: data, count: size))
}

/// A property the parser broke: crash, so libFuzzer saves the input.
public func fuzzFailure(_ message: String, file: StaticString = #fileID, line: UInt = #line) -> Never {
    fatalError("fuzz property broken: \(message)", file: file, line: line)
}

/// Writes `seeds` (file name -> bytes) into $IMPROV_FUZZ_WRITE_SEEDS and exits, if it is set.
public func writeSeedsIfAsked(_ seeds: () throws -> [(name: String, bytes: [UInt8])]) {
    guard let folder = ProcessInfo.processInfo.environment["IMPROV_FUZZ_WRITE_SEEDS"], !folder.isEmpty else { return }
    do {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let all = try seeds()
        for seed in all {
            try Data(seed.bytes).write(to: URL(fileURLWithPath: folder).appendingPathComponent(seed.name))
        }
        print("wrote \(all.count) seeds to \(folder)")
        exit(0)
    } catch {
        FileHandle.standardError.write(Data("cannot write seeds to \(folder): \(error)\n".utf8))
        exit(1)
    }
}

/// The repository's root, found from this source file's path (for seeds taken from the repo).
public let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
