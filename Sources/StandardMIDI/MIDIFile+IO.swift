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

    /// Writes the file atomically: the bytes go to "<path>.tmp-<pid>" in the
    /// same directory, are fsynced, and the temporary file is renamed over
    /// `path`, so a reader sees the old file or the new one, never a part.
    /// Throws a `MIDIFileError` naming `path` when `validate` finds a problem
    /// or the I/O fails (the temporary file is removed then).
    public func write(path: String) throws {
        try validate(name: path)
        let bytes = serialized()
        let temporaryPath = path + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
        let temporaryURL = URL(fileURLWithPath: temporaryPath)
        do {
            try Data(bytes).write(to: temporaryURL)
            let handle = try FileHandle(forWritingTo: temporaryURL)
            defer { try? handle.close() }
            try handle.synchronize()  // fsync: the data is on disk before the rename makes it visible
        } catch {
            try? FileManager.default.removeItem(atPath: temporaryPath)
            throw MIDIFileError(file: path, offset: 0, reason: "cannot write temporary file \(temporaryPath): \(describe(error))")
        }
        // rename(2) (reached through Foundation's re-export of the C library):
        // Foundation has no rename-over on Linux. FileManager.moveItem refuses
        // an existing destination, and replaceItemAt in this toolchain renames
        // the original over the new file and then fails.
        guard rename(temporaryPath, path) == 0 else {
            let code = errno
            try? FileManager.default.removeItem(atPath: temporaryPath)
            throw MIDIFileError(file: path, offset: 0, reason: "cannot rename \(temporaryPath) over it (errno \(code))")
        }
        // Make the rename itself durable; best effort, as some file systems refuse it.
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        if let handle = try? FileHandle(forReadingFrom: directory) {
            try? handle.synchronize()
            try? handle.close()
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
