import AtomicFiles
import Foundation

// File I/O lives here, apart from the parser, which needs no Foundation.
extension MIDIFile {
    /// Files larger than this are refused by `read(path:)`.
    public static let maxFileSize = 64 * 1024 * 1024

    /// Reads and parses the file at `path`. Every error is a `MIDIFileError`
    /// naming `path`; files over `maxFileSize` (64 MiB) are refused.
    public static func read(path: String) throws -> MIDIFile {
        let bytes = try readBytes(path: path)
        return try MIDIFile(bytes: bytes, name: path)
    }

    /// Writes the file atomically (AtomicFiles: a temporary file beside it, synced, renamed
    /// over `path`), so a reader sees the old file or the new one, never a part. Throws a
    /// `MIDIFileError` naming `path` when `validate` finds a problem or the I/O fails; the
    /// temporary file is removed then, and the old file is untouched.
    public func write(path: String) throws {
        try validate(name: path)
        do {
            try AtomicFile.write(serialized(), to: path)
        } catch {
            throw MIDIFileError(file: path, offset: 0, reason: error.reason)
        }
    }

    static func readBytes(path: String) throws(MIDIFileError) -> [UInt8] {
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        } catch {
            throw MIDIFileError(file: path, offset: 0, reason: "cannot open: \(describe(error))")
        }
        defer { try? handle.close() }
        do {
            let size = try handle.seekToEnd()
            guard size <= UInt64(maxFileSize) else {
                throw MIDIFileError(file: path, offset: 0, reason: "file is \(size) bytes, more than the \(maxFileSize)-byte (64 MiB) limit")
            }
            try handle.seek(toOffset: 0)
            // Read at most one byte past the limit, so a file that grows (or a
            // device that reports size 0) cannot make us read without bound.
            let data = try handle.read(upToCount: maxFileSize + 1) ?? Data()
            guard data.count <= maxFileSize else {
                throw MIDIFileError(file: path, offset: 0, reason: "file is more than the \(maxFileSize)-byte (64 MiB) limit")
            }
            return [UInt8](data)
        } catch let error as MIDIFileError {
            throw error
        } catch {
            throw MIDIFileError(file: path, offset: 0, reason: "cannot read: \(describe(error))")
        }
    }
}

private func describe(_ error: any Error) -> String {
    (error as NSError).localizedDescription
}
