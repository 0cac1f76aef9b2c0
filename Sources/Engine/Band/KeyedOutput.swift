import MIDI

/// The band's output moved into the session's key: the band plays its form in C and this
/// adds the key's offset to every pitched note (the drum channel stays as it is). The key can
/// change while notes sound (the player moved key), so each note-off goes out on the pitch its
/// note-on went out on, remembered in a fixed table: no note is left hanging by a key change.
final class KeyedOutput: MIDIOutput {
    let base: MIDIOutput
    var semitones = 0
    let drumChannel: UInt8
    private var sent = [UInt8](repeating: 0, count: 16 * 128)

    init(base: MIDIOutput, drumChannel: UInt8 = DrumKey.channel) {
        self.base = base
        self.drumChannel = drumChannel
    }

    private func moved(_ m: ChannelMessage) -> ChannelMessage {
        switch m {
        case .noteOn(let c, let k, let v) where c != drumChannel && c < 16 && k < 128:
            let key = UInt8(max(0, min(127, Int(k) + semitones)))
            sent[Int(c) * 128 + Int(k)] = key
            return .noteOn(channel: c, key: key, velocity: v)
        case .noteOff(let c, let k, let v) where c != drumChannel && c < 16 && k < 128:
            return .noteOff(channel: c, key: sent[Int(c) * 128 + Int(k)], velocity: v)
        default:
            return m
        }
    }

    func schedule(_ message: ChannelMessage, atTick tick: Int) { base.schedule(moved(message), atTick: tick) }
    func sendNow(_ message: ChannelMessage) { base.sendNow(moved(message)) }
    func dropScheduled() { base.dropScheduled() }
}
