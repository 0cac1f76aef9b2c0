import Engine
import Presets

/// The preset's controller map: which control change turns which knob.
public struct ControllerMap: Sendable, Equatable {
    public var temperature: UInt8?
    public var mode: UInt8?
    public var tempo: UInt8?
    public var panic: UInt8?
    public var learnReset: UInt8?
    public var tap: UInt8?

    public init(preset: Preset) {
        temperature = preset.temperatureController
        mode = preset.modeController
        tempo = preset.tempoController
        panic = preset.panicController
        learnReset = preset.learnResetController
        tap = preset.tapController
    }

    public enum Action: Equatable, Sendable {
        case temperature(Float)
        case mode(Session.Mode)
        case tempo(Double)
        case panic
        case learnReset
        case tap
    }

    /// What controller `cc` at `value` asks for, if anything: temperature 0.2-2.0, mode by
    /// thirds (call and response, backing, duet), tempo 40-167 BPM, panic and learning reset
    /// when pressed (64 and up), a tap of the tap tempo when pressed.
    public func action(controller cc: UInt8, value: UInt8) -> Action? {
        if cc == temperature { return .temperature(Float(0.2 + 1.8 * Double(value) / 127)) }
        if cc == mode { return .mode(value < 43 ? .callAndResponse : value < 86 ? .backing : .duet) }
        if cc == tempo { return .tempo(40 + Double(value)) }
        if cc == panic { return value >= 64 ? .panic : nil }
        if cc == learnReset { return value >= 64 ? .learnReset : nil }
        if cc == tap { return value >= 64 ? .tap : nil }
        return nil
    }
}
