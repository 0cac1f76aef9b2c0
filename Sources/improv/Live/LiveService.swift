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

    init(session: LiveDaemon, waker: Sequencer.Waker, seconds: Double?) {
        self.session = session
        self.waker = waker
        deadline = seconds.map { Date().addingTimeInterval($0) }
    }

    func run() async throws {
        try await withTaskCancellationOrGracefulShutdownHandler {
            try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, Error>) in
                let thread = Thread { [self] in
                    do {
                        try session.run(shouldStop: { [self] in stop.isSet || deadline.map { Date() >= $0 } == true },
                                        reloadRequested: reloads.take)
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
    }
}

/// SIGHUP asks the live session to reload its preset and model.
struct ReloadOnHangup: Service {
    let reloads: ReloadRequests
    let waker: Sequencer.Waker

    func run() async throws {
        for await _ in await UnixSignalsSequence(trapping: .sighup).cancelOnGracefulShutdown() {
            reloads.request()
            waker.wake()
        }
    }
}
