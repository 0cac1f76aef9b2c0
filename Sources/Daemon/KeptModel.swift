import Foundation

/// Where `learn = "keep"` keeps the player's adapted model: systemd's StateDirectory
/// ($STATE_DIRECTORY), else $XDG_STATE_HOME/improv, else ~/.local/state/improv.
public func keptModelPath(environment env: [String: String] = ProcessInfo.processInfo.environment) -> String {
    let dir = env["STATE_DIRECTORY"].flatMap { $0.split(separator: ":").first.map(String.init) }
        ?? env["XDG_STATE_HOME"].map { $0 + "/improv" }
        ?? (env["HOME"] ?? "/var/lib") + "/.local/state/improv"
    return dir + "/adapted.safetensors"
}
