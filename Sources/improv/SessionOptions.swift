import ArgumentParser
import Composer
import MusicCore
import Foundation
import Presets

/// --preset and --model, shared by the commands that run a session (jam, daemon).
struct SessionOptions: ParsableArguments {
    @Option(help: "A session preset: a TOML file, or the name of a shipped one (see `improv presets`); default: the defaults listed in presets/README.md.")
    var preset: String?

    @Option(help: "A model file; default: the model built into improv.")
    var model: String?

    /// The preset's file: --preset as a path, else as the name of a shipped preset.
    var presetPath: String? {
        get throws { try preset.map { try PresetLocator.locate($0) } }
    }

    @Option(help: "The form, instead of the preset's session.form: model, free, a shipped form or a chart such as \"C7 | F7 | C7 | G7 |\".")
    var form: String?

    func loadPreset() throws -> Preset {
        var p = try presetPath.map { try Preset.load(path: $0) } ?? Preset()
        if let form {
            do { p.form = try FormChoice(form) } catch { throw ValidationError("--form: \(error)") }
        }
        return p
    }
    /// --model, else the preset's model.file, else the built-in model.
    func loadModel(preset: Preset) throws -> ImprovModel {
        try (model ?? preset.modelFile).map { try ImprovModel.load(path: $0) } ?? ImprovModel.builtIn()
    }
}

/// Shipped presets by name: `--preset blues-backing` finds blues-backing.toml in
/// share/improv/presets beside the installed binary, or in the package's presets/ folder.
enum PresetLocator {
    struct NotFound: Error, CustomStringConvertible {
        let name: String
        let tried: [String]
        var description: String {
            "no preset \"\(name)\": it is not a file, and no shipped preset has that name (looked for \(tried.joined(separator: ", ")))"
        }
    }

    /// Folders that may hold shipped presets, nearest first.
    static func folders(executablePath: String = CommandLine.arguments.first ?? "") -> [String] {
        let bin = URL(fileURLWithPath: executablePath).resolvingSymlinksInPath().deletingLastPathComponent()
        var list = [bin.deletingLastPathComponent().appendingPathComponent("share/improv/presets").path]
        var directory = bin
        for _ in 0..<4 {  // the package root, seen from .build/<triple>/debug/improv
            list.append(directory.appendingPathComponent("presets").path)
            if directory.path == "/" { break }
            directory = directory.deletingLastPathComponent()
        }
        var seen = Set<String>()
        return list.filter { seen.insert($0).inserted }
    }

    /// `spec` itself when it names a file (or looks like a path), else a shipped preset of that name.
    static func locate(_ spec: String, folders: [String] = folders()) throws -> String {
        if spec.contains("/") || spec.hasSuffix(".toml") || FileManager.default.fileExists(atPath: spec) { return spec }
        let tried = folders.map { "\($0)/\(spec).toml" }
        guard let found = tried.first(where: { FileManager.default.isReadableFile(atPath: $0) }) else {
            throw NotFound(name: spec, tried: tried)
        }
        return found
    }

    /// What the control page may load: the shipped presets, and those an admin put in
    /// `etc` (/etc/improv; a name there wins), by name.
    static func choices(etc: String = "/etc/improv") -> [String: String] {
        var all: [String: String] = [:]
        if let (folder, names) = shipped() { for n in names { all[n] = "\(folder)/\(n).toml" } }
        let local = ((try? FileManager.default.contentsOfDirectory(atPath: etc)) ?? []).filter { $0.hasSuffix(".toml") }
        for file in local { all[String(file.dropLast(5))] = "\(etc)/\(file)" }
        return all
    }

    /// Every shipped preset: name and file, from the first folder that has any.
    static func shipped(folders: [String] = folders()) -> (folder: String, names: [String])? {
        for folder in folders {
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
                .filter { $0.hasSuffix(".toml") }.map { String($0.dropLast(5)) }.sorted()
            if !names.isEmpty { return (folder, names) }
        }
        return nil
    }
}
