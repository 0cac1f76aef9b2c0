import Foundation

/// Finds the soundfont to load, in improv's order:
/// 1. the preset's path, 2. $IMPROV_SOUNDFONT, 3. `improv.sf2` in each candidate folder
/// (share/improv/soundfonts of an installed improv, the package's soundfonts/ beside the
/// executable, or in the current directory),
/// 4. the Debian GM soundfonts. The first readable file wins; a path given but missing
/// falls through to the next place and is named in the error if nothing is found.
public enum SoundfontLocator {
    public static let fileName = "improv.sf2"
    public static let environmentVariable = "IMPROV_SOUNDFONT"
    public static let systemPaths = ["/usr/share/sounds/sf2/FluidR3_GM.sf2", "/usr/share/sounds/sf2/default-GM.sf2"]

    /// soundfonts/ beside the executable and in its three nearest ancestors (so the
    /// package root is found from .build/<triple>/debug/X), then in the current directory.
    public static func defaultFolders(executablePath: String = CommandLine.arguments.first ?? "",
                                      currentDirectory: String = FileManager.default.currentDirectoryPath) -> [String] {
        var folders: [String] = []
        var directory = URL(fileURLWithPath: executablePath).resolvingSymlinksInPath().deletingLastPathComponent()
        // Installed: PREFIX/bin/improv beside PREFIX/share/improv/soundfonts.
        folders.append(directory.deletingLastPathComponent().appendingPathComponent("share/improv/soundfonts").path)
        for _ in 0..<4 {
            folders.append(directory.appendingPathComponent("soundfonts").path)
            if directory.path == "/" { break }
            directory = directory.deletingLastPathComponent()
        }
        folders.append(URL(fileURLWithPath: currentDirectory).appendingPathComponent("soundfonts").path)
        var seen = Set<String>()
        return folders.filter { seen.insert($0).inserted }
    }

    /// The places tried, in order.
    public static func candidates(preset: String?, environment: [String: String], folders: [String],
                                  systemPaths: [String]) -> [String] {
        var list: [String] = []
        if let preset, !preset.isEmpty { list.append(preset) }
        if let env = environment[environmentVariable], !env.isEmpty { list.append(env) }
        list += folders.map { URL(fileURLWithPath: $0).appendingPathComponent(fileName).path }
        list += systemPaths
        var seen = Set<String>()
        return list.filter { seen.insert($0).inserted }
    }

    public static func locate(preset: String? = nil,
                              environment: [String: String] = ProcessInfo.processInfo.environment,
                              folders: [String] = defaultFolders(),
                              systemPaths: [String] = systemPaths) throws(SynthError) -> String {
        let tried = candidates(preset: preset, environment: environment, folders: folders, systemPaths: systemPaths)
        var isDirectory: ObjCBool = false
        for path in tried where FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            && !isDirectory.boolValue && FileManager.default.isReadableFile(atPath: path) {
            return path
        }
        throw .soundfontNotFound(tried: tried)
    }
}
