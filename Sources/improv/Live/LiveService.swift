import Foundation
import ServiceLifecycle
import UnixSignals

/// The live session as a swift-service-lifecycle service. The ALSA loop blocks in poll(2), so
/// it runs on a thread of its own; graceful shutdown (SIGTERM, SIGINT) or cancellation sets
/// its stop flag, which the loop reads at least every 50 ms, and the loop's stop sends every
/// note off and drains it to the output before `run` returns.
final class LiveService: Service, @unchecked Sendable {
    // @unchecked: `session` is touched only by the loop's thread once `run` has started it;
    // the flags are locked.
    private let session: LiveSession
    private let stop = StopFlag()
    let reloads = ReloadRequests()
    private let deadline: Date?

    init(session: LiveSession, seconds: Double?) {
        self.session = session
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
        } onCancelOrGracefulShutdown: { [stop] in
            _ = stop.set()
        }
    }
}

/// SIGHUP asks the live session to reload its preset and model.
struct ReloadOnHangup: Service {
    let reloads: ReloadRequests

    func run() async throws {
        for await _ in await UnixSignalsSequence(trapping: .sighup).cancelOnGracefulShutdown() {
            reloads.request()
        }
    }
}
