import TestSupport
import Foundation

/// What `mido_tool.py` prints.
struct MidoReport: Decodable, Equatable {
    var format: Int
    var ticks_per_beat: Int
    var tempo: Int
    var track_names: [String?]
    var notes: [[Int]]
    var events: [String]
}

struct MidoToolError: Error, CustomStringConvertible {
    var description: String
}

/// Runs Tests/interop/mido_tool.py with python3. Fails (never skips) with a
/// clear message when python3 or mido is missing.
enum MidoTool {
    static let script = packageRoot.appendingPathComponent("Tests/interop/mido_tool.py").path

    /// Checked once: python3 runs and imports mido.
    static let availability: Result<Void, MidoToolError> = {
        guard FileManager.default.fileExists(atPath: script) else {
            return .failure(MidoToolError(description: "mido cross-check script not found at \(script)"))
        }
        do {
            let result = try run(["-c", "import mido"])
            if result.status == 127 {
                return .failure(MidoToolError(description: "python3 not found on PATH (needed for the mido cross-checks): \(result.stderr)"))
            }
            if result.status != 0 {
                return .failure(MidoToolError(description: "python3 cannot import mido; install it with `pip install mido`. python3 said: \(result.stderr)"))
            }
            return .success(())
        } catch {
            return .failure(MidoToolError(description: "cannot run python3 via /usr/bin/env: \(error)"))
        }
    }()

    static func requireAvailable() throws {
        try availability.get()
    }

    static func dump(_ path: String) throws -> MidoReport {
        try report(["dump", path])
    }

    static func generate(seed: UInt64, to path: String) throws -> MidoReport {
        try report(["generate", String(seed), path])
    }

    private static func report(_ arguments: [String]) throws -> MidoReport {
        try requireAvailable()
        let result = try run([script] + arguments)
        guard result.status == 0 else {
            throw MidoToolError(description: "mido_tool.py \(arguments.joined(separator: " ")) exited with \(result.status): \(result.stderr)")
        }
        do {
            return try JSONDecoder().decode(MidoReport.self, from: result.stdout)
        } catch {
            throw MidoToolError(description: "mido_tool.py \(arguments.joined(separator: " ")) printed JSON that does not decode: \(error)")
        }
    }

    /// Runs `python3 ARGS...` (TestSupport's runner).
    static func run(_ arguments: [String]) throws -> (status: Int32, stdout: Data, stderr: String) {
        try Python.run(arguments)
    }
}
