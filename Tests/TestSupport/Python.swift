import Foundation

/// Runs Python peers (mido, music21, ...) from the tests.
public enum Python {
    /// Runs `python3 ARGS...`. Output goes to temporary files, so a chatty child can never
    /// block on a full pipe.
    public static func run(_ arguments: [String]) throws -> (status: Int32, stdout: Data, stderr: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("improv-python-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let outURL = directory.appendingPathComponent("stdout")
        let errURL = directory.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        defer { try? out.close(); try? err.close() }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        try process.run()
        process.waitUntilExit()
        return (process.terminationStatus, try Data(contentsOf: outURL),
                String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }
}
