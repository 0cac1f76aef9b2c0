import SeededRandom
import StandardMIDI

/// Random but valid `MIDIFile`s: every one writes and reads back identically.
enum RandomMIDI {
    enum Profile {
        /// Everything the model can hold: any meta type, any bytes, any
        /// Unicode track names, deltas up to the VLQ maximum.
        case anything
        /// Music-like files mido can read and re-encode faithfully: meta
        /// types mido knows, valid key signatures, moderate deltas.
        case mido
    }

    static func file(seed: UInt64, profile: Profile, format: UInt16? = nil, maxEventsPerTrack: Int = 150) -> MIDIFile {
        var rng = SeededGenerator(seed: seed)
        let format = format ?? (rng.chance(0.35) ? 0 : 1)
        let trackCount = format == 0 ? 1 : rng.int(1...6)
        let ticksPerQuarter = UInt16(rng.pick([24, 96, 120, 480, 960, rng.int(1...0x7FFF)]))
        let tracks = (0..<trackCount).map { index in
            track(&rng, index: index, profile: profile, maxEvents: maxEventsPerTrack)
        }
        return MIDIFile(format: format, ticksPerQuarter: ticksPerQuarter, tracks: tracks)
    }

    static func track(_ rng: inout SeededGenerator, index: Int, profile: Profile, maxEvents: Int) -> MIDITrack {
        // (tick, sequence, event): sorting by both keeps insertion order at equal ticks.
        var items: [(tick: UInt64, sequence: Int, event: MIDIEvent)] = []
        func add(_ tick: UInt64, _ event: MIDIEvent) {
            items.append((tick, items.count, event))
        }

        if rng.chance(0.8) { add(0, .trackName(name(&rng, profile: profile))) }
        if index == 0 && rng.chance(0.8) || rng.chance(0.15) {
            add(0, .tempo(microsecondsPerQuarter: UInt32(rng.int(0...0xFF_FFFF))))
        }
        let channels = (0..<rng.int(1...4)).map { _ in rng.uint8(0...15) }
        let keys = (0..<rng.int(1...6)).map { _ in rng.uint8(0...127) }  // few keys: same-key overlaps
        var tick: UInt64 = 0

        for _ in 0..<rng.int(0...maxEvents) {
            tick += delta(&rng, profile: profile)
            let channel = rng.pick(channels)
            let roll = rng.int(0...99)
            switch roll {
            case 0..<40:
                let key = rng.pick(keys)
                add(tick, .noteOn(channel: channel, key: key, velocity: rng.uint8(1...127)))
                if rng.chance(0.9) {  // else the note stays open to the end of the track
                    let length = UInt64(rng.pick([0, rng.int(1...50), rng.int(1...3000)]))
                    add(tick + length, .noteOff(channel: channel, key: key, velocity: rng.uint8(0...127)))
                }
            case 40..<44:
                add(tick, .noteOff(channel: channel, key: rng.uint8(0...127), velocity: rng.uint8(0...127)))
            case 44..<54:
                add(tick, .controlChange(channel: channel, controller: rng.uint8(0...127), value: rng.uint8(0...127)))
            case 54..<58:
                add(tick, .programChange(channel: channel, program: rng.uint8(0...127)))
            case 58..<64:
                add(tick, .pitchBend(channel: channel, value: UInt16(rng.int(0...16383))))
            case 64..<67:
                add(tick, .channelPressure(channel: channel, pressure: rng.uint8(0...127)))
            case 67..<70:
                add(tick, .polyPressure(channel: channel, key: rng.uint8(0...127), pressure: rng.uint8(0...127)))
            case 70..<75:
                add(tick, .tempo(microsecondsPerQuarter: UInt32(rng.int(0...0xFF_FFFF))))
            case 75..<78:
                switch profile {
                case .anything:
                    add(tick, .timeSignature(numerator: rng.uint8(), denominatorPower: rng.uint8(),
                                             clocksPerClick: rng.uint8(), thirtySecondsPerQuarter: rng.uint8()))
                case .mido:
                    add(tick, .timeSignature(numerator: rng.uint8(1...16), denominatorPower: rng.uint8(0...5),
                                             clocksPerClick: rng.uint8(), thirtySecondsPerQuarter: rng.uint8()))
                }
            case 78..<81:
                switch profile {
                case .anything: add(tick, .keySignature(sharps: Int8(bitPattern: rng.uint8()), minor: rng.chance(0.5)))
                case .mido: add(tick, .keySignature(sharps: Int8(rng.int(-7...7)), minor: rng.chance(0.5)))
                }
            case 81..<83:
                add(tick, .trackName(name(&rng, profile: profile)))
            default:
                add(tick, otherMeta(&rng, profile: profile))
            }
        }
        items.sort { ($0.tick, $0.sequence) < ($1.tick, $1.sequence) }
        return MIDITrack(events: items.map { MIDITrackEvent(tick: $0.tick, event: $0.event) })
    }

    static func delta(_ rng: inout SeededGenerator, profile: Profile) -> UInt64 {
        let roll = rng.int(0...999)
        switch roll {
        case 0..<350: return 0
        case 350..<900: return UInt64(rng.int(1...200))
        case 900..<990: return UInt64(rng.int(200...30000))
        default:
            switch profile {
            case .anything: return rng.chance(0.5) ? UInt64(VariableLengthQuantity.maxValue) : UInt64(rng.int(30000...Int(VariableLengthQuantity.maxValue)))
            case .mido: return UInt64(rng.int(30000...3_000_000))
            }
        }
    }

    /// Meta events other than the four with their own cases (and End-of-Track).
    static func otherMeta(_ rng: inout SeededGenerator, profile: Profile) -> MIDIEvent {
        switch profile {
        case .anything:
            var type: UInt8
            repeat { type = rng.uint8() } while [0x03, 0x2F, 0x51, 0x58, 0x59].contains(type)
            // Lengths past 127 and 16383 exercise 2- and 3-byte VLQ lengths.
            let length = rng.chance(0.02) ? rng.int(16384...20000) : rng.pick([0, 1, rng.int(0...40), rng.int(100...300)])
            return .meta(type: type, data: rng.bytes(length))
        case .mido:
            // Types mido has classes for and re-encodes byte for byte (text
            // types are Latin-1 both ways); mido loses the delta time of
            // meta types it has no class for.
            let type = rng.pick([0x01, 0x02, 0x04, 0x05, 0x06, 0x07, 0x7F] as [UInt8])
            return .meta(type: type, data: rng.bytes(rng.int(0...60)))
        }
    }

    static func name(_ rng: inout SeededGenerator, profile: Profile) -> String {
        let pools: [ClosedRange<UInt32>] = switch profile {
        case .anything: [0x20...0x7E, 0x00...0x1F, 0xA0...0xFF, 0x300...0x36F, 0x4E00...0x4E80, 0x1F3B5...0x1F3BC]
        case .mido: [0x20...0x7E, 0x20...0x7E, 0xC0...0xFF, 0x266A...0x266B, 0x1F3B5...0x1F3BC]
        }
        var text = ""
        for _ in 0..<rng.int(0...16) {
            let pool = rng.pick(pools)
            let value = UInt32(rng.int(Int(pool.lowerBound)...Int(pool.upperBound)))
            if let scalar = Unicode.Scalar(value) { text.unicodeScalars.append(scalar) }
        }
        return text
    }
}
