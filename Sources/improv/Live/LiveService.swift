import ALSASequencer
import Daemon
import Foundation
import ServiceLifecycle
import UnixSignals

/// The live session as a swift-service-lifecycle service. The ALSA loop blocks in poll(2), so
/// it runs on a thread of its own; graceful shutdown (SIGTERM, SIGINT) or cancellation sets
/// its stop flag and wakes the poll, and the loop's stop sends every note off and drains it to
/// the output before `run` returns.
final class LiveService: Service, @unchecked Sendable {
    // @unchecked: `session` is touched only by the loop's thread once `run` has started it;
    // the flags are locked.
    private let session: LiveDaemon
    private let waker: Sequencer.Waker
    private let stop = StopFlag()
    let reloads = ReloadRequests()
    private let deadline: Date?
    private let signalQueue = DispatchQueue(label: "improv-stop", qos: .userInteractive)

    init(session: LiveDaemon, waker: Sequencer.Waker, seconds: Double?) {
        self.session = session
        self.waker = waker
        deadline = seconds.map { Date().addingTimeInterval($0) }
    }

    func run() async throws {
        // SIGTERM and SIGINT also stop the loop straight from a signal source of their own: in
        // the VM test (n, 4 signals each way in one boot), all-notes-off reached the peer a
        // median 48 ms after the signal this way and 105 ms through the service group's
        // graceful shutdown alone. The group still hears the signal and shuts the rest down.
        let direct = [SIGTERM, SIGINT].map { sig in
            let source = DispatchSource.makeSignalSource(signal: sig, queue: signalQueue)
            source.setEventHandler { [stop, waker] in
                _ = stop.set()
                waker.wake()
            }
            source.resume()
            return source
        }
        defer { for source in direct { source.cancel() } }
        try await withTaskCancellationOrGracefulShutdownHandler {
            try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, Error>) in
                let thread = Thread { [self] in
                    do {
                        try session.run(shouldStop: { [self] in stop.isSet || deadline.map { Date() >= $0 } == true },
                                        readReload: reloads.take)
                        done.resume()
                    } catch {
                        done.resume(throwing: error)
                    }
                }
                thread.name = "improv-live"
                thread.qualityOfService = .userInteractive
                thread.start()
            }
        } onCancelOrGracefulShutdown: { [stop, waker] in
            _ = stop.set()
            waker.wake()
        }
        // Stopped by a signal before the group got to this service: wait for it (a service
        // that ends while the group shuts down in order is an error to the group).
        if stop.isSet { try? await gracefulShutdown() }
    }
}

/// SIGHUP reloads the preset and model: read here, off the loop's thread (the files are I/O),
/// and handed to the loop, which checks them and swaps them in between two turns.
struct ReloadOnHangup: Service {
    let files: ReloadFiles
    let reloads: ReloadRequests
    let waker: Sequencer.Waker

    func run() async throws {
        for await _ in await UnixSignalsSequence(trapping: .sighup).cancelOnGracefulShutdown() {
            reloads.deliver(files.read())
            waker.wake()
        }
    }
}
