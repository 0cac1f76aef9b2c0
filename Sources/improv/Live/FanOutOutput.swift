import Engine

/// Hands every engine event to several outputs (the ALSA port and FluidSynth).
final class FanOutOutput: MIDIOutput {
    let outputs: [MIDIOutput]
    init(_ outputs: [MIDIOutput]) { self.outputs = outputs }
    func schedule(_ message: MIDIMessage, atTick tick: Int) { for o in outputs { o.schedule(message, atTick: tick) } }
    func sendNow(_ message: MIDIMessage) { for o in outputs { o.sendNow(message) } }
    func dropScheduled() { for o in outputs { o.dropScheduled() } }
}
