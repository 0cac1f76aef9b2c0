import CFluidSynth

/// What went wrong in the sound layer. Every case names the FluidSynth call, file or
/// setting concerned, so a message alone says where to look.
public enum SynthError: Error, Equatable, CustomStringConvertible {
    /// A FluidSynth call returned FLUID_FAILED (or NULL for a creation call).
    case callFailed(call: String, detail: String)
    /// A soundfont file could not be loaded (missing, unreadable, not an SF2).
    case soundfontLoad(path: String, detail: String)
    /// No soundfont anywhere: every path tried, in order.
    case soundfontNotFound(tried: [String])
    /// A setting outside what FluidSynth or improv accepts.
    case invalidSetting(name: String, value: String)
    /// Reading or writing a file failed.
    case io(path: String, detail: String)

    public var description: String {
        switch self {
        case .callFailed(let call, let detail):
            return "FluidSynth: \(call) failed" + (detail.isEmpty ? "" : ": \(detail)")
        case .soundfontLoad(let path, let detail):
            return "cannot load soundfont \(path)" + (detail.isEmpty ? "" : ": \(detail)")
        case .soundfontNotFound(let tried):
            return "no soundfont found; tried: " + tried.joined(separator: ", ")
        case .invalidSetting(let name, let value):
            return "invalid synth setting \(name) = \(value)"
        case .io(let path, let detail):
            return "\(path): \(detail)"
        }
    }
}

/// The one gate for FluidSynth status codes: FLUID_FAILED becomes an error naming `call`
/// (with whatever FluidSynth logged as an error meanwhile).
@inline(__always)
func check(_ status: Int32, _ call: StaticString) throws(SynthError) {
    if status == FLUID_FAILED {
        throw .callFailed(call: "\(call)", detail: FluidLog.takeErrors())
    }
}

/// The same gate for creation calls: NULL becomes an error naming `call`.
@inline(__always)
func created<T>(_ pointer: T?, _ call: StaticString) throws(SynthError) -> T {
    guard let pointer else {
        throw .callFailed(call: "\(call)", detail: FluidLog.takeErrors())
    }
    return pointer
}
