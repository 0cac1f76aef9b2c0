import Composer
import Daemon
import Engine
import Foundation
import LSTMModel
import MusicCore
import Presets
import XCTest

/// SIGHUP's path (LiveDaemon.reload) in simulated time: what a running session takes, and what
/// it refuses while the old preset and model play on.
final class ReloadTests: XCTestCase {
    func temporaryFile(_ name: String, _ text: String) throws -> String {
        let dir = NSTemporaryDirectory() + "improv-reload-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return path
    }

    func testAReloadTakesTheNewPresetsModeTempoAndSampling() throws {
        let rig = Rig()
        rig.daemon.presetPath = try temporaryFile("new.toml", """
            [session]
            mode = "backing"
            tempo = 100
            swing = 0.62
            [listen]
            develop = 0.4
            dynamics = false
            [sampling]
            temperature = 0.6
            [control]
            panic = 30
            """)
        try rig.daemon.start()
        try rig.turn(until: 1)
        XCTAssertTrue(rig.daemon.reload())
        XCTAssertEqual(rig.daemon.engine.settings.mode, .backing)
        XCTAssertEqual(rig.daemon.engine.swing, 0.62, accuracy: 1e-9, "the swing, at once")
        XCTAssertEqual(rig.daemon.engine.settings.develop, 0.4, accuracy: 1e-9)
        XCTAssertFalse(rig.daemon.engine.settings.followDynamics)
        let later = rig.log.all.split(separator: "\n").filter { $0.contains("change at the next start") }.joined()
        for name in ["swing", "develop", "followDynamics"] {
            XCTAssertFalse(later.contains(name), "\(name) is taken now: \(later)")
        }
        XCTAssertEqual(rig.daemon.engine.settings.sampling.temperature, 0.6, accuracy: 1e-6)
        XCTAssertEqual(rig.sequencer.tempoBPM, 100)
        XCTAssertEqual(Array(rig.notify.messages.suffix(2)), ["RELOADING=1", "READY=1 STATUS=backing in C, 100 BPM"])
        XCTAssertTrue(rig.log.contains("reloaded \(rig.daemon.presetPath!) and the built-in model", level: .notice), rig.log.all)
        // The new controller map: 30 is the panic now.
        rig.sequencer.push(.controlChange(channel: 0, controller: 30, value: 127), at: 1.5)
        try rig.turn(until: 2)
        XCTAssertTrue(rig.log.contains("panic (controller 30)"), rig.log.all)
        XCTAssertEqual(rig.daemon.control.state.reloads, 1)
    }

    func testABadPresetIsRefusedAndTheOldOnePlaysOn() throws {
        let rig = Rig()
        rig.daemon.presetPath = try temporaryFile("bad.toml", "[session]\ntempo = \"fast\"\n")
        let end = rig.pushCall(at: 1)
        try rig.run(until: end + 8, reloadAt: end)
        XCTAssertTrue(rig.log.contains("reload refused, the old preset and model play on:", level: .error), rig.log.all)
        XCTAssertTrue(rig.log.contains("bad.toml"), "the message names the file")
        XCTAssertEqual(rig.sequencer.tempoBPM, 120)
        XCTAssertGreaterThan(rig.noteOns(channel: 1, from: Rig.tick(end)).count, 3, "the call is answered")
        XCTAssertTrue(rig.notify.messages.contains("RELOADING=1"))
    }

    /// A model of another size: refused with a message that says so, the old one answers on.
    func testAModelOfAnotherSizeIsRefusedAndTheOldOnePlaysOn() throws {
        let base = Rig.builtIn
        var topology = base.network.topology
        topology.melodyBlocks = base.network.topology.melodyBlocks * 2
        topology.melodyCellsPerBlock = 4
        try checkRefused(ImprovModel(network: Network(topology: topology, seed: 1), encoding: base.encoding), saying: "cells")
    }

    func testAModelOfAnotherSliceEncodingIsRefusedAndTheOldOnePlaysOn() throws {
        let other = SliceEncoding(chordLow: 48, chordCount: 12, melodyLow: 55, melodyCount: 20)
        let net = Network(topology: TrainingData.topology(for: other, like: .default()), seed: 1)
        try checkRefused(ImprovModel(network: net, encoding: other), saying: "slice encoding")
    }

    func checkRefused(_ model: ImprovModel, saying words: String) throws {
        let rig = Rig()
        let path = try temporaryFile("other.safetensors", "")
        try model.save(path: path)
        rig.daemon.modelPath = path
        let end = rig.pushCall(at: 1)
        // The reload comes in the middle of the answer, when the engine is planning ahead.
        try rig.run(until: end + 10, reloadAt: end + 2)
        let refusal = try XCTUnwrap(rig.log.lines.first { $0.text.contains("reload refused") }, rig.log.all)
        XCTAssertEqual(refusal.level, .error)
        XCTAssertTrue(refusal.text.contains(words), refusal.text)
        XCTAssertTrue(refusal.text.contains("restart improv"), refusal.text)
        XCTAssertEqual(rig.daemon.engine.model.network.topology, Rig.builtIn.network.topology, "the old model is kept")
        XCTAssertGreaterThan(rig.noteOns(channel: 1, from: Rig.tick(end + 2.5)).count, 2, "and answers on")
        XCTAssertEqual(rig.sequencer.hanging(through: .max).count, 0)
    }

    func testAModelOfTheSameShapeIsTakenMidAnswer() throws {
        let rig = Rig()
        let path = try temporaryFile("same.safetensors", "")
        let fresh = ImprovModel(network: Network(topology: Rig.builtIn.network.topology, seed: 3), encoding: Rig.builtIn.encoding)
        try fresh.save(path: path)
        rig.daemon.modelPath = path
        let end = rig.pushCall(at: 1)
        try rig.run(until: end + 10, reloadAt: end + 2)
        XCTAssertTrue(rig.log.contains("reloaded the built-in preset and \(path)"), rig.log.all)
        XCTAssertEqual(rig.daemon.engine.model.network.parameters, fresh.network.parameters)
        XCTAssertEqual(rig.sequencer.hanging(through: .max).count, 0)
    }

    func testAReloadAskedThroughTheControlIsTheSameAsSIGHUP() throws {
        let rig = Rig()
        rig.daemon.presetPath = try temporaryFile("duet.toml", "[session]\nmode = \"duet\"\n")
        try rig.daemon.start()
        rig.daemon.control.change(DaemonChange(reload: true))
        try rig.turn(until: 0.1)
        XCTAssertEqual(rig.daemon.control.state.mode, .duet)
        XCTAssertEqual(rig.daemon.control.state.reloads, 1)
    }
}
