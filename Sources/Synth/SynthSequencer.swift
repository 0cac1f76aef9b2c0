import CFluidSynth
import Foundation
import MIDI

/// FluidSynth's own sequencer, driven by the synth's sample clock
/// (`new_fluid_sequencer2(0)`): its time advances only as audio is rendered, by an audio
/// driver in real time or by `OfflineRenderer`, so events land at the rendered sample,
/// whatever the machine's load. Events fire at the start of FluidSynth's 64-frame block
/// (1.45 ms at 44.1 kHz) that follows their time; the sequencer counts in whole
/// milliseconds underneath, whatever the time scale.
///
/// Time is counted in the sequencer's ticks: `ticksPerSecond` of them a second (1000 by
/// default; improv uses PPQ * bpm / 60 so that its ticks map directly).
///
/// Threads: one thread (the engine's) sends; an audio driver's thread renders, which runs
/// FluidSynth's sequencer and so the synth's side of every event.
public final class SynthSequencer {
    public let synthesizer: Synthesizer
    let sequencer: OpaquePointer
    let destination: fluid_seq_id_t
    private let event: OpaquePointer
    private let lock = NSLock()
    /// The latest time of any event still pending (0 before the first).
    private var lastScheduled: UInt32 = 0
    /// The scale asked for last.
    private var scale: Double
    /// Changes the scale from FluidSynth's own thread (see `setTicksPerSecond`).
    private let scaleChange = PendingScale()
    private let scaleClient: fluid_seq_id_t
    private let scaleEvent: OpaquePointer

    public init(synthesizer: Synthesizer, ticksPerSecond: Double = 1000) throws(SynthError) {
        guard ticksPerSecond > 0, ticksPerSecond.isFinite else {
            throw .invalidSetting(name: "ticksPerSecond", value: "\(ticksPerSecond)")
        }
        self.synthesizer = synthesizer
        let sequencer = try created(new_fluid_sequencer2(0), "new_fluid_sequencer2")
        var events: [OpaquePointer] = []
        do {
            let id = fluid_sequencer_register_fluidsynth(sequencer, synthesizer.synth)   // id, or FLUID_FAILED
            try check(Int32(id), "fluid_sequencer_register_fluidsynth")
            destination = id
            let context = Unmanaged.passUnretained(scaleChange).toOpaque()
            let client = fluid_sequencer_register_client(sequencer, "improv-scale", changeScale, context)
            try check(Int32(client), "fluid_sequencer_register_client")
            scaleClient = client
            events.append(try created(new_fluid_event(), "new_fluid_event"))
            events.append(try created(new_fluid_event(), "new_fluid_event"))
        } catch {
            for event in events { delete_fluid_event(event) }
            delete_fluid_sequencer(sequencer)
            throw error
        }
        self.sequencer = sequencer
        event = events[0]
        scaleEvent = events[1]
        scale = ticksPerSecond
        fluid_event_set_source(event, -1)
        fluid_event_set_dest(event, destination)
        fluid_event_set_source(scaleEvent, -1)
        fluid_event_set_dest(scaleEvent, scaleClient)
        fluid_event_timer(scaleEvent, nil)
        fluid_sequencer_set_time_scale(sequencer, ticksPerSecond)
    }

    deinit {
        delete_fluid_event(event)
        delete_fluid_event(scaleEvent)
        delete_fluid_sequencer(sequencer)   // unregisters both clients; synthesizer and scaleChange outlive it
    }

    /// The sequencer's clock, in its ticks. (While an audio driver runs, a scale change made on
    /// its thread races with this read: FluidSynth reads its clock without a lock. The engine's
    /// path does not read it after setup; see `SynthOutput.sequencerTick`.)
    public var now: UInt32 { fluid_sequencer_get_tick(sequencer) }

    /// The scale asked for last (while an audio driver runs, it takes effect at the next block).
    public var ticksPerSecond: Double { lock.withLock { scale } }

    /// FluidSynth's own scale (a racy read while an audio driver renders: for tests, once it stops).
    var appliedTicksPerSecond: Double { fluid_sequencer_get_time_scale(sequencer) }

    /// Changes the scale; events already queued keep their tick values, so they follow it.
    ///
    /// FluidSynth allows fluid_sequencer_set_time_scale only "from a sequencer callback or
    /// initially when no event dispatching happens": it takes no lock, and the audio thread
    /// reads the scale while it dispatches (fluid_sequencer_process). So while an audio driver
    /// renders, the change goes through the queue as a timer event, and the callback of this
    /// sequencer's second client makes it, on the audio thread, between two blocks.
    public func setTicksPerSecond(_ value: Double) throws(SynthError) {
        guard value > 0, value.isFinite else { throw .invalidSetting(name: "ticksPerSecond", value: "\(value)") }
        lock.lock()
        defer { lock.unlock() }
        scale = value
        guard synthesizer.hasAudioDriver else { return fluid_sequencer_set_time_scale(sequencer, value) }
        scaleChange.set(value)
        // Time 0 is past: it fires at the start of the next block, before anything else due.
        try check(fluid_sequencer_send_at(sequencer, scaleEvent, 0, 1), "fluid_sequencer_send_at")
    }

    /// Queues `message` at absolute sequencer time `tick` (a past tick plays at once).
    public func send(_ message: ChannelMessage, atTick tick: UInt32) throws(SynthError) {
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
        lastScheduled = max(lastScheduled, tick)
    }

    private func send(atTick tick: UInt32, _ fill: (OpaquePointer) -> Void) throws(SynthError) {
        try send(atTick: tick) { (event: OpaquePointer) -> Bool in fill(event); return true }
    }

    /// Delivers `message` to the synth at once, ahead of anything queued.
    public func sendNow(_ message: ChannelMessage) {
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
        lastScheduled = 0
    }

    /// The latest time of any event still pending (0 before the first).
    public var lastScheduledTick: UInt32 { lock.withLock { lastScheduled } }

    /// True once the clock has passed every event still queued.
    public var isIdle: Bool { now >= lastScheduledTick }
}

/// The scale a live `setTicksPerSecond` asked for, until FluidSynth's thread takes it.
private final class PendingScale: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Double?

    func set(_ scale: Double) { lock.withLock { value = scale } }
    func take() -> Double? { lock.withLock { defer { value = nil }; return value } }
}

/// The scale client's callback: runs inside fluid_sequencer_process on the rendering thread.
private func changeScale(time: UInt32, event: OpaquePointer?, sequencer: OpaquePointer?, data: UnsafeMutableRawPointer?) {
    guard let event, let sequencer, let data, fluid_event_get_type(event) == Int32(FLUID_SEQ_TIMER.rawValue) else { return }
    if let scale = Unmanaged<PendingScale>.fromOpaque(data).takeUnretainedValue().take() {
        fluid_sequencer_set_time_scale(sequencer, scale)
    }
}
