@testable import Engine
import MusicCore

/// A random session for the engine property test: a stretch of chaos (notes, chords, odd
/// input, controls, panics, clock stops, reloads), then the player lifts every key, plays a
/// plain call and falls silent. Everything follows from the seed, so a failing seed replays.
struct PlayerScript {
    /// What the live daemon does to the engine, as engine calls (the engine's own property test;
    /// the daemon's real mapping of input to these calls, LiveDaemon.handle, is run by
    /// Tests/DaemonTests/DaemonPropertyTests).
    enum Event: Equatable {
        case noteOn(channel: UInt8, key: UInt8, velocity: UInt8)
        case noteOff(channel: UInt8, key: UInt8)
        /// The panic controller, or all-notes-off / all-sound-off from the input.
        case panic
        /// External clock stop: panic, and the queue stands still (until start or continue,
        /// every input is stamped with this tick).
        case clockStop
        /// The temperature controller.
        case temperature(Float)
        /// The mode controller (only a change reaches the engine).
        case mode(Session.Mode)
        /// SIGHUP: reload(model:), setSampling, and setMode when the preset's mode differs.
        case reload(model: Int, mode: Session.Mode)
        /// The player's port went away.
        case playerGone
    }

    struct Step {
        var tick: Int
        var event: Event
    }

    static let tps = 240
    static let bar = 8 * tps

    let seed: UInt64
    var settings = Engine.Settings()
    var steps: [Step] = []
    /// The plain call at the end: its first note-on and last note-off.
    var callStart = 0
    var callEnd = 0
    /// How late the driver may wake after a deadline or an input (a loaded machine).
    var lateness = 0

    init(seed: UInt64) {
        self.seed = seed
        var rng = SeededGenerator(seed: seed)
        settings.seed = rng.next()
        settings.key = Key(tonic: Int.random(in: 0..<12, using: &rng))
        settings.swing = [0.5, 0.5, 0.62, 2.0 / 3].randomElement(using: &rng)!
        settings.mode = Session.Mode.allCases.randomElement(using: &rng)!
        settings.passThrough = Bool.random(using: &rng)
        settings.splitPitch = [nil, 60, 60, 55].randomElement(using: &rng)!
        settings.lookahead = Int.random(in: 2...4, using: &rng)
        if Int.random(in: 0..<4, using: &rng) == 0 {
            settings.callBars = Int.random(in: 1...4, using: &rng)
            settings.responseBars = Int.random(in: 0...2, using: &rng)
        }
        lateness = [0, 0, 30, Self.tps / 2].randomElement(using: &rng)!
        generate(&rng)
    }

    private mutating func generate(_ rng: inout SeededGenerator) {
        let offset = settings.key.offsetFromC
        var held: [Int: Int] = [:]  // channel*128+key -> last note-on tick
        var t = Int.random(in: 0...Self.bar, using: &rng)
        let chaosEnd = Int.random(in: 1...6, using: &rng) * Self.bar
        let mostlyMelody = Bool.random(using: &rng)
        func add(_ tick: Int, _ e: Event) { steps.append(Step(tick: tick, event: e)) }

        while t < chaosEnd {
            let channel = UInt8([0, 0, 0, 1, 9].randomElement(using: &rng)!)
            let roll = Int.random(in: 0..<100, using: &rng)
            switch roll {
            case 0..<45:  // a melody note, sometimes released, sometimes re-struck
                let key = UInt8(clamping: Int.random(in: 60...84, using: &rng) + offset)
                add(t, .noteOn(channel: channel, key: key, velocity: UInt8.random(in: 1...127, using: &rng)))
                held[Int(channel) * 128 + Int(key)] = t
                if Int.random(in: 0..<10, using: &rng) < 8 {
                    let end = t + Int.random(in: 10...(mostlyMelody ? 900 : 2400), using: &rng)
                    add(end, .noteOff(channel: channel, key: key))
                    held[Int(channel) * 128 + Int(key)] = nil
                }
            case 45..<60:  // a chord, its notes a hair apart
                let root = Int.random(in: 40...58, using: &rng) + offset
                let length = Int.random(in: 100...3000, using: &rng)
                for (i, interval) in [0, 4, 7, 10].prefix(Int.random(in: 2...4, using: &rng)).enumerated() {
                    let key = UInt8(clamping: root + interval)
                    add(t + i * Int.random(in: 0...12, using: &rng), .noteOn(channel: channel, key: key, velocity: UInt8.random(in: 30...110, using: &rng)))
                    if Int.random(in: 0..<10, using: &rng) < 9 {
                        add(t + length + Int.random(in: -20...20, using: &rng), .noteOff(channel: channel, key: key))
                    } else {
                        held[Int(channel) * 128 + Int(key)] = t
                    }
                }
            case 60..<66:  // a note-off without its note-on
                add(t, .noteOff(channel: channel, key: UInt8.random(in: 0...127, using: &rng)))
            case 66..<70:  // velocity 0, or anywhere in MIDI's range (out of range once moved to C)
                let key = UInt8.random(in: 0...127, using: &rng)
                let velocity: UInt8 = Bool.random(using: &rng) ? 0 : UInt8.random(in: 1...127, using: &rng)
                add(t, .noteOn(channel: channel, key: key, velocity: velocity))
                if velocity > 0 { add(t + Int.random(in: 1...500, using: &rng), .noteOff(channel: channel, key: key)) }
            case 70..<74:  // the same note-on twice, one note-off (or two)
                let key = UInt8(clamping: Int.random(in: 48...80, using: &rng) + offset)
                add(t, .noteOn(channel: channel, key: key, velocity: 90))
                add(t + Int.random(in: 0...300, using: &rng), .noteOn(channel: channel, key: key, velocity: 70))
                add(t + Int.random(in: 300...900, using: &rng), .noteOff(channel: channel, key: key))
                if Bool.random(using: &rng) { add(t + 950, .noteOff(channel: channel, key: key)) }
            case 74..<78:
                add(t, .panic)
            case 78..<82:  // clock stop; the player may go on playing while the queue stands
                add(t, .clockStop)
                for _ in 0..<Int.random(in: 0...2, using: &rng) {
                    let key = UInt8(clamping: Int.random(in: 60...72, using: &rng) + offset)
                    add(t, .noteOn(channel: 0, key: key, velocity: 80))
                    if Bool.random(using: &rng) { add(t, .noteOff(channel: 0, key: key)) } else { held[Int(key)] = t }
                }
            case 82..<87:
                add(t, .temperature(Float(0.2 + 1.8 * Double(UInt8.random(in: 0...127, using: &rng)) / 127)))
            case 87..<92:
                add(t, .mode(Session.Mode.allCases.randomElement(using: &rng)!))
            case 92..<96:
                add(t, .reload(model: Int.random(in: 0...1, using: &rng), mode: Session.Mode.allCases.randomElement(using: &rng)!))
            default:
                add(t, .playerGone)
                held.removeAll()
            }
            t += [0, 1, 20, 120, 240, 480, 700, 1500].randomElement(using: &rng)!
        }

        // The player lifts every key (or the port goes away), waits a little, plays a plain
        // call of quarter notes and falls silent.
        let lift = max(t, chaosEnd)
        if Bool.random(using: &rng) {
            for id in held.keys.sorted() { add(lift, .noteOff(channel: UInt8(id / 128), key: UInt8(id % 128))) }
        } else {
            add(lift, .playerGone)
        }
        callStart = (lift / Self.bar + Int.random(in: 1...2, using: &rng)) * Self.bar
        let quarters = Int.random(in: 3...8, using: &rng)
        for i in 0..<quarters {
            let key = UInt8(Int([60, 63, 65, 67, 70, 72].randomElement(using: &rng)!) + offset)
            let start = callStart + i * 2 * Self.tps
            add(start, .noteOn(channel: 0, key: key, velocity: 96))
            add(start + 2 * Self.tps - 30, .noteOff(channel: 0, key: key))
            callEnd = start + 2 * Self.tps - 30
        }
        // Stable: events at one tick keep the order they were made in.
        steps = steps.enumerated().sorted { ($0.element.tick, $0.offset) < ($1.element.tick, $1.offset) }.map(\.element)
        // A long chord from the chaos may still be held over the call: the player is silent
        // only after the last note-off.
        callEnd = max(callEnd, steps.last!.tick)
    }

    /// The script in a few lines, for a failure message.
    var summary: String {
        let s = settings
        var kinds: [String: Int] = [:]
        for step in steps {
            let name = "\(step.event)".prefix { $0 != "(" }
            kinds[String(name), default: 0] += 1
        }
        return "mode \(s.mode.rawValue), key \(s.key), swing \(s.swing), passThrough \(s.passThrough), split \(s.splitPitch.map(String.init) ?? "none"), "
            + "lookahead \(s.lookahead), callBars \(s.callBars)/\(s.responseBars), lateness \(lateness); "
            + "\(steps.count) steps \(kinds.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")); "
            + "call \(callStart)-\(callEnd)"
    }
}
