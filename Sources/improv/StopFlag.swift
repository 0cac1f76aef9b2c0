import Foundation

/// Set by Ctrl-C (SIGINT) or SIGTERM, read between training batches: the first signal asks
/// for a clean stop, a second one ends the process at once.
final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var stopped = false
    private var sources: [DispatchSourceSignal] = []

    var isSet: Bool { lock.withLock { stopped } }

    func set() -> Bool {
        lock.withLock {
            defer { stopped = true }
            return stopped
        }
    }

    /// Catches SIGINT and SIGTERM for as long as this flag lives.
    static func catchingSignals() -> StopFlag {
        let flag = StopFlag()
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                if flag.set() { exit(130) }
                FileHandle.standardError.write(Data("\nstopping after this batch (again to quit now)\n".utf8))
            }
            source.resume()
            flag.sources.append(source)
        }
        return flag
    }
}
