import ArgumentParser
import Composer
import MusicCore
import LSTMModel

/// --model and the sampling options, shared by the commands that play the model.
struct ModelOptions: ParsableArguments {
    @Option(help: "A model file (safetensors); without it, the model built into improv.")
    var model: String?

    @Option(help: "Melody temperature: below 1 safer, above 1 wilder.")
    var temperature: Float = 1

    @Option(help: "Draw the melody from the k likeliest choices only (0: all).")
    var topK = 0

    @Flag(help: "Always play the likeliest melody choice.")
    var argmax = false

    @Flag(help: "Draw each chord note (instead of the paper's threshold of 0.5).")
    var bernoulli = false

    @Option(help: "The form: model (the chart the model was trained on), free (the model's chord cells choose), a shipped form (\(ChordForm.shipped.map(\.name).joined(separator: ", "))) or a chart such as \"C7 | F7 | C7 | G7 |\".")
    var form = "model"

    /// The form chosen, with the model: nil when the chord cells run free.
    func formChoice() throws -> FormChoice {
        do { return try FormChoice(form) } catch { throw ValidationError("--form: \(error)") }
    }

    func load() throws -> ImprovModel {
        if let model { return try ImprovModel.load(path: model) }
        return try ImprovModel.builtIn()
    }

    func sampling() throws -> SamplingOptions {
        guard temperature > 0, temperature <= 10 else { throw ValidationError("--temperature must be above 0 and at most 10") }
        guard topK >= 0 else { throw ValidationError("--top-k must be 0 or more") }
        return SamplingOptions(chord: bernoulli ? .bernoulli : .threshold(0.5), melody: argmax ? .argmax : .distribution,
                               temperature: temperature, topK: topK)
    }
}
