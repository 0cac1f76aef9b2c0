import Foundation

/// Writes a whole file or nothing: a temporary file beside the target, then a rename, so a
/// crash or a full disk never leaves half a file where a good one stood.
enum AtomicFile {
    static func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
