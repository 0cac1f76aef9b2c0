import ArgumentParser
import Composer
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
