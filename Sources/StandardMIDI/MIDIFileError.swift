/// A problem with a Standard MIDI File: where it is and what is wrong.
///
/// `offset` is the byte offset in the file of the problem. It is 0 for
/// problems that are not tied to a byte: I/O errors, a file too large to
/// read, and `validate` problems in a value about to be written.
public struct MIDIFileError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file name or path given to the reader or writer.
    public var file: String
    /// Byte offset of the problem in the file.
    public var offset: Int
    /// What is wrong, in words.
    public var reason: String

    public init(file: String, offset: Int, reason: String) {
        self.file = file
        self.offset = offset
        self.reason = reason
    }

    /// "FILE: byte OFFSET: REASON"
    public var description: String { "\(file): byte \(offset): \(reason)" }
}
