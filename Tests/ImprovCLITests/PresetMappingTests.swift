import Composer
import Daemon
import Engine
import Foundation
import Logging
import MIDI
import MusicCore
import Presets
import XCTest
@testable import improv

/// Every preset key that affects the engine reaches it the same way in jam and in the daemon
/// (one mapping, Engine.Settings(preset:seed:for:)): the settings of the daemon's real engine
/// (LiveDaemon on the embedded sequencer) against jam's, key by key.
final class PresetMappingTests: XCTestCase {
    /// One changed value for each key that reaches the engine (the presets README's keys).
    static let engineKeys: [(key: String, toml: String)] = [
        ("session.mode", "[session]\nmode = \"duet\""),
        ("session.key", "[session]\nkey = \"F\""),
        ("session.tempo", "[session]\ntempo = 96"),
        ("session.swing", "[session]\nswing = 0.62"),
        ("session.call_bars", "[session]\ncall_bars = 2\nresponse_bars = 2"),
        ("session.pass_through_channel", "[session]\npass_through_channel = 9"),
        ("session.chord_split", "[session]\nchord_split = 55"),
        ("session.chord_split off", "[session]\nchord_split = 0"),
        ("session.learn", "[session]\nlearn = \"session\""),
        ("session.form", "[session]\nform = \"free\""),
        ("listen.develop", "[listen]\ndevelop = 0.5"),
        ("listen.register", "[listen]\nregister = false"),
        ("listen.dynamics", "[listen]\ndynamics = false"),
        ("listen.held_note_timeout", "[listen]\nheld_note_timeout = 0"),
        ("clock.follow player", "[clock]\nfollow = \"player\""),
        ("chords.channel", "[chords]\nchannel = 6\nprogram = 4"),
        ("melody.channel", "[melody]\nchannel = 7\nprogram = 11"),
        ("sampling.temperature", "[sampling]\ntemperature = 0.7\ntop_k = 3"),
        ("sampling.chords", "[sampling]\nchords = \"bernoulli\"\nmelody = \"argmax\""),
        ("band", "[band]\ndrums = \"swing\"\nbass = \"walking\"\ncomping = \"shell\"\ncount_in = 1"),
    ]

    func daemonSettings(_ preset: Preset, seed: UInt64) throws -> Engine.Settings {
        let daemon = LiveDaemon(preset: preset, model: try ImprovModel.builtIn(), sequencer: EmbeddedSequencer(),
                                logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }, seed: seed)
        return daemon.engine.settings
    }

    func jamSettings(_ preset: Preset, seed: UInt64) throws -> Engine.Settings {
        // Through an engine too, so that whatever the engine derives at start is derived alike.
        Engine(model: try ImprovModel.builtIn(), settings: JamCommand.settings(preset: preset, seed: seed), output: NoOutput()).settings
    }

    final class NoOutput: MIDIOutput {
        func schedule(_ message: ChannelMessage, atTick tick: Int) {}
        func sendNow(_ message: ChannelMessage) {}
        func dropScheduled() {}
    }

    /// The settings as text, field by field, but for what is offline by design (see Run.offline).
    func fields(_ s: Engine.Settings) -> [String: String] {
        var s = s
        s.learnSynchronously = false
        s.passThrough = false
        return Dictionary(uniqueKeysWithValues: Mirror(reflecting: s).children.map { ($0.label!, String(describing: $0.value)) })
    }

    func testEveryEngineKeyReachesTheEngineAlikeInJamAndTheDaemon() throws {
        let base = fields(try daemonSettings(Preset(), seed: 5))
        for (key, toml) in Self.engineKeys {
            let preset = try Preset(toml: toml, file: "\(key).toml")
            let daemon = fields(try daemonSettings(preset, seed: 5)), jam = fields(try jamSettings(preset, seed: 5))
            XCTAssertNotEqual(daemon, base, "\(key) does not reach the daemon's engine")
            for (field, value) in daemon where jam[field] != value {
                XCTFail("\(key): \(field) is \(value) in the daemon, \(jam[field] ?? "nil") in jam")
            }
        }
    }

    func testTheSeedAndPassThroughDifferOnlyAsDocumented() throws {
        let preset = try Preset(toml: "[session]\npass_through = true\n[sampling]\nseed = 42", file: "p.toml")
        XCTAssertTrue(try daemonSettings(preset, seed: 9).passThrough, "live, the player is passed through")
        XCTAssertFalse(try jamSettings(preset, seed: 9).passThrough, "offline the call has its own track")
        XCTAssertEqual(Engine.Settings(preset: preset).seed, 42, "the preset's seed")
        XCTAssertEqual(Engine.Settings(preset: preset, seed: 9).seed, 9, "--seed first")
        XCTAssertEqual(Engine.Settings(preset: Preset(), for: .offline).seed, 1, "offline the same every run")
    }

    func testAReloadNamesWhatWaitsForARestart() throws {
        let now = Engine.Settings(preset: Preset(), seed: 3)
        let next = Engine.Settings(preset: try Preset(toml: "[session]\nmode = \"duet\"\ntempo = 90\nswing = 0.6\nchord_split = 50", file: "n.toml"))
        XCTAssertEqual(Set(next.differencesNeedingRestart(from: now)), ["splitPitch"], "mode, tempo and swing are taken at once")
    }
}
