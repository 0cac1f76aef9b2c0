import ArgumentParser
import Composer
import Presets

/// --preset and --model, shared by the commands that run a session (jam, daemon).
struct SessionOptions: ParsableArguments {
    @Option(help: "A session preset (TOML); default: the defaults listed in presets/README.md.")
    var preset: String?

    @Option(help: "A model file; default: the model built into improv.")
    var model: String?

    func loadPreset() throws -> Preset { try preset.map { try Preset.load(path: $0) } ?? Preset() }
    /// --model, else the preset's model.file, else the built-in model.
    func loadModel(preset: Preset) throws -> ImprovModel {
        try (model ?? preset.modelFile).map { try ImprovModel.load(path: $0) } ?? ImprovModel.builtIn()
    }
}
