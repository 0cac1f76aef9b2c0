import CFluidSynth
import Foundation

/// FluidSynth reports the reason for a failure (e.g. "Not a SoundFont file") only through
/// its log. This routes its panic/error/warning messages to stderr as before, and keeps
/// the errors since the last `takeErrors()` so that a `SynthError` can quote them.
enum FluidLog {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var errors: [String] = []

    private static let installation: Void = {
        for level in [FLUID_PANIC, FLUID_ERR, FLUID_WARN] {
            _ = fluid_set_log_function(Int32(level.rawValue), fluidLogCallback, nil)
        }
    }()

    /// Installs the log functions (once per process; later calls do nothing).
    static func install() { _ = installation }

    static func record(level: Int32, message: String) {
        let isError = level != Int32(FLUID_WARN.rawValue)
        FileHandle.standardError.write(Data("fluidsynth: \(isError ? "error" : "warning"): \(message)\n".utf8))
        guard isError else { return }
        lock.lock()
        if errors.count < 32 { errors.append(message) }
        lock.unlock()
    }

    /// The errors logged since the last call, joined with "; " (empty when none).
    static func takeErrors() -> String {
        lock.lock()
        defer { errors.removeAll(); lock.unlock() }
        return errors.joined(separator: "; ")
    }
}

private func fluidLogCallback(level: Int32, message: UnsafePointer<CChar>?, data: UnsafeMutableRawPointer?) {
    FluidLog.record(level: level, message: message.map { String(cString: $0) } ?? "")
}
