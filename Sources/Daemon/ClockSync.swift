import Foundation
import Logging

/// The queue's tempo and MIDI clock: follows an external clock in (24 a quarter note), sends
/// one out, and retimes the queue (and FluidSynth) when the tempo changes. Every tempo change
/// goes through `setTempo(_:atTick:)`: the seam where following a player's tempo live will
/// retime the queue (docs/tempo-following.md).
final class ClockSync {
    let sequencer: LiveSequencer
    let sound: LiveSound?
    let log: Logger
    let followClock: Bool
    let sendClock: Bool
    private(set) var tempoBPM: Double
    private var follower = ClockFollower()
    /// Clocks sent through this tick (when sending clock).
    private var clockSentThrough = -1
    static let ppq = 480

    init(tempoBPM: Double, followClock: Bool, sendClock: Bool, sequencer: LiveSequencer, sound: LiveSound?, log: Logger) {
        self.tempoBPM = tempoBPM
        self.followClock = followClock
        self.sendClock = sendClock
        self.sequencer = sequencer
        self.sound = sound
        self.log = log
    }

    /// Queue ticks a millisecond at the tempo.
    var ticksPerMs: Double { Double(Self.ppq) * tempoBPM / 60_000 }

    /// The tempo from `tick` on (nil: now): the queue, then FluidSynth; logged.
    func setTempo(_ bpm: Double, atTick tick: Int? = nil) {
        do {
            try sequencer.setTempo(bpm: bpm, atTick: tick)
            try sound?.setTempo(bpm)
            tempoBPM = bpm
            log.info("\(String(format: "tempo %.1f BPM", bpm))")
        } catch {
            log.warning("tempo: \(error)")
        }
    }

    enum Transport: Equatable { case none, started, stopped }

    /// A real-time message from the input, when following an external clock. Returns
    /// `.stopped` when the clock stopped (the daemon then panics).
    func heard(_ message: SequencerMessage) -> Transport {
        guard followClock else { return .none }
        switch message {
        case .clock:
            if let bpm = follower.clock(at: sequencer.seconds, current: tempoBPM) { setTempo(bpm) }
        case .start, .continue:
            follower.reset()
            do { try sequencer.continueQueue() } catch { log.warning("\(error)") }
            log.info("external clock: \(message == .start ? "start" : "continue")")
            return .started
        case .stop:
            follower.reset()
            do { try sequencer.stopQueue() } catch { log.warning("\(error)") }
            log.info("external clock: stop")
            return .stopped
        case .channel:
            break
        }
        return .none
    }

    /// MIDI clock out: 24 a quarter note through `tick`, scheduled on the queue like the notes.
    func sendClock(through tick: Int, to output: SequencerOutput) {
        guard sendClock else { return }
        let step = Self.ppq / 24
        var t = (clockSentThrough / step + 1) * step
        while t <= tick {
            output.schedule(SequencerMessage.clock, atTick: t)
            clockSentThrough = t
            t += step
        }
    }
}
