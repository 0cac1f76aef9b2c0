/// Turns a `MIDIFile` into Standard MIDI File bytes.
///
/// - Header: MThd, length 6, the struct's format, the track count, ticks per quarter.
/// - Each track: delta times as VLQs, running status for consecutive channel
///   messages with the same status byte (any meta event in between makes the
///   next channel message write its status again, as the spec asks), then
///   End-of-Track at the last event's tick.
///
/// It never fails. What the format cannot hold is clamped, masked or dropped
/// (`MIDIFile.validate` reports all of these):
/// - a tick before the previous event's is written with delta 0, a delta above
///   0x0FFFFFFF as 0x0FFFFFFF;
/// - channels are masked to 4 bits and data bytes to 7; pitch bend is clamped
///   to 16383, tempo to 0xFFFFFF, meta data to 0x0FFFFFFF bytes;
/// - `.meta` End-of-Track (0x2F) is dropped (the writer adds its own), and so
///   is a `.meta` tempo, time or key signature of the wrong length, which no
///   reader could read back.
enum MIDIFileWriter {
    static func serialize(_ file: MIDIFile) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(14 + file.tracks.reduce(0) { $0 + 12 + $1.events.count * 4 })
        out += [0x4D, 0x54, 0x68, 0x64, 0, 0, 0, 6]  // "MThd", length 6
        appendBigEndian16(file.format, to: &out)
        appendBigEndian16(UInt16(clamping: file.tracks.count), to: &out)
        appendBigEndian16(file.ticksPerQuarter, to: &out)
        for track in file.tracks {
            let body = trackBody(track)
            out += [0x4D, 0x54, 0x72, 0x6B]  // "MTrk"
            appendBigEndian32(UInt32(clamping: body.count), to: &out)
            out += body
        }
        return out
    }

    static func trackBody(_ track: MIDITrack) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(track.events.count * 4 + 4)
        var previousTick: UInt64 = 0
        var runningStatus: UInt8? = nil

        for trackEvent in track.events {
            guard let encoded = encode(trackEvent.event) else { continue }
            let delta = trackEvent.tick > previousTick
                ? min(trackEvent.tick - previousTick, UInt64(VariableLengthQuantity.maxValue))
                : 0
            previousTick += delta
            VariableLengthQuantity.append(UInt32(delta), to: &out)

            switch encoded {
            case .channel(let status, let data1, let data2):
                if status != runningStatus {
                    out.append(status)
                    runningStatus = status
                }
                out.append(data1)
                if let data2 { out.append(data2) }
            case .meta(let type, let data):
                runningStatus = nil
                let length = min(data.count, Int(VariableLengthQuantity.maxValue))
                out.append(0xFF)
                out.append(type)
                VariableLengthQuantity.append(UInt32(length), to: &out)
                out += data.prefix(length)
            }
        }
        out += [0x00, 0xFF, 0x2F, 0x00]  // End-of-Track at the last event's tick
        return out
    }

    enum Encoded {
        case channel(status: UInt8, data1: UInt8, data2: UInt8?)
        case meta(type: UInt8, data: [UInt8])
    }

    /// The wire form of an event, or nil when the writer drops it.
    static func encode(_ event: MIDIEvent) -> Encoded? {
        func status(_ kind: UInt8, _ channel: UInt8) -> UInt8 { kind | (channel & 0x0F) }
        switch event {
        case .noteOff(let channel, let key, let velocity):
            return .channel(status: status(0x80, channel), data1: key & 0x7F, data2: velocity & 0x7F)
        case .noteOn(let channel, let key, let velocity):
            return .channel(status: status(0x90, channel), data1: key & 0x7F, data2: velocity & 0x7F)
        case .polyPressure(let channel, let key, let pressure):
            return .channel(status: status(0xA0, channel), data1: key & 0x7F, data2: pressure & 0x7F)
        case .controlChange(let channel, let controller, let value):
            return .channel(status: status(0xB0, channel), data1: controller & 0x7F, data2: value & 0x7F)
        case .programChange(let channel, let program):
            return .channel(status: status(0xC0, channel), data1: program & 0x7F, data2: nil)
        case .channelPressure(let channel, let pressure):
            return .channel(status: status(0xD0, channel), data1: pressure & 0x7F, data2: nil)
        case .pitchBend(let channel, let value):
            let bend = min(value, 16383)
            return .channel(status: status(0xE0, channel),
                            data1: UInt8(truncatingIfNeeded: bend) & 0x7F,
                            data2: UInt8(truncatingIfNeeded: bend >> 7))
        case .tempo(let microseconds):
            let tempo = min(microseconds, 0xFF_FFFF)
            return .meta(type: 0x51, data: [UInt8(truncatingIfNeeded: tempo >> 16),
                                            UInt8(truncatingIfNeeded: tempo >> 8),
                                            UInt8(truncatingIfNeeded: tempo)])
        case .timeSignature(let numerator, let denominatorPower, let clocksPerClick, let thirtySeconds):
            return .meta(type: 0x58, data: [numerator, denominatorPower, clocksPerClick, thirtySeconds])
        case .keySignature(let sharps, let minor):
            return .meta(type: 0x59, data: [UInt8(bitPattern: sharps), minor ? 1 : 0])
        case .trackName(let name):
            return .meta(type: 0x03, data: Array(name.utf8))
        case .meta(let type, let data):
            return metaProblem(type: type, count: data.count) == nil ? .meta(type: type, data: data) : nil
        }
    }

    /// Why a `.meta` value cannot be written as it is, or nil when it can.
    static func metaProblem(type: UInt8, count: Int) -> String? {
        switch type {
        case 0x2F: return "End-of-Track meta event (the writer adds it)"
        case 0x51 where count != 3: return "tempo meta event (0x51) with length \(count), must be 3"
        case 0x58 where count != 4: return "time signature meta event (0x58) with length \(count), must be 4"
        case 0x59 where count != 2: return "key signature meta event (0x59) with length \(count), must be 2"
        default: return nil
        }
    }

    static func appendBigEndian16(_ value: UInt16, to out: inout [UInt8]) {
        out.append(UInt8(truncatingIfNeeded: value >> 8))
        out.append(UInt8(truncatingIfNeeded: value))
    }

    static func appendBigEndian32(_ value: UInt32, to out: inout [UInt8]) {
        out.append(UInt8(truncatingIfNeeded: value >> 24))
        out.append(UInt8(truncatingIfNeeded: value >> 16))
        out.append(UInt8(truncatingIfNeeded: value >> 8))
        out.append(UInt8(truncatingIfNeeded: value))
    }
}
