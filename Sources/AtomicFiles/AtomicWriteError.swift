/// A file that could not be written. Whatever stood at `path` before is still there, whole;
/// the temporary file has been removed.
public struct AtomicWriteError: Error, CustomStringConvertible, Equatable, Sendable {
    public var path: String
    /// What went wrong, without the path (callers put it in their own error types); it starts
    /// with "cannot write".
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): \(reason)" }
}
