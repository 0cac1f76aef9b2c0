import Logging

/// The connections the preset asks for (inputs to improv's port, improv's port to outputs), as
/// aconnect names them, and where each is connected now. A peer that goes away is waited for,
/// and connected again when the system announces a new client or port. Connections others made
/// to improv's ports (aconnect, a synth's patchbay) are followed from the system's
/// announcements: shown with the wanted ones and cut the same way, never made again.
final class Connections {
    let sequencer: LiveSequencer
    let log: Logger
    /// Wanted peers and their addresses now (nil: not connected).
    private(set) var inputs: [String: PortAddress?] = [:]
    private(set) var outputs: [String: PortAddress?] = [:]
    /// Every peer subscribed to improv's input / output port now, whoever connected it.
    private(set) var subscribedInputs: Set<PortAddress> = []
    private(set) var subscribedOutputs: Set<PortAddress> = []

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
        subscribedInputs = subscribedInputs.filter { !matches($0) }
        subscribedOutputs = subscribedOutputs.filter { !matches($0) }
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

    /// The system announced a subscription made (`made`) or cut between `sender` and `dest`;
    /// those that involve improv's input or output port are followed.
    func announced(sender: PortAddress, dest: PortAddress, made: Bool) {
        let me = sequencer.clientID
        if dest.client == me && dest.port == sequencer.inputPort {
            if made { subscribedInputs.insert(sender) } else { subscribedInputs.remove(sender) }
        }
        if sender.client == me && sender.port == sequencer.outputPort {
            if made { subscribedOutputs.insert(dest) } else { subscribedOutputs.remove(dest) }
        }
    }

    /// Each wanted connection and where it is now, by name, then the connections others made
    /// (named by the peer's address), by address; inputs first.
    var snapshot: [DaemonState.Connection] {
        func list(_ wanted: [String: PortAddress?], _ subscribed: Set<PortAddress>, input: Bool) -> [DaemonState.Connection] {
            let ours = Set(wanted.values.compactMap { $0 })
            let others = subscribed.subtracting(ours).sorted { ($0.client, $0.port) < ($1.client, $1.port) }
            return wanted.map { DaemonState.Connection(spec: $0.key, isInput: input, peer: $0.value?.description) }.sorted { $0.spec < $1.spec }
                + others.map { DaemonState.Connection(spec: $0.description, isInput: input, peer: $0.description, wanted: false) }
        }
        return list(inputs, subscribedInputs, input: true) + list(outputs, subscribedOutputs, input: false)
    }
}
