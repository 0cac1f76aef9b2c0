import Foundation

/// Writes a file whole or not at all: the bytes go to "PATH.tmp-PID" beside the target, are
/// synced to disk, and only then renamed over PATH. A crash leaves at most the temporary file;
/// a failure (a full disk, a missing folder) removes it and throws an error naming PATH, and
/// whatever stood at PATH is untouched.
///
/// Plain POSIX calls (reached through Foundation) rather than FileHandle: every failure comes
/// back as an errno, short writes and EINTR are handled, and a close that fails is an error.
public final class AtomicFileWriter {
    public let path: String
    public let temporaryPath: String
    private var fd: Int32
    private var done = false

    /// Creates the temporary file (a stale one from a process with the same id is replaced).
    public init(path: String) throws(AtomicWriteError) {
        self.path = path
        temporaryPath = path + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
        var fd = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        if fd < 0 && errno == EEXIST {
            unlink(temporaryPath)
            fd = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        }
        guard fd >= 0 else {
            throw AtomicWriteError(path: path, reason: "cannot write the temporary file \(temporaryPath): \(Self.describe(errno))")
        }
        self.fd = fd
    }

    deinit { discard() }

    /// Appends bytes at the current offset.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(AtomicWriteError) {
        if let code = writeAll(bytes) { throw fail("write", code) }
    }

    public func write(_ data: Data) throws(AtomicWriteError) {
        if let code = data.withUnsafeBytes({ writeAll($0) }) { throw fail("write", code) }
    }

    public func write(_ bytes: [UInt8]) throws(AtomicWriteError) {
        if let code = bytes.withUnsafeBytes({ writeAll($0) }) { throw fail("write", code) }
    }

    /// Every byte, or the errno that stopped it.
    private func writeAll(_ bytes: UnsafeRawBufferPointer) -> Int32? {
        precondition(!done, "write after commit or discard")
        var offset = 0
        while offset < bytes.count {
            let n = Foundation.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                return errno
            }
            offset += n
        }
        return nil
    }

    /// Moves the write position (to patch a header written before the sizes were known).
    public func seek(toOffset offset: Int) throws(AtomicWriteError) {
        guard lseek(fd, off_t(offset), SEEK_SET) >= 0 else { throw fail("seek", errno) }
    }

    /// Syncs the temporary file, closes it and renames it over the target; then syncs the
    /// folder so the rename itself survives a crash (best effort: some file systems refuse).
    public func commit() throws(AtomicWriteError) {
        precondition(!done, "commit after commit or discard")
        // fsync is where a file system that allocates late (ext4, XFS) reports a full disk.
        guard fsync(fd) == 0 else { throw fail("fsync", errno) }
        let closed = close(fd)
        fd = -1
        guard closed == 0 else { throw fail("close", errno) }
        guard rename(temporaryPath, path) == 0 else {
            let code = errno
            discard()
            throw AtomicWriteError(path: path, reason: "cannot write: renaming \(temporaryPath) over it failed: \(Self.describe(code)); the file there is unchanged")
        }
        done = true
        let folder = (path as NSString).deletingLastPathComponent
        let dirfd = open(folder.isEmpty ? "." : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dirfd >= 0 {
            _ = fsync(dirfd)
            close(dirfd)
        }
    }

    /// Gives up: closes and removes the temporary file (the target is untouched).
    public func discard() {
        guard !done else { return }
        done = true
        if fd >= 0 { close(fd) }
        fd = -1
        unlink(temporaryPath)
    }

    private func fail(_ doing: String, _ code: Int32) -> AtomicWriteError {
        discard()
        return AtomicWriteError(path: path, reason: "cannot write the temporary file \(temporaryPath) (\(doing)): \(Self.describe(code)); "
                                + "it is removed and the file there is unchanged")
    }

    static func describe(_ code: Int32) -> String {
        let text = String(cString: strerror(code))
        return code == ENOSPC ? "\(text) (the disk is full)" : text
    }
}

/// Whole files at once, through `AtomicFileWriter`.
public enum AtomicFile {
    public static func write(_ bytes: [UInt8], to path: String) throws(AtomicWriteError) {
        let writer = try AtomicFileWriter(path: path)
        try writer.write(bytes)
        try writer.commit()
    }

    public static func write(_ data: Data, to path: String) throws(AtomicWriteError) {
        let writer = try AtomicFileWriter(path: path)
        try writer.write(data)
        try writer.commit()
    }

    public static func write(_ text: String, to path: String) throws(AtomicWriteError) {
        try write(Data(text.utf8), to: path)
    }
}
