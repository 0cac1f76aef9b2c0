import StandardMIDI

extension MIDIFile {
    /// The file's first time signature, when it has one improv can slice (nil: none, or one
    /// without a whole number of eighths a bar).
    public var firstMeter: Meter? {
        var best: (tick: UInt64, meter: Meter?)?
        for track in tracks {
            for e in track.events {
                if case .timeSignature(let n, let d, _, _) = e.event, best == nil || e.tick < best!.tick {
                    best = (e.tick, Meter(midiNumerator: Int(n), denominatorPower: Int(d)))
                }
            }
        }
        return best?.meter
    }

    /// The file's first tempo in beats per minute (nil: the file sets none, so 120 by the standard).
    public var firstTempoBPM: Double? {
        for track in tracks {
            for e in track.events {
                if case .tempo(let us) = e.event { return TimeGrid.bpm(microsecondsPerQuarter: us) }
            }
        }
        return nil
    }
}
