/// Every note the engine has started and not yet ended, per channel and key, so that each
/// note-on gets its note-off and panic or shutdown can silence exactly what sounds.
/// Fixed size: recording and clearing notes never allocates.
public struct NoteLedger: Sendable {
    /// endTick[channel * 128 + key]: the tick the note's note-off is scheduled at, or -1.
    private var endTick = [Int](repeating: -1, count: 16 * 128)
    /// Channels the engine has used since start (bit per channel).
    public private(set) var usedChannels: UInt16 = 0

    public init() {}

    public func isSounding(channel: UInt8, key: UInt8) -> Bool { endTick[Int(channel) * 128 + Int(key)] >= 0 }

    /// The tick at which the sounding note on (channel, key) is due to end, if any.
    public func endTick(channel: UInt8, key: UInt8) -> Int? {
        let t = endTick[Int(channel) * 128 + Int(key)]
        return t >= 0 ? t : nil
    }

    public mutating func started(channel: UInt8, key: UInt8, endingAt tick: Int) {
        endTick[Int(channel) * 128 + Int(key)] = tick
        usedChannels |= 1 << UInt16(channel)
    }

    public mutating func ended(channel: UInt8, key: UInt8) { endTick[Int(channel) * 128 + Int(key)] = -1 }

    /// Notes whose note-off is due at or before `tick` are over: forget them.
    public mutating func expire(through tick: Int) {
        for i in endTick.indices where endTick[i] >= 0 && endTick[i] <= tick { endTick[i] = -1 }
    }

    /// Calls `body` for every sounding note, then forgets them all.
    public mutating func drain(_ body: (UInt8, UInt8) -> Void) {
        for i in endTick.indices where endTick[i] >= 0 {
            body(UInt8(i / 128), UInt8(i % 128))
            endTick[i] = -1
        }
    }

    public var soundingCount: Int { endTick.reduce(0) { $0 + ($1 >= 0 ? 1 : 0) } }
}
