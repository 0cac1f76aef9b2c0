/// An error reading or writing a model or tensor file: which file, and what is wrong.
public struct ModelFileError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file's path (or a name given by the caller for in-memory data).
    public var file: String
    public var reason: String

    public init(file: String, reason: String) {
        self.file = file
        self.reason = reason
    }

    public var description: String { "\(file): \(reason)" }
}
