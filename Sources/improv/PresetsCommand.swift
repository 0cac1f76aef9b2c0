import ArgumentParser
import Presets

struct PresetsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "presets",
        abstract: "List the shipped presets: give a name to --preset (improv daemon --preset blues-backing)."
    )

    func run() throws {
        guard let (folder, names) = PresetLocator.shipped() else {
            throw ValidationError("no shipped presets found (looked in \(PresetLocator.folders().joined(separator: ", ")))")
        }
        print("presets in \(folder):")
        for name in names {
            let preset = try Preset.load(path: "\(folder)/\(name).toml")
            print("  \(name.padding(toLength: 22, withPad: " ", startingAt: 0)) \(preset.mode.rawValue), \(preset.key), \(Int(preset.tempoBPM)) BPM")
        }
    }
}
