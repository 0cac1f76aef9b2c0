extension MIDIFile {
    /// Throws when `serialized()` would have to change this value to write it
    /// (see `MIDIFileWriter`): ticks out of order, a delta time too large for
    /// a VLQ, out-of-range channel or data values, a meta event no reader
    /// could read back, an unwritable header. `write(path:)` calls it first.
    /// The error's offset is 0; the reason names the track and event index
    /// (both counted from 0).
    public func validate(name: String = "<memory>") throws(MIDIFileError) {
        if let problem = validationProblem() {
            throw MIDIFileError(file: name, offset: 0, reason: problem)
        }
    }

    /// The first problem `validate` would report, or nil.
    public func validationProblem() -> String? {
        switch format {
        case 0 where tracks.count != 1:
            return "format 0 needs exactly one track, this file has \(tracks.count)"
        case 0, 1:
            break
        default:
            return "format \(format) cannot be written (only 0 and 1)"
        }
        if ticksPerQuarter == 0 || ticksPerQuarter >= 0x8000 {
            return "ticks per quarter note \(ticksPerQuarter) is outside 1...32767"
        }
        if tracks.count > Int(UInt16.max) {
            return "\(tracks.count) tracks, a file holds at most \(UInt16.max)"
        }
        for (trackIndex, track) in tracks.enumerated() {
            var previousTick: UInt64 = 0
            for (eventIndex, trackEvent) in track.events.enumerated() {
                let at = "track \(trackIndex), event \(eventIndex) (tick \(trackEvent.tick))"
                if trackEvent.tick < previousTick {
                    return "\(at): tick is before the previous event's tick \(previousTick)"
                }
                if trackEvent.tick - previousTick > UInt64(VariableLengthQuantity.maxValue) {
                    return "\(at): delta time \(trackEvent.tick - previousTick) exceeds the largest variable-length quantity \(VariableLengthQuantity.maxValue)"
                }
                previousTick = trackEvent.tick
                if let problem = Self.eventProblem(trackEvent.event) {
                    return "\(at): \(problem)"
                }
            }
        }
        return nil
    }

    private static func eventProblem(_ event: MIDIEvent) -> String? {
        if let channel = event.channel, channel > 15 {
            return "channel \(channel) is outside 0...15"
        }
        func data(_ name: String, _ value: UInt8) -> String? {
            value > 127 ? "\(name) \(value) is outside 0...127" : nil
        }
        switch event {
        case .noteOff(_, let key, let velocity), .noteOn(_, let key, let velocity):
            return data("key", key) ?? data("velocity", velocity)
        case .polyPressure(_, let key, let pressure):
            return data("key", key) ?? data("pressure", pressure)
        case .controlChange(_, let controller, let value):
            return data("controller", controller) ?? data("value", value)
        case .programChange(_, let program):
            return data("program", program)
        case .channelPressure(_, let pressure):
            return data("pressure", pressure)
        case .pitchBend(_, let value):
            return value > 16383 ? "pitch bend \(value) is outside 0...16383" : nil
        case .tempo(let microseconds):
            return microseconds > 0xFF_FFFF ? "tempo \(microseconds) does not fit in 24 bits" : nil
        case .timeSignature, .keySignature:
            return nil
        case .trackName(let name):
            return name.utf8.count > Int(VariableLengthQuantity.maxValue) ? "track name too long" : nil
        case .meta(let type, let bytes):
            if bytes.count > Int(VariableLengthQuantity.maxValue) {
                return "meta event 0x\(hex(type)) data of \(bytes.count) bytes is too long"
            }
            return MIDIFileWriter.metaProblem(type: type, count: bytes.count)
        }
    }
}
