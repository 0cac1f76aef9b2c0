import Composer
import Presets

/// What a reload reads: the preset and the model, from their files or built in. Reading is
/// I/O and parsing, which the loop's thread must not wait on, so the service reads on a
/// thread of its own and hands the result to the loop; the loop only checks it and swaps it
/// in (`LiveDaemon.reload(with:)`). Everything here is fixed when the daemon starts.
public struct ReloadFiles: Sendable {
    /// The preset's file; nil: the preset the daemon started with stays.
    public var presetPath: String?
    /// The model's file (`--model`); nil: the preset's `model`, else the built-in model.
    public var modelPath: String?
    /// The starting preset's `model`, for when there is no preset file to re-read.
    public var startModelFile: String?
    public var loadPreset: @Sendable (String) throws -> Preset
    public var loadModel: @Sendable (String) throws -> ImprovModel

    /// What was read: the new preset (nil: keep the one playing) and the model.
    public struct Read: Sendable {
        public var preset: Preset?
        public var model: ImprovModel
        /// The files read, for the log (nil: built in, or the preset kept).
        public var presetFile: String?
        public var modelFile: String?
    }

    /// Reads both; a broken file is the error, naming it (nothing is applied then).
    public func read() -> Result<Read, any Error> {
        Result {
            let preset = try presetPath.map(loadPreset)
            let modelFile = modelPath ?? (preset == nil ? startModelFile : preset?.modelFile)
            return Read(preset: preset, model: try modelFile.map(loadModel) ?? ImprovModel.builtIn(),
                        presetFile: presetPath, modelFile: modelFile)
        }
    }
}
