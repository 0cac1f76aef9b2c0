import Logging

/// The connections the preset asks for (inputs to improv's port, improv's port to outputs), as
/// aconnect names them, and where each is connected now. A peer that goes away is waited for,
/// and connected again when the system announces a new client or port.
final class Connections {
    let sequencer: LiveSequencer
    let log: Logger
    /// Wanted peers and their addresses now (nil: not connected).
    private(set) var inputs: [String: PortAddress?] = [:]
    private(set) var outputs: [String: PortAddress?] = [:]

    init(inputs: [String], outputs: [String], sequencer: LiveSequencer, log: Logger) {
        self.sequencer = sequencer
        self.log = log
        for spec in inputs { self.inputs[spec] = .some(nil) }
        for spec in outputs { self.outputs[spec] = .some(nil) }
    }

    /// Connects every wanted peer that is not connected now (quiet: failures not logged, as
    /// when any client's arrival is announced).
    func connectMissing(quiet: Bool) {
        for (spec, addr) in inputs.sorted(by: { $0.key < $1.key }) where addr == nil {
            do {
                inputs[spec] = try sequencer.connectInput(from: spec)
                log.notice("input \(spec) connected")
            } catch {
                if !quiet { log.warning("input \(spec): \(error); connecting when it appears") }
            }
        }
        for (spec, addr) in outputs.sorted(by: { $0.key < $1.key }) where addr == nil {
            do {
                outputs[spec] = try sequencer.connectOutput(to: spec)
                log.notice("output \(spec) connected")
            } catch {
                if !quiet { log.warning("output \(spec): \(error); connecting when it appears") }
            }
        }
    }

    /// A peer went away: its connections are forgotten (to be made again when it comes back).
    /// Returns whether one of them was an input (the player's held notes must be released).
    func lost(where matches: (PortAddress) -> Bool, what: String) -> Bool {
        var input = false
        for (spec, addr) in inputs where addr.map(matches) == true {
            log.warning("input \(spec) (\(what)) went away; waiting for it to come back")
            inputs[spec] = .some(nil)
            input = true
        }
        for (spec, addr) in outputs where addr.map(matches) == true {
            log.warning("output \(spec) (\(what)) went away; waiting for it to come back")
            outputs[spec] = .some(nil)
        }
        return input
    }

    /// A connection asked for while running (the control page): wanted from now on, so it is
    /// made again when the peer comes back, like the preset's.
    func want(_ spec: String, input: Bool) {
        if input, inputs[spec] == nil { inputs[spec] = .some(nil) }
        if !input, outputs[spec] == nil { outputs[spec] = .some(nil) }
        connectMissing(quiet: false)
    }

    /// A connection no longer wanted (named as wanted, or by the peer's address): cut now.
    func unwant(_ spec: String, input: Bool) {
        let wanted = input ? inputs : outputs
        let names = wanted.filter { $0.key == spec || $0.value?.description == spec }.map(\.key)
        for name in names {
            if input { inputs.removeValue(forKey: name) } else { outputs.removeValue(forKey: name) }
        }
        let peer = names.first.flatMap { wanted[$0] ?? nil }?.description ?? spec
        do {
            if input { try sequencer.disconnectInput(from: peer) } else { try sequencer.disconnectOutput(to: peer) }
            log.notice("\(input ? "input" : "output") \(spec) disconnected")
        } catch {
            log.warning("\(input ? "input" : "output") \(spec): could not disconnect: \(error)")
        }
    }

    /// Each wanted connection and where it is now, inputs first, by name.
    var snapshot: [DaemonState.Connection] {
        inputs.map { DaemonState.Connection(spec: $0.key, isInput: true, peer: $0.value?.description) }.sorted { $0.spec < $1.spec }
            + outputs.map { DaemonState.Connection(spec: $0.key, isInput: false, peer: $0.value?.description) }.sorted { $0.spec < $1.spec }
    }
}
