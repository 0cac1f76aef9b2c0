/// Parses Standard MIDI File bytes.
///
/// Works on `[UInt8]` with an explicit bound (file end or chunk end) checked
/// before every read, so bad input throws `MIDIFileError` instead of trapping.
/// Nothing is allocated from a size read out of the file unless the bytes
/// left can hold it, and the number of events is capped.
///
/// Leniencies (things some writers do that the spec forbids):
/// - Meta and sysex events leave running status as it was. The spec says they
///   cancel it, but real files rely on it surviving a meta event, and a file
///   that follows the spec never has a data byte there anyway.
/// - Format 0 files with other than one track are read as they are.
/// - Bytes after End-of-Track in a chunk, and anything after the last track
///   the header declares, are ignored. A track chunk without End-of-Track is
///   accepted when it ends on an event boundary.
///
/// System common and real-time status bytes (0xF1-0xF6, 0xF8-0xFE) are errors:
/// they have no place in a file, and skipping them would be guessing at
/// lengths that a corrupt file does not promise.
struct MIDIFileReader {
    let bytes: [UInt8]
    let name: String
    let maxEvents: Int
    private var eventCount = 0

    init(bytes: [UInt8], name: String, maxEvents: Int) {
        self.bytes = bytes
        self.name = name
        self.maxEvents = maxEvents
    }

    mutating func read() throws(MIDIFileError) -> MIDIFile {
        let count = bytes.count
        guard count >= 8 else {
            throw error(at: 0, "file too short for a header chunk: \(count) bytes, need at least 14")
        }
        guard bytes[0] == 0x4D, bytes[1] == 0x54, bytes[2] == 0x68, bytes[3] == 0x64 else {
            throw error(at: 0, "not a Standard MIDI File: expected chunk 'MThd', found \(describeTag(at: 0))")
        }
        let headerLength = bigEndian32(at: 4)
        guard headerLength >= 6 else {
            throw error(at: 4, "header chunk length \(headerLength) is less than 6")
        }
        guard UInt64(headerLength) <= UInt64(count - 8) else {
            throw error(at: 4, "header chunk length \(headerLength) exceeds the \(count - 8) bytes left in the file")
        }
        let format = bigEndian16(at: 8)
        switch format {
        case 0, 1: break
        case 2: throw error(at: 8, "format 2 (independent sequences) is not supported")
        default: throw error(at: 8, "unknown format \(format)")
        }
        let declaredTracks = Int(bigEndian16(at: 10))
        let division = bigEndian16(at: 12)
        guard declaredTracks > 0 else {
            throw error(at: 10, "header declares no tracks: the file holds no music")
        }
        // SMPTE time (a DAW's frames a second and ticks a frame): ticks are absolute time, read
        // as quarter notes of one second (60 BPM; 29.97 drop-frame a hair faster), with the
        // file's own tempo events, which SMPTE time ignores, left out.
        var ticksPerQuarter = division
        var smpteTempo: UInt32?
        if division & 0x8000 != 0 {
            let fps = -Int(Int8(bitPattern: UInt8(division >> 8)))
            let perFrame = Int(division & 0xFF)
            guard [24, 25, 29, 30].contains(fps), perFrame > 0 else {
                throw error(at: 12, "SMPTE time division 0x\(hex(division)): expected 24, 25, 29 (29.97 drop-frame) or 30 frames a second and at least 1 tick a frame")
            }
            let nominal = (fps == 29 ? 30 : fps) * perFrame
            let real = fps == 29 ? 29.97 * Double(perFrame) : Double(nominal)
            ticksPerQuarter = UInt16(nominal)
            smpteTempo = UInt32((1_000_000 * Double(nominal) / real).rounded())
        }
        guard division != 0 else {
            throw error(at: 12, "time division is 0 ticks per quarter note")
        }

        // Extra header bytes (a longer MThd from a later spec) are skipped.
        var position = 8 + Int(headerLength)
        var tracks: [MIDITrack] = []
        while tracks.count < declaredTracks {
            if position == count {
                throw error(at: 10, "header declares \(declaredTracks) tracks but the file holds only \(tracks.count)")
            }
            let left = count - position
            guard left >= 8 else {
                throw error(at: position, "truncated chunk header: \(left) of 8 bytes")
            }
            let length = bigEndian32(at: position + 4)
            guard UInt64(length) <= UInt64(left - 8) else {
                throw error(at: position + 4, "chunk \(describeTag(at: position)) length \(length) exceeds the \(left - 8) bytes left in the file")
            }
            let body = position + 8
            let end = body + Int(length)
            let isTrack = bytes[position] == 0x4D && bytes[position + 1] == 0x54
                && bytes[position + 2] == 0x72 && bytes[position + 3] == 0x6B
            if isTrack {
                tracks.append(try readTrack(from: body, to: end))
            }
            // Unknown chunk types are skipped by their length.
            position = end
        }
        if let smpteTempo, !tracks.isEmpty {
            for i in tracks.indices {
                tracks[i].events.removeAll { if case .tempo = $0.event { return true } else { return false } }
            }
            tracks[0].events.insert(MIDITrackEvent(tick: 0, event: .tempo(microsecondsPerQuarter: smpteTempo)), at: 0)
        }
        return MIDIFile(format: format, ticksPerQuarter: ticksPerQuarter, tracks: tracks)
    }

    // MARK: Track chunks

    private mutating func readTrack(from start: Int, to end: Int) throws(MIDIFileError) -> MIDITrack {
        var events: [MIDITrackEvent] = []
        var position = start
        var tick: UInt64 = 0
        var runningStatus: UInt8? = nil

        while position < end {
            let eventStart = position
            let delta = try readQuantity(at: &position, end: end, what: "delta time")
            // At most 0x0FFFFFFF per event and capped events: cannot overflow, but never trap.
            tick &+= UInt64(delta)
            guard position < end else {
                throw error(at: eventStart, "track chunk ends after a delta time, with no event")
            }

            let messageStart = position
            var status = bytes[position]
            if status < 0x80 {
                guard let previous = runningStatus else {
                    throw error(at: position, "data byte 0x\(hex(status)) with no status byte before it (running status without a previous channel message)")
                }
                status = previous  // running status: this byte is the first data byte
            } else {
                position += 1
            }

            let event: MIDIEvent?
            switch status {
            case 0x80...0xEF:
                runningStatus = status
                event = try readChannelMessage(status: status, at: &position, end: end, messageStart: messageStart)
            case 0xFF:
                guard position < end else {
                    throw error(at: messageStart, "truncated meta event: no type byte")
                }
                let type = bytes[position]
                position += 1
                let lengthOffset = position
                let data = try readLengthPrefixed(at: &position, end: end, what: "meta event")
                if type == 0x2F {
                    return MIDITrack(events: events)  // End-of-Track: the rest of the chunk is ignored
                }
                event = try decodeMeta(type: type, data: bytes[data], lengthOffset: lengthOffset)
            case 0xF0, 0xF7:
                _ = try readLengthPrefixed(at: &position, end: end, what: "sysex event")
                event = nil  // sysex is skipped
            default:
                throw error(at: messageStart, "system common/real-time status byte 0x\(hex(status)) is not allowed in a track chunk")
            }

            if let event {
                guard eventCount < maxEvents else {
                    throw error(at: eventStart, "file holds more than \(maxEvents) events")
                }
                eventCount += 1
                events.append(MIDITrackEvent(tick: tick, event: event))
            }
        }
        return MIDITrack(events: events)
    }

    private func readChannelMessage(
        status: UInt8, at position: inout Int, end: Int, messageStart: Int
    ) throws(MIDIFileError) -> MIDIEvent {
        let kind = status & 0xF0
        let channel = status & 0x0F
        let dataCount = (kind == 0xC0 || kind == 0xD0) ? 1 : 2
        guard end - position >= dataCount else {
            throw error(at: messageStart, "truncated channel message 0x\(hex(status)): needs \(dataCount) data bytes, \(end - position) left in the track chunk")
        }
        for index in position..<(position + dataCount) where bytes[index] >= 0x80 {
            throw error(at: index, "expected a data byte in channel message 0x\(hex(status)), found 0x\(hex(bytes[index]))")
        }
        let first = bytes[position]
        let second: UInt8 = dataCount == 2 ? bytes[position + 1] : 0
        position += dataCount

        switch kind {
        case 0x80: return .noteOff(channel: channel, key: first, velocity: second)
        case 0x90:
            // Velocity 0 means note-off (MIDI spec); see MIDIEvent.
            return second == 0
                ? .noteOff(channel: channel, key: first, velocity: 0)
                : .noteOn(channel: channel, key: first, velocity: second)
        case 0xA0: return .polyPressure(channel: channel, key: first, pressure: second)
        case 0xB0: return .controlChange(channel: channel, controller: first, value: second)
        case 0xC0: return .programChange(channel: channel, program: first)
        case 0xD0: return .channelPressure(channel: channel, pressure: first)
        default: return .pitchBend(channel: channel, value: UInt16(first) | UInt16(second) << 7)
        }
    }

    private func decodeMeta(type: UInt8, data: ArraySlice<UInt8>, lengthOffset: Int) throws(MIDIFileError) -> MIDIEvent {
        let d = data.startIndex
        switch type {
        case 0x51:
            guard data.count == 3 else {
                throw error(at: lengthOffset, "tempo meta event must have length 3, found \(data.count)")
            }
            return .tempo(microsecondsPerQuarter: UInt32(data[d]) << 16 | UInt32(data[d + 1]) << 8 | UInt32(data[d + 2]))
        case 0x58:
            guard data.count == 4 else {
                throw error(at: lengthOffset, "time signature meta event must have length 4, found \(data.count)")
            }
            return .timeSignature(numerator: data[d], denominatorPower: data[d + 1],
                                  clocksPerClick: data[d + 2], thirtySecondsPerQuarter: data[d + 3])
        case 0x59:
            guard data.count == 2 else {
                throw error(at: lengthOffset, "key signature meta event must have length 2, found \(data.count)")
            }
            return .keySignature(sharps: Int8(bitPattern: data[d]), minor: data[d + 1] != 0)
        case 0x03:
            return .trackName(decodeText(data))
        default:
            return .meta(type: type, data: Array(data))
        }
    }

    // MARK: Primitives

    /// Reads a VLQ length, checks the data fits in the chunk, returns the data's range.
    private func readLengthPrefixed(at position: inout Int, end: Int, what: String) throws(MIDIFileError) -> Range<Int> {
        let lengthOffset = position
        let length = try readQuantity(at: &position, end: end, what: "\(what) length")
        guard Int(length) <= end - position else {
            throw error(at: lengthOffset, "\(what) length \(length) exceeds the \(end - position) bytes left in the track chunk")
        }
        let range = position..<(position + Int(length))
        position = range.upperBound
        return range
    }

    private func readQuantity(at position: inout Int, end: Int, what: String) throws(MIDIFileError) -> UInt32 {
        let start = position
        do {
            return try VariableLengthQuantity.decode(bytes, at: &position, end: end)
        } catch {
            switch error {
            case .truncated:
                throw self.error(at: start, "truncated variable-length \(what) at the end of the track chunk")
            case .tooLong:
                throw self.error(at: start, "variable-length \(what) is longer than 4 bytes")
            }
        }
    }

    private func bigEndian32(at offset: Int) -> UInt32 {
        UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16
            | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
    }

    private func bigEndian16(at offset: Int) -> UInt16 {
        UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }

    /// A 4-byte chunk tag for messages: 'MTrk' when printable, else hex bytes.
    private func describeTag(at offset: Int) -> String {
        let tag = bytes[offset..<min(offset + 4, bytes.count)]
        if tag.count == 4, tag.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            var text = ""
            text.unicodeScalars.append(contentsOf: tag.map { Unicode.Scalar($0) })
            return "'\(text)'"
        }
        return tag.map { hex($0) }.joined(separator: " ")
    }

    private func error(at offset: Int, _ reason: String) -> MIDIFileError {
        MIDIFileError(file: name, offset: offset, reason: reason)
    }
}

/// Text meta data: UTF-8 when valid, else Latin-1 (each byte one scalar),
/// which is what older files use and which never fails.
func decodeText(_ data: ArraySlice<UInt8>) -> String {
    if let text = String(validating: data, as: UTF8.self) { return text }
    var text = ""
    text.unicodeScalars.append(contentsOf: data.map { Unicode.Scalar($0) })
    return text
}

/// Two-digit (or four-digit for UInt16) uppercase hex, for error messages.
func hex<T: FixedWidthInteger>(_ value: T) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    let width = T.bitWidth / 4
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
}
