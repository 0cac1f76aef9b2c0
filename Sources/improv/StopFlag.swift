import Daemon
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

/// Reloads read on SIGHUP, waiting for the daemon's loop to take them: the latest one (several
/// SIGHUPs before the loop looks are one reload, of the files as they are now).
final class ReloadRequests: @unchecked Sendable {
    private let lock = NSLock()
    private var pending: Result<ReloadFiles.Read, any Error>?

    func deliver(_ read: Result<ReloadFiles.Read, any Error>) { lock.withLock { pending = read } }

    func take() -> Result<ReloadFiles.Read, any Error>? {
        lock.withLock {
            defer { pending = nil }
            return pending
        }
    }
}
