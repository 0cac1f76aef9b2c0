import Engine
import Foundation
import Logging
import MIDI
import MusicCore

/// The queue's tempo and MIDI clock: follows an external clock in (24 a quarter note), sends
/// one out, and retimes the queue (and FluidSynth) when the tempo changes. Every tempo change
/// goes through `setTempo(_:atTick:)`. With `clock.follow = "player"` the queue's tempo follows
/// the player's beat (LiveTempo, docs/tempo-following.md): at each of the player's note-ons, and
/// at the whole beat where each correction ends; what is queued ahead follows.
final class ClockSync {
    let sequencer: LiveSequencer
    let sound: LiveSound?
    let log: Logger
    let followClock: Bool
    let sendClock: Bool
    private(set) var tempoBPM: Double
    private var follower = ClockFollower()
    /// With `clock.follow = "player"`: the player's beat, steering the queue's tempo.
    private var player: LiveTempo?
    private var grid: TimeGrid
    /// The player's tempo last written to the log (it changes at every note).
    private var loggedPlayerBPM = 0.0
    /// Tap tempo (the preset's control.tap): four presses a beat apart.
    private var taps = TappedCountIn.Taps(chordWindowTicks: 0)
    private var lastTap = Int.min
    /// Clocks sent through this tick (when sending clock).
    private var clockSentThrough = -1
    static let ppq = 480

    init(tempoBPM: Double, followClock: Bool, sendClock: Bool, followPlayer: Bool = false, grid: TimeGrid = TimeGrid(),
         sequencer: LiveSequencer, sound: LiveSound?, log: Logger) {
        self.tempoBPM = tempoBPM
        self.grid = grid
        self.grid.tempoBPM = tempoBPM
        if followPlayer {
            player = LiveTempo(grid: self.grid)
            loggedPlayerBPM = tempoBPM
        }
        self.followClock = followClock
        self.sendClock = sendClock
        self.sequencer = sequencer
        self.sound = sound
        self.log = log
    }

    /// Queue ticks a millisecond at the tempo.
    var ticksPerMs: Double { Double(Self.ppq) * tempoBPM / 60_000 }

    /// The tempo from `tick` on (nil: now): the queue, then FluidSynth; logged. A tempo set by
    /// hand (controller, reload, the control page) is the new start for following the player:
    /// the next note is on its nearest beat.
    func setTempo(_ bpm: Double, atTick tick: Int? = nil) {
        if player != nil {
            grid.tempoBPM = bpm
            player = LiveTempo(grid: grid)
            loggedPlayerBPM = bpm
        }
        do {
            try sequencer.setTempo(bpm: bpm, atTick: tick)
            try sound?.setTempo(bpm)
            tempoBPM = bpm
            log.info("\(String(format: "tempo %.1f BPM", bpm))")
        } catch {
            log.warning("tempo: \(error)")
        }
    }

    // MARK: Following the player

    var followsPlayer: Bool { player != nil }
    /// The player's tempo as the beat tracker hears it (nil when not following).
    var playerBPM: Double? { player?.playerBPM }
    /// The queue tick where the player's map changes tempo next: a deadline for the loop.
    var nextPlayerTempoChange: Int? { player?.nextChange }

    /// A note-on of the player's, stamped at `tick` on the queue.
    func playerNoteOn(atTick tick: Int) {
        if let bpm = player?.noteOn(atQueueTick: tick) { follow(bpm) }
    }

    /// The queue reached `tick`: a correction that ends here hands over to the player's tempo.
    func reached(tick: Int) {
        if let bpm = player?.reached(queueTick: tick) { follow(bpm) }
    }

    /// The queue and FluidSynth take the player's map's tempo now; logged when the player's
    /// tempo has moved 2% since the last line.
    private func follow(_ bpm: Double) {
        do {
            try sequencer.setTempo(bpm: bpm, atTick: nil)
            try sound?.setTempo(bpm)
            tempoBPM = bpm
        } catch {
            log.warning("tempo: \(error)")
        }
        guard let heard = player?.playerBPM, abs(heard - loggedPlayerBPM) >= loggedPlayerBPM * 0.02 else { return }
        loggedPlayerBPM = heard
        log.info("\(String(format: "following the player at %.1f BPM", heard))")
    }

    /// A press of the tap-tempo controller at queue tick `tick`. The fourth press a beat apart
    /// sets the tempo (the meter's beat: a quarter in 4/4, a dotted quarter in 6/8); when
    /// following the player, it is the tempo the player's beat is followed from. More than
    /// two seconds between presses start the count again.
    func tap(atTick tick: Int) {
        if lastTap != .min, Double(tick - lastTap) > 2 * Double(Self.ppq) * tempoBPM / 60 {
            taps = TappedCountIn.Taps(chordWindowTicks: 0)
        }
        lastTap = tick
        switch taps.tap(atTick: tick) {
        case .success(let countIn)?:
            let beatTicks = Double(grid.ticksPerSlice * grid.meter.slicesPerBeat)
            let bpm = min(400, max(20, tempoBPM * beatTicks / countIn.ticksPerBeat))
            log.notice("\(String(format: "tap tempo: %.1f BPM", bpm))")
            setTempo(bpm)
        case .failure(let failure)?:
            log.info("tap tempo: \(failure); counting again from this tap")
        case nil:
            break
        }
    }

    enum Transport: Equatable { case none, started, stopped }

    /// A real-time message from the input, when following an external clock. Returns
    /// `.stopped` when the clock stopped (the daemon then panics).
    func heard(_ message: MIDIMessage) -> Transport {
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
            output.schedule(MIDIMessage.clock, atTick: t)
            clockSentThrough = t
            t += step
        }
    }
}
