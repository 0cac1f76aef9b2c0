import ControlPage
import Daemon
import Dispatch
import Engine
import MusicCore

/// Turns the loop's plain events into the page's (parts by channel, beats, the form's chord),
/// and notices state changes. Runs on the web server's thread, under the surface's lock.
struct EventRelay {
    let info: SessionInfo
    /// The state last announced, in the parts a `.stateChanged` is about (not the position).
    private var announced: Signature?
    /// The tick of the last all-notes-off passed on (a panic sends one per channel).
    private var lastSilence = Int.min
    /// The key chords are named in, as of the last look at the state, and when that was: the
    /// state is looked at 20 times a second at most, however many clients pump (it is behind
    /// the lock the loop takes each turn for its mailbox).
    private var key = Key.c
    private var lookedAt: UInt64 = 0
    static let lookEvery: UInt64 = 50_000_000

    init(info: SessionInfo) { self.info = info }

    struct Signature: Equatable {
        var mode: String, key: Key, tempo: Double, temperature: Double, topK: Int
        var learning: String, phrases: Int, connections: [DaemonState.Connection], reloads: Int
        /// What the listener heard in the last call.
        var call: Listener.Figures?
        init(_ d: DaemonState) {
            call = d.call
            mode = d.mode.rawValue
            key = d.key
            tempo = d.tempoBPM
            temperature = d.temperature
            topK = d.topK
            learning = d.learning
            phrases = d.phrasesLearned
            connections = d.connections
            reloads = d.reloads
        }
    }

    mutating func relay(ring: DaemonEventRing, control: DaemonControl, to hub: EventHub) {
        let now = DispatchTime.now().uptimeNanoseconds
        let state = now &- lookedAt >= Self.lookEvery || announced == nil ? control.state : nil
        if let state {
            lookedAt = now
            key = state.key
        }
        let key = key
        ring.drain { e in
            let beat = Double(e.tick) / Double(TimeGrid.defaultTicksPerQuarter)
            switch e.kind {
            case .heard:
                hub.publish(e.velocity > 0 ? .noteOn(part: .player, pitch: e.key, velocity: e.velocity, beat: beat)
                    : .noteOff(part: .player, pitch: e.key, beat: beat))
            case .played:
                guard let part = info.parts[Int(e.channel & 15)] else { return }
                hub.publish(e.velocity > 0 ? .noteOn(part: part, pitch: e.key, velocity: e.velocity, beat: beat)
                    : .noteOff(part: part, pitch: e.key, beat: beat))
            case .allNotesOff:
                guard e.tick != lastSilence else { return }
                lastSilence = e.tick
                hub.publish(.allNotesOff(beat: beat))
            case .beat:
                let slice = e.value
                let per = max(1, info.slicesPerBar)
                hub.publish(.position(beat: beat, bar: slice / per, barBeat: Double(slice % per) / 2,
                                      chord: info.chord(atSlice: slice, key: key)))
            }
        }
        guard let state else { return }
        let signature = Signature(state)
        if signature != announced {
            if announced != nil { hub.publish(.stateChanged) }
            announced = signature
        }
    }
}
