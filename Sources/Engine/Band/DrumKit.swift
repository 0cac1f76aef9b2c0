/// General MIDI percussion keys (channel 10) the band plays, and the GM2 brush kit's.
public enum DrumKey {
    public static let sticks: UInt8 = 31          // GM2
    public static let metronomeClick: UInt8 = 33  // GM2
    public static let metronomeBell: UInt8 = 34   // GM2
    public static let kick: UInt8 = 36
    public static let sideStick: UInt8 = 37
    public static let snare: UInt8 = 38
    public static let lowFloorTom: UInt8 = 41
    public static let closedHiHat: UInt8 = 42
    public static let highFloorTom: UInt8 = 43
    public static let pedalHiHat: UInt8 = 44
    public static let lowTom: UInt8 = 45
    public static let openHiHat: UInt8 = 46
    public static let lowMidTom: UInt8 = 47
    public static let highMidTom: UInt8 = 48
    public static let crash: UInt8 = 49
    public static let highTom: UInt8 = 50
    public static let ride: UInt8 = 51
    public static let rideBell: UInt8 = 53
    public static let highWoodBlock: UInt8 = 76
    public static let lowWoodBlock: UInt8 = 77
    /// The GM2 brush kit (program 41, index 40) puts brushes on the snare's keys.
    public static let brushTap: UInt8 = 38
    public static let brushSlap: UInt8 = 39
    public static let brushSwirl: UInt8 = 40

    /// The drum channel, 10 (index 9).
    public static let channel: UInt8 = 9
    /// GM2 kit programs (indices): the standard kit and the brush kit.
    public static let standardKit: UInt8 = 0
    public static let brushKit: UInt8 = 40
}
