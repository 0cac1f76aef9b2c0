import Engine
import CFluidSynth
import Foundation

/// FluidSynth's own sequencer, driven by the synth's sample clock
/// (`new_fluid_sequencer2(0)`): its time advances only as audio is rendered, by an audio
/// driver in real time or by `OfflineRenderer`, so events land at the rendered sample,
/// whatever the machine's load. Events fire at the start of FluidSynth's 64-frame block
/// (1.45 ms at 44.1 kHz) that follows their time; the sequencer counts in whole
/// milliseconds underneath, whatever the time scale.
///
/// Time is counted in the sequencer's ticks: `ticksPerSecond` of them a second (1000 by
/// default; improv uses PPQ * bpm / 60 so that its ticks map directly).
public final class SynthSequencer {
    public let synthesizer: Synthesizer
    let sequencer: OpaquePointer
    let destination: fluid_seq_id_t
    private let event: OpaquePointer
    private let lock = NSLock()
    /// The latest time of any event still pending (0 before the first).
    public private(set) var lastScheduledTick: UInt32 = 0

    public init(synthesizer: Synthesizer, ticksPerSecond: Double = 1000) throws(SynthError) {
        guard ticksPerSecond > 0, ticksPerSecond.isFinite else {
            throw .invalidSetting(name: "ticksPerSecond", value: "\(ticksPerSecond)")
        }
        self.synthesizer = synthesizer
        let sequencer = try created(new_fluid_sequencer2(0), "new_fluid_sequencer2")
        do {
            let id = fluid_sequencer_register_fluidsynth(sequencer, synthesizer.synth)   // id, or FLUID_FAILED
            try check(Int32(id), "fluid_sequencer_register_fluidsynth")
            destination = id
            event = try created(new_fluid_event(), "new_fluid_event")
        } catch {
            delete_fluid_sequencer(sequencer)
            throw error
        }
        self.sequencer = sequencer
        fluid_event_set_source(event, -1)
        fluid_event_set_dest(event, destination)
        fluid_sequencer_set_time_scale(sequencer, ticksPerSecond)
    }

    deinit {
        delete_fluid_event(event)
        delete_fluid_sequencer(sequencer)   // unregisters the synth client; synthesizer outlives it
    }

    /// The sequencer's clock, in its ticks.
    public var now: UInt32 { fluid_sequencer_get_tick(sequencer) }

    public var ticksPerSecond: Double { fluid_sequencer_get_time_scale(sequencer) }

    /// Changes the scale; times already queued keep their tick values.
    public func setTicksPerSecond(_ value: Double) throws(SynthError) {
        guard value > 0, value.isFinite else { throw .invalidSetting(name: "ticksPerSecond", value: "\(value)") }
        fluid_sequencer_set_time_scale(sequencer, value)
    }

    /// Queues `message` at absolute sequencer time `tick` (a past tick plays at once).
    public func send(_ message: MIDIMessage, atTick tick: UInt32) throws(SynthError) {
        try send(atTick: tick) { fill($0, with: message) }
    }

    /// Queues a file's channel event; meta events are ignored (returns false).
    @discardableResult
    public func send(_ midiEvent: StandardMIDIEvent, atTick tick: UInt32) throws(SynthError) -> Bool {
        var isChannelEvent = false
        try send(atTick: tick) { isChannelEvent = fill($0, with: midiEvent) }
        return isChannelEvent
    }

    private func send(atTick tick: UInt32, _ fill: (OpaquePointer) -> Bool) throws(SynthError) {
        lock.lock()
        defer { lock.unlock() }
        guard fill(event) else { return }
        try check(fluid_sequencer_send_at(sequencer, event, tick, 1), "fluid_sequencer_send_at")
        lastScheduledTick = max(lastScheduledTick, tick)
    }

    private func send(atTick tick: UInt32, _ fill: (OpaquePointer) -> Void) throws(SynthError) {
        try send(atTick: tick) { (event: OpaquePointer) -> Bool in fill(event); return true }
    }

    /// Delivers `message` to the synth at once, ahead of anything queued.
    public func sendNow(_ message: MIDIMessage) {
        lock.lock()
        defer { lock.unlock() }
        fill(event, with: message)
        fluid_sequencer_send_now(sequencer, event)
    }

    /// Removes every event still queued for the synth. Notes already sounding keep
    /// sounding (their note-offs are gone too): follow with `allNotesOff` as panic does.
    public func removePending() {
        lock.lock()
        defer { lock.unlock() }
        fluid_sequencer_remove_events(sequencer, -1, destination, -1)
        lastScheduledTick = 0
    }

    /// True once the clock has passed every event still queued.
    public var isIdle: Bool { now >= lastScheduledTick }
}
