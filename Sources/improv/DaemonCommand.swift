import ArgumentParser
import Composer
import ControlPage
import Daemon
import DaemonWeb
import Foundation
import Logging
import Presets
import ServiceLifecycle

struct DaemonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "daemon",
        abstract: "Jam live on the ALSA sequencer until Ctrl-C: the player in, improv's answers out.",
        discussion: """
            Opens a sequencer client (the preset's alsa.client_name, "improv" by default) with a \
            writable input port "in" and a readable output port "out", connects the preset's inputs and \
            outputs (client:port or a client name, as aconnect takes them), and plays on a queue at the \
            preset's tempo. Connect a keyboard with `aconnect KEYBOARD improv:0` and a synth with \
            `aconnect improv:1 SYNTH` if the preset does not. SIGTERM or Ctrl-C stops with every note \
            off; SIGHUP reloads the preset and the model (a bad one is refused, the old one plays on). \
            Under systemd (Type=notify) it reports READY, STATUS, RELOADING, STOPPING and watchdog pings. \
            The control page and its API are served on the preset's web.listen (default \
            http://127.0.0.1:8737/; "" turns it off; another address needs web.token); a port that \
            cannot be bound is logged and the music plays on.
            """
    )

    @OptionGroup var session: SessionOptions

    @Option(help: "Seed of the sampling (default: the preset's, else a new one).")
    var seed: UInt64?

    @Option(help: "Stop by itself after this many seconds (for scripts and tests).")
    var seconds: Double?

    @Option(help: "Least severe messages logged: critical, error, warning, notice, info, debug or trace.")
    var logLevel = "info"

    func validate() throws {
        guard Log.level(named: logLevel) != nil else {
            throw ValidationError("--log-level: expected one of \(Log.levelNames.joined(separator: ", ")), found \"\(logLevel)\"")
        }
    }

    func run() async throws {
        Log.bootstrap(level: Log.level(named: logLevel)!)
        // What stops the daemon goes to the journal as an error, not as plain stderr.
        do { try await serve() } catch {
            Log.error("improv daemon: \(error)")
            throw ExitCode.failure
        }
    }

    private func serve() async throws {
        let p = try session.loadPreset()
        let m = try session.loadModel(preset: p)
        let sequencer = try ALSALiveSequencer(clientName: p.clientName, tempoBPM: p.tempoBPM)
        let synth = p.output == .alsa ? nil : try LiveSynth(preset: p)
        // The control page (web.listen, "" for none) shows the log lines too.
        let hub = EventHub()
        let journal = Log.logger.handler
        let logger = p.webListen.isEmpty ? Log.logger
            : Logger(label: "improv") { _ in MultiplexLogHandler([journal, HubLogHandler(hub: hub)]) }
        let live = LiveDaemon(preset: p, model: m, sequencer: sequencer, sound: synth, notifier: SystemdNotifier(),
                              logger: logger, seed: seed)
        live.presetPath = try session.presetPath
        live.modelPath = session.model
        let waker = sequencer.waker
        live.control.setWaker { waker.wake() }
        let service = LiveService(session: live, waker: waker, seconds: seconds)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: service, successTerminationBehavior: .gracefullyShutdownGroup),
            .init(service: ReloadOnHangup(files: live.reloadFiles, reloads: service.reloads, waker: waker)),
        ]
        if !p.webListen.isEmpty {
            // Made before the loop runs (it hooks the loop's event ring); served on its own thread.
            let page = ControlPageService(surface: DaemonSurface(daemon: live, hub: hub, presets: PresetLocator.choices()), listen: p.webListen, token: p.webToken, log: logger)
            services.append(.init(service: page))
        }
        var config = ServiceGroupConfiguration(
            services: services,
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: Log.logger
        )
        // The loop stops within 50 ms of a signal; these only bound a loop that hangs.
        config.maximumGracefulShutdownDuration = .seconds(2)
        config.maximumCancellationDuration = .seconds(1)
        try await ServiceGroup(configuration: config).run()
    }
}
