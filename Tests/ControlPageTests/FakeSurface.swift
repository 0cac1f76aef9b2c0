import ControlPage
import Foundation
import MusicCore
import NIOConcurrencyHelpers

/// A session as the page sees it, in memory: applies requests to its state the way the
/// daemon would, and records every request it was given.
final class FakeSurface: ControlSurface {
    let events: EventHub
    private let box: NIOLockedValueBox<(state: ControlState, applied: [ControlRequest])>

    init(eventCapacity: Int = 256) {
        events = EventHub(capacity: eventCapacity)
        var s = ControlState()
        s.name = "fake session"
        s.preset = "blues-band"
        s.presets = ["blues-band", "blues-backing", "minor-blues"]
        s.key = "F"
        s.form.name = "blues"
        s.form.bars = ["F7", "Bb7", "F7", "F7", "Bb7", "Bb7", "F7", "F7", "C7", "Bb7", "F7", "C7"]
        s.heard.key = "F"
        s.heard.registerLow = 65
        s.heard.registerHigh = 75
        s.heard.swing = 0.62
        s.beat = 12
        s.connections.input = "128:0"
        s.connections.output = "128:1"
        s.connections.inputs = [.init(address: "24:0", name: "USB Keyboard")]
        s.connections.readable = [.init(address: "24:0", name: "USB Keyboard"), .init(address: "14:0", name: "Midi Through")]
        s.connections.writable = [.init(address: "14:0", name: "Midi Through")]
        box = NIOLockedValueBox((s, []))
    }

    func state() -> ControlState { box.withLockedValue { $0.state } }
    var applied: [ControlRequest] { box.withLockedValue { $0.applied } }

    func apply(_ request: ControlRequest) async throws {
        // Refuse what the daemon would refuse (a port it does not know), before changing anything.
        for case let .connect(_, port) in request.actions where !state().connections.readable.contains(where: { $0.address == port }) && !state().connections.writable.contains(where: { $0.address == port }) {
            throw ControlRejection(key: "connect", reason: "no port \(port)")
        }
        box.withLockedValue { b in
            b.applied.append(request)
            for c in request.changes {
                switch c {
                case .mode(let m): b.state.mode = m.rawValue
                case .key(let k): b.state.keyAuto = k == nil; if let k { b.state.key = k.description }
                case .tempo(let t): b.state.tempo = t; b.state.tempoSource = "control"
                case .swing(let s): b.state.swingAuto = s == nil; if let s { b.state.swing = s }
                case .learn(let l): b.state.learning.mode = l.rawValue
                case .temperature(let t): b.state.temperature = t
                case .topK(let k): b.state.topK = k
                case .drums(let d): b.state.band.drums = d.rawValue
                case .bass(let d): b.state.band.bass = d.rawValue
                case .comping(let d): b.state.band.comping = d.rawValue
                case .compingRhythm(let r): b.state.band.compingRhythm = r.rawValue
                case .click(let c): b.state.band.click = c
                case .develop, .followRegister, .followDynamics: break
                }
            }
            for a in request.actions {
                switch a {
                case .loadPreset(let p): b.state.preset = p
                case .connect(.input, let p): b.state.connections.inputs.append(.init(address: p, name: p))
                case .connect(.output, let p): b.state.connections.outputs.append(.init(address: p, name: p))
                case .disconnect(.input, let p): b.state.connections.inputs.removeAll { $0.address == p }
                case .disconnect(.output, let p): b.state.connections.outputs.removeAll { $0.address == p }
                case .panic, .learnReset: break
                }
            }
        }
        events.publish(.stateChanged)
        if request.actions.contains(.panic) { events.publish(.allNotesOff(beat: state().beat)) }
    }
}
