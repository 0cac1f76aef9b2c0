// swift-tools-version:6.1
import PackageDescription

// improv: a real-time MIDI improvisation daemon.
// Pure modules (MIDI, MusicCore, StandardMIDI, Presets, LSTMModel, Composer, Engine, Pictures) import
// no C; only the system-library targets CALSA and CFluidSynth, and the thin modules over them
// (ALSASequencer and Synth), touch libasound and libfluidsynth.
let package = Package(
    name: "improv",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "improv", targets: ["improv"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.81.0"),
    ],
    targets: [
        // Files written whole or not at all: temporary file, fsync, rename (models, MIDI, WAV...).
        .target(name: "AtomicFiles"),
        // The one seeded generator (SplitMix64): a leaf, since MusicCore and LSTMModel both draw from it.
        .target(name: "SeededRandom"),
        // The one MIDI message type (channel messages and the real-time ones) and the MIDIOutput
        // protocol: a leaf, shared by the engine, the daemon, the ALSA module and the synth.
        .target(name: "MIDI"),
        // Standard MIDI Files, formats 0 and 1: read and write.
        .target(name: "StandardMIDI", dependencies: ["AtomicFiles"]),
        // Notes, time grid, slices and their encoding, keys, the Eck blues corpus, piano rolls.
        .target(name: "MusicCore", dependencies: ["StandardMIDI", "SeededRandom"]),
        // Human-editable TOML session presets.
        .target(name: "Presets", dependencies: ["MusicCore", .product(name: "TOMLKit", package: "TOMLKit")]),
        // The chord-and-melody LSTM of Eck & Schmidhuber (2002): step, BPTT, sampling, safetensors.
        .target(name: "LSTMModel", dependencies: ["AtomicFiles", "SeededRandom"]),

        // Music meets model: training data, the LSTM as a slice predictor, baselines, evaluation,
        // training runs and the built-in default model.
        .target(name: "Composer", dependencies: ["MusicCore", "StandardMIDI", "LSTMModel"]),

        // The real-time engine: rolling window, modes, planning ahead, scheduling, panic.
        // Driven by a clock and MIDI protocols, so it runs in real and in simulated time.
        .target(name: "Engine", dependencies: ["MIDI", "Composer", "MusicCore", "LSTMModel", "Presets"]),

        // The live daemon's logic, pure: the loop, connections, controllers, clock sync, reload,
        // behind a small sequencer protocol (ALSA in the improv target, EmbeddedSequencer in tests).
        .target(name: "Daemon", dependencies: ["Engine", "MIDI", "Composer", "MusicCore", "Presets", .product(name: "Logging", package: "swift-log")]),

        // FluidSynth, thinly: live synth, its sequencer as an engine output, offline WAV rendering,
        // soundfont lookup. The only module besides the ALSA one that imports C.
        .target(name: "Synth", dependencies: ["CFluidSynth", "StandardMIDI", "MIDI", "AtomicFiles"]),

        // The control page: HTTP, JSON API and WebSocket events (SwiftNIO) over a ControlSurface
        // that the daemon provides. Imports neither the daemon nor ALSA.
        .target(name: "ControlPage", dependencies: [
            "Presets", "MusicCore",
            .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "NIOWebSocket", package: "swift-nio"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        ]),

        // The daemon behind the control page: a LiveDaemon as a ControlSurface (its state, its
        // change mailbox, the events its loop records into a lock-free ring).
        .target(name: "DaemonWeb", dependencies: [
            "Daemon", "ControlPage", "Engine", "MusicCore", "Presets",
            .product(name: "Logging", package: "swift-log"), .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),

        // Pictures: SVG piano rolls, activation heatmaps, bar charts and loss curves, through one SVG writer.
        .target(name: "Pictures", dependencies: ["MusicCore", "StandardMIDI"]),

        // C: libasound (ALSA sequencer) and libfluidsynth. Only the thin modules over them import these.
        .systemLibrary(name: "CALSA", pkgConfig: "alsa", providers: [.apt(["libasound2-dev"])]),
        .systemLibrary(name: "CFluidSynth", pkgConfig: "fluidsynth", providers: [.apt(["libfluidsynth-dev"])]),

        // The ALSA sequencer, thinly: client, ports, queue, connections, events in and out.
        // With Synth, the only module that imports C; every snd_* status goes through one check.
        .target(name: "ALSASequencer", dependencies: ["CALSA", "MIDI"]),
        // A small ALSA peer for the VM tests (and for poking at a sequencer by hand).
        .executableTarget(name: "alsa-probe", dependencies: ["ALSASequencer", "MIDI", "MusicCore"]),

        .executableTarget(
            name: "improv",
            dependencies: [
                "MIDI", "MusicCore", "StandardMIDI", "Presets", "LSTMModel", "Composer", "Engine", "Daemon", "Synth", "ALSASequencer", "Pictures", "AtomicFiles",
                "DaemonWeb", "ControlPage",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),

        // The Swift side of bench/run.sh (benchmarks are not tests: they print figures).
        .executableTarget(name: "improv-bench", dependencies: ["Composer", "Engine", "LSTMModel", "MusicCore"], path: "bench/improv-bench"),
        // The beat tracker on humanized drifting performances (bench/RESULTS-tempo.md).
        .executableTarget(name: "beat-bench", dependencies: ["Engine", "MusicCore"], path: "bench/beat-tracking"),
        // The daemon's loop with and without 100 control-page clients during a flood (bench/control-page).
        .executableTarget(name: "control-page-bench", dependencies: ["Daemon", "DaemonWeb", "ControlPage", "Composer", "Presets", "TestSupport",
                                                                    .product(name: "Logging", package: "swift-log")],
                          path: "bench/control-page", exclude: ["README.md"]),
        // Hand-run model tools: step timing, the synthetic blues experiment (see dev/README.md).
        .executableTarget(name: "lstm-dev", dependencies: ["LSTMModel", "MusicCore"], path: "dev/lstm-dev"),
        // The per-slice path allocates nothing: Tests/alloc/check-allocations.sh runs it, release, counting allocator preloaded.
        .executableTarget(name: "alloc-check", dependencies: ["Engine", "MIDI", "Composer", "LSTMModel", "MusicCore", "Presets", "Daemon"],
                          path: "Tests/alloc", exclude: ["count-allocations.c", "check-allocations.sh", "README.md"]),

        // Helpers shared by the test targets (running the Python peers).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "AtomicFilesTests", dependencies: ["AtomicFiles"]),
        .testTarget(name: "SeededRandomTests", dependencies: ["SeededRandom"]),
        .testTarget(name: "MIDITests", dependencies: ["MIDI"]),
        .testTarget(name: "StandardMIDITests", dependencies: ["StandardMIDI", "TestSupport", "SeededRandom"], exclude: ["FuzzRegressions"]),
        .testTarget(name: "MusicCoreTests", dependencies: ["MusicCore", "StandardMIDI", "TestSupport"]),
        .testTarget(name: "PresetsTests", dependencies: ["Presets", "MusicCore"], exclude: ["FuzzRegressions"]),
        .testTarget(name: "LSTMModelTests", dependencies: ["LSTMModel", "SeededRandom"], exclude: ["Fixtures", "FuzzRegressions"]),
        .testTarget(name: "ComposerTests", dependencies: ["Composer", "MusicCore", "LSTMModel"]),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "MIDI", "Composer", "MusicCore", "LSTMModel", "Presets"]),
        // The real daemon code in simulated time (EmbeddedSequencer): runs in seconds.
        .testTarget(name: "DaemonTests", dependencies: ["Daemon", "Engine", "MIDI", "Composer", "MusicCore", "LSTMModel", "Presets", .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "SynthTests", dependencies: ["Synth", "MIDI", "StandardMIDI", "Engine", "Composer", "MusicCore"]),
        .testTarget(name: "ALSASequencerTests", dependencies: ["ALSASequencer", "CALSA", "MIDI"], exclude: ["FuzzRegressions"]),
        .testTarget(name: "ControlPageTests", dependencies: [
            "ControlPage", "Presets", "MusicCore", "TestSupport",
            .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "NIOWebSocket", package: "swift-nio"),
        ], exclude: ["browser"]),
        // The real daemon on EmbeddedSequencer behind the real ControlServer, in simulated time.
        .testTarget(name: "DaemonWebTests", dependencies: [
            "DaemonWeb", "Daemon", "ControlPage", "Engine", "Composer", "MusicCore", "Presets", "TestSupport",
            .product(name: "Logging", package: "swift-log"), .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        .testTarget(name: "PicturesTests", dependencies: ["Pictures", "MusicCore", "StandardMIDI", "TestSupport"]),
        .testTarget(name: "CShimTests", dependencies: ["CALSA", "CFluidSynth"]),
        // Runs the built `improv` binary as a user would.
        .testTarget(name: "ImprovCLITests", dependencies: ["improv", "Daemon", "Engine", "MIDI", "Presets", "MusicCore", "StandardMIDI", "Composer", "LSTMModel"]),
    ]
)

// Fuzz targets (fuzz/README.md): libFuzzer harnesses for every parser of outside input. Only
// with IMPROV_FUZZ=1, so `swift build` and `swift test` never see them; scripts/fuzz.sh builds
// their one executable, fuzz-improv, with `--sanitize=fuzzer --sanitize=address` in
// .build-fuzz. They live in this package so that `package` symbols (the ALSA event decoding)
// are reachable.
if Context.environment["IMPROV_FUZZ"] == "1" {
    package.targets += [
        .target(name: "FuzzSupport", path: "fuzz/support"),
        .target(name: "FuzzMIDI", dependencies: ["FuzzSupport", "StandardMIDI", "MusicCore"], path: "fuzz/midi"),
        .target(name: "FuzzPreset", dependencies: ["FuzzSupport", "Presets"], path: "fuzz/preset"),
        .target(name: "FuzzModel", dependencies: ["FuzzSupport", "LSTMModel", "Composer", "MusicCore"], path: "fuzz/model"),
        .target(name: "FuzzALSAEvent", dependencies: ["FuzzSupport", "ALSASequencer", "CALSA", "MIDI"], path: "fuzz/alsa-event"),
        .executableTarget(name: "fuzz-improv", dependencies: ["FuzzSupport", "FuzzMIDI", "FuzzPreset", "FuzzModel", "FuzzALSAEvent"], path: "fuzz/main"),
    ]
}
