/// One note as played: pitch, velocity and channel, with start and duration in ticks.
public struct Note: Hashable, Sendable {
    public var pitch: UInt8
    public var velocity: UInt8
    public var channel: UInt8
    public var start: Int
    public var duration: Int

    public init(pitch: UInt8, velocity: UInt8 = 90, channel: UInt8 = 0, start: Int, duration: Int) {
        self.pitch = pitch
        self.velocity = velocity
        self.channel = channel
        self.start = start
        self.duration = duration
    }

    public var end: Int { start + duration }
}
