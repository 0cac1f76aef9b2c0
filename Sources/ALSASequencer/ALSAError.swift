import CALSA

/// A libasound call that failed: which call, the errno it returned (positive), and
/// snd_strerror's text for it. Like swift-nio's IOError for syscalls.
public struct ALSAError: Error, Equatable, CustomStringConvertible {
    /// The libasound function (or improv's own operation, for non-ALSA failures) that failed.
    public let call: String
    /// The errno, positive (libasound returns it negated).
    public let errno: Int32
    /// snd_strerror's text for the error, or a message of our own for non-ALSA failures.
    public let message: String

    public init(call: String, errno: Int32, message: String) {
        self.call = call
        self.errno = errno
        self.message = message
    }

    /// Builds the error for a negative libasound result.
    public init(call: String, result: Int32) {
        let code = result < 0 ? -result : result
        let text = snd_strerror(-code).map { String(cString: $0) } ?? "error \(code)"
        self.init(call: call, errno: code, message: text)
    }

    public var description: String { "\(call) failed: \(message) (errno \(errno))" }
}

/// Every libasound call returning an int goes through here: negative means -errno.
@discardableResult
@inline(__always)
func check(_ result: Int32, _ call: StaticString) throws(ALSAError) -> Int32 {
    if result < 0 { throw ALSAError(call: "\(call)", result: result) }
    return result
}

/// The same for calls returning a long (snd_seq_event_output & co. return int; a few return ssize_t).
@discardableResult
@inline(__always)
func check(_ result: Int, _ call: StaticString) throws(ALSAError) -> Int {
    if result < 0 { throw ALSAError(call: "\(call)", result: Int32(truncatingIfNeeded: result)) }
    return result
}
