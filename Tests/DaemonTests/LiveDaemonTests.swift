import Composer
import Daemon
import Engine
import Foundation
import LSTMModel
import MusicCore
import Presets
import XCTest

/// The daemon's own loop (LiveDaemon.run) on the embedded sequencer, in simulated time.
final class LiveDaemonTests: XCTestCase {
    func testItStartsReadyAnswersACallAndStopsWithNothingLeftOn() throws {
        let rig = Rig()
        let end = rig.pushCall(at: 1)
        try rig.run(until: 14)
        XCTAssertEqual(rig.notify.messages.first, "READY=1 STATUS=call-and-response in C, 120 BPM")
        XCTAssertEqual(rig.notify.messages.last, "STOPPING=1")
        // Before anything plays, what a killed daemon may have left sounding is ended.
        XCTAssertEqual(Array(rig.sequencer.sent.prefix(2)).map(\.message), [.channel(.allNotesOff(channel: 0)), .channel(.allNotesOff(channel: 1))])
        let answer = rig.noteOns(channel: 1, from: Rig.tick(end))
        XCTAssertGreaterThan(answer.count, 3, "improv answers the call on its melody channel\n\(rig.log.all)")
        XCTAssertTrue(rig.log.contains("stopped; all notes off sent"))
        XCTAssertEqual(rig.sequencer.hanging(through: .max).count, 0, "nothing left sounding: \(rig.sequencer.hanging(through: .max))")
    }

    func testAStopInTheMiddleOfAnAnswerEndsEveryNote() throws {
        let rig = Rig()
        let end = rig.pushCall(at: 1)
        // Stop while the answer plays: find when it starts, then stop a beat later.
        try rig.daemon.start()
        var firstAnswer: Int?
        while rig.sequencer.seconds < 20, firstAnswer == nil {
            try rig.daemon.turn()
            firstAnswer = rig.noteOns(channel: 1, from: Rig.tick(end)).first { $0.tick <= rig.sequencer.tick }?.tick
        }
        let started = try XCTUnwrap(firstAnswer, "an answer began")
        try rig.turn(until: rig.sequencer.seconds + 0.5)
        let sounding = rig.sequencer.hanging(through: rig.sequencer.tick)
        XCTAssertFalse(sounding.isEmpty, "notes sound when the stop comes (answer from tick \(started))")
        let lastBefore = (rig.sequencer.scheduled + rig.sequencer.sent).map(\.sequence).max() ?? -1
        let scheduledAhead = rig.sequencer.scheduled.filter { $0.tick > rig.sequencer.tick }.count
        XCTAssertGreaterThan(scheduledAhead, 0, "the answer was planned ahead")
        rig.daemon.stop()
        XCTAssertEqual(rig.sequencer.hanging(through: .max).count, 0, "a note-off or all-notes-off for every sounding note")
        XCTAssertTrue(rig.sequencer.scheduled.allSatisfy { $0.tick <= rig.sequencer.tick }, "what was planned ahead is dropped")
        for channel: UInt8 in [0, 1] {
            XCTAssertTrue(rig.sentAllNotesOff(channel: channel, after: lastBefore), "all notes off on channel \(channel) at the stop")
        }
    }

    func testInputsAndOutputsReconnectWhenTheirPeerComesBack() throws {
        let rig = Rig(Rig.preset { $0.inputs = ["kbd"]; $0.outputs = ["synth:0"] })
        XCTAssertTrue(rig.log.contains("input kbd:", level: .warning), rig.log.all)
        XCTAssertTrue(rig.log.contains("connecting when it appears", level: .warning))
        try rig.daemon.start()
        rig.sequencer.addClient(20, name: "kbd", at: 0.5)
        rig.sequencer.addClient(21, name: "synth", at: 0.6)
        try rig.turn(until: 1)
        XCTAssertTrue(rig.log.contains("input kbd connected"), rig.log.all)
        XCTAssertTrue(rig.log.contains("output synth:0 connected"))
        XCTAssertEqual(rig.daemon.control.state.connections.map(\.peer), ["20:0", "21:0"])
        XCTAssertEqual(rig.sequencer.inputConnections, [PortAddress(client: 20, port: 0)])

        // The keyboard leaves holding a note: the note is released, so the call ends and is answered.
        rig.sequencer.push(.noteOn(channel: 0, key: 60, velocity: 90), at: 1.2, from: PortAddress(client: 20, port: 0))
        rig.sequencer.removeClient(20, at: 2)
        rig.sequencer.removeClient(21, at: 2.1)
        try rig.turn(until: 2.5)
        XCTAssertTrue(rig.log.contains("input kbd (port 20:0) went away; waiting for it to come back", level: .warning), rig.log.all)
        XCTAssertTrue(rig.log.contains("output synth:0 (port 21:0) went away"))
        XCTAssertEqual(rig.daemon.control.state.connections.map(\.peer), [nil, nil])

        // Back under another client number: connected by name again, and its call is answered.
        rig.sequencer.addClient(24, name: "kbd", at: 6)
        rig.sequencer.addClient(21, name: "synth", at: 6)
        try rig.turn(until: 6.5)
        XCTAssertEqual(rig.daemon.control.state.connections.map(\.peer), ["24:0", "21:0"])
        let end = rig.pushCall(at: 8, from: PortAddress(client: 24, port: 0))
        try rig.turn(until: end + 8)
        XCTAssertGreaterThan(rig.noteOns(channel: 1, from: Rig.tick(end)).count, 3, "the call through the new connection is answered")
        rig.daemon.stop()
        XCTAssertEqual(rig.sequencer.hanging(through: .max).count, 0)
    }

    func testTheControllerMapComesFromThePreset() throws {
        let rig = Rig(Rig.preset {
            $0.temperatureController = 20; $0.modeController = 21; $0.tempoController = 22; $0.panicController = 23
        })
        try rig.daemon.start()
        rig.sequencer.push(.controlChange(channel: 0, controller: 1, value: 0), at: 0.1)  // the default's, not this preset's
        try rig.turn(until: 0.2)
        XCTAssertEqual(rig.daemon.engine.settings.sampling.temperature, 1, "controller 1 is not mapped here")
        rig.sequencer.push(.controlChange(channel: 0, controller: 20, value: 127), at: 0.3)
        rig.sequencer.push(.controlChange(channel: 0, controller: 21, value: 100), at: 0.4)
        rig.sequencer.push(.controlChange(channel: 0, controller: 22, value: 60), at: 0.5)
        try rig.turn(until: 0.6)
        XCTAssertEqual(rig.daemon.engine.settings.sampling.temperature, 2, accuracy: 1e-6)
        XCTAssertEqual(rig.daemon.engine.settings.mode, .duet)
        XCTAssertEqual(rig.sequencer.tempoBPM, 100)
        XCTAssertEqual(rig.sequencer.tempoChanges.last?.bpm, 100)
        XCTAssertEqual(rig.daemon.control.state.tempoBPM, 100)
        XCTAssertTrue(rig.log.contains("temperature 2.00"), rig.log.all)
        XCTAssertTrue(rig.log.contains("mode duet"))
        XCTAssertTrue(rig.log.contains("tempo 100.0 BPM"))

        // In duet improv plays along; the panic controller (pressed) silences it at once.
        _ = rig.pushCall(at: 1)
        try rig.turn(until: 6)
        XCTAssertFalse(rig.noteOns(channel: 1).isEmpty, "duet plays\n\(rig.log.all)")
        let before = (rig.sequencer.scheduled + rig.sequencer.sent).map(\.sequence).max() ?? -1
        rig.sequencer.push(.controlChange(channel: 0, controller: 23, value: 30), at: 6.1)  // not pressed
        try rig.turn(until: 6.2)
        XCTAssertFalse(rig.sentAllNotesOff(channel: 1, after: before), "a controller below 64 is not a press")
        rig.sequencer.push(.controlChange(channel: 0, controller: 23, value: 127), at: 6.3)
        try rig.turn(until: 6.4)
        XCTAssertTrue(rig.log.contains("panic (controller 23)", level: .notice))
        XCTAssertTrue(rig.sentAllNotesOff(channel: 1, after: before))
        XCTAssertEqual(rig.sequencer.hanging(through: rig.sequencer.tick).count, 0)
    }

    func testAllNotesOffFromThePlayerIsAPanic() throws {
        let rig = Rig()
        try rig.daemon.start()
        rig.sequencer.push(.allNotesOff(channel: 0), at: 0.5)
        try rig.turn(until: 1)
        XCTAssertTrue(rig.log.contains("panic (all notes off from the input)"))
    }

    func testItFollowsAnExternalClockAndItsStopAndStart() throws {
        let rig = Rig(Rig.preset { $0.followClock = true })
        try rig.daemon.start()
        // Four beats of clock at 90 BPM, then start... stop... continue.
        let dt = 60.0 / 90 / 24
        for i in 0..<(24 * 4) { rig.sequencer.push(.midi(.clock), at: 0.1 + Double(i) * dt) }
        try rig.turn(until: 0.1 + 4 * 60 / 90)
        XCTAssertEqual(rig.sequencer.tempoBPM, 90, accuracy: 0.5, rig.log.all)
        XCTAssertEqual(rig.sequencer.tempoChanges.count, 1, "one change, not one per clock")
        XCTAssertEqual(rig.daemon.status, "call-and-response in C, 90 BPM")

        // A call, and the clock stops in the middle of the answer.
        let end = rig.pushCall(at: 3)
        var answering = false
        while rig.sequencer.seconds < end + 8, !answering {
            try rig.daemon.turn()
            answering = !rig.sequencer.hanging(through: rig.sequencer.tick).filter { $0.channel == 1 }.isEmpty
        }
        XCTAssertTrue(answering, "improv answers\n\(rig.log.all)")
        let before = (rig.sequencer.scheduled + rig.sequencer.sent).map(\.sequence).max() ?? -1
        let stopAt = rig.sequencer.seconds + 0.05
        rig.sequencer.push(.midi(.stop), at: stopAt)
        try rig.turn(until: stopAt + 0.2)
        XCTAssertFalse(rig.sequencer.queueRunning, "the queue stands still while the clock is stopped")
        XCTAssertTrue(rig.sentAllNotesOff(channel: 1, after: before), "and improv is silent")
        XCTAssertEqual(rig.sequencer.hanging(through: .max).count, 0)
        let stoppedAt = rig.sequencer.tick
        try rig.turn(until: stopAt + 1)
        XCTAssertEqual(rig.sequencer.tick, stoppedAt)
        rig.sequencer.push(.midi(.continue), at: stopAt + 1.1)
        try rig.turn(until: stopAt + 1.5)
        XCTAssertTrue(rig.sequencer.queueRunning)
        XCTAssertGreaterThan(rig.sequencer.tick, stoppedAt)
        XCTAssertTrue(rig.log.contains("external clock: stop"))
        XCTAssertTrue(rig.log.contains("external clock: continue"))
    }

    func testWithoutClockFollowingAnExternalClockIsIgnored() throws {
        let rig = Rig()
        try rig.daemon.start()
        for i in 0..<(24 * 4) { rig.sequencer.push(.midi(.clock), at: 0.1 + Double(i) * 60.0 / 90 / 24) }
        rig.sequencer.push(.midi(.stop), at: 3)
        try rig.turn(until: 3.5)
        XCTAssertEqual(rig.sequencer.tempoBPM, 120)
        XCTAssertTrue(rig.sequencer.queueRunning)
    }

    func testSendingClockSends24AQuarterAheadOfThePlan() throws {
        let rig = Rig(Rig.preset { $0.sendClock = true })
        try rig.run(until: 4)
        let clocks = rig.sequencer.scheduled.filter { $0.message == .clock }.map(\.tick)
        // Every 20 ticks (24 a quarter note at 480), from the first after the start at tick 0.
        XCTAssertEqual(Array(clocks.prefix(3)), [20, 40, 60])
        XCTAssertEqual(Set(zip(clocks, clocks.dropFirst()).map { $1 - $0 }), [20])
        XCTAssertGreaterThanOrEqual(clocks.last ?? 0, Rig.tick(4) - 20, "clocks through the time played")
        XCTAssertTrue(rig.sequencer.scheduled.contains { $0.message == .start && $0.tick == 0 })
        XCTAssertTrue(rig.sequencer.sent.contains { $0.message == .stop }, "a stop goes out at once at the end")
    }

    func testAnInputOverflowReleasesThePlayersNotesSoTheCallIsAnswered() throws {
        // The last note-off is lost in the overflow; with no held-note timeout only the
        // overflow's release ends the call.
        let rig = Rig()
        let end = rig.pushCall(at: 1, dropLastOff: true)
        try rig.daemon.start()
        try rig.turn(until: end)
        rig.sequencer.overflowInput()
        try rig.turn(until: end + 8)
        XCTAssertTrue(rig.log.contains("input overflowed (1 times so far): events lost, the player's notes released", level: .warning), rig.log.all)
        XCTAssertGreaterThan(rig.noteOns(channel: 1, from: Rig.tick(end)).count, 3, "the call is answered")
        XCTAssertEqual(rig.daemon.control.state.inputOverruns, 1)

        let held = Rig()
        let heldEnd = held.pushCall(at: 1, dropLastOff: true)
        try held.daemon.start()
        try held.turn(until: heldEnd + 8)
        XCTAssertEqual(held.noteOns(channel: 1, from: Rig.tick(heldEnd)).count, 0, "without the release the held note keeps the call open")
    }

    func testAFloodOfOverflowsIsLoggedAtMostOnceASecond() throws {
        let rig = Rig()
        try rig.daemon.start()
        for i in 0..<20 {
            rig.sequencer.overflowInput()
            try rig.turn(until: Double(i + 1) * 0.1)
        }
        XCTAssertEqual(rig.log.lines.filter { $0.text.contains("input overflowed") }.count, 2, rig.log.all)
    }

    func testAChangeIsAppliedAtTheNextTurnAndItsTicketSaysSo() throws {
        let rig = Rig(Rig.preset { $0.inputs = ["kbd"] }, clients: [(20, "kbd")])
        try rig.daemon.start()
        let control = rig.daemon.control
        let first = control.change(DaemonChange(tempoBPM: 90))
        let second = control.change(DaemonChange(mode: .duet))
        XCTAssertGreaterThan(second, first)
        XCTAssertFalse(control.hasApplied(first), "nothing is applied before the loop turns")
        XCTAssertEqual(control.state.tempoBPM, 120)
        try rig.daemon.turn()
        XCTAssertTrue(control.hasApplied(second))
        XCTAssertEqual(control.state.tempoBPM, 90, "the state published before the ticket is marked shows the change")
        XCTAssertEqual(control.state.mode, .duet)
        XCTAssertFalse(control.hasApplied(control.change(DaemonChange(topK: 3))))
        rig.daemon.stop()
    }

    func testTheStateIsReadAndChangedFromAnotherThread() throws {
        let rig = Rig(Rig.preset { $0.inputs = ["kbd"] }, clients: [(20, "kbd")])
        try rig.daemon.start()
        let control = rig.daemon.control
        let changed = expectation(description: "changed")
        DispatchQueue.global().async {
            control.change(DaemonChange(mode: .backing, temperature: 0.5, tempoBPM: 140))
            changed.fulfill()
        }
        wait(for: [changed], timeout: 5)
        try rig.turn(until: 0.2)
        let state = control.state
        XCTAssertEqual(state.mode, .backing)
        XCTAssertEqual(state.temperature, 0.5, accuracy: 1e-6)
        XCTAssertEqual(state.tempoBPM, 140)
        XCTAssertEqual(state.key, .c)
        XCTAssertEqual(state.connections, [DaemonState.Connection(spec: "kbd", isInput: true, peer: "20:0")])
        XCTAssertTrue(state.running)
        XCTAssertEqual(rig.sequencer.tempoBPM, 140)
        rig.daemon.stop()
        XCTAssertFalse(control.state.running)
    }
}
