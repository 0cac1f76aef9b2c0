import Foundation
import Logging

/// swift-log to stderr with the priority prefixes journald reads ("<3>" error ... "<7>" debug),
/// so that under systemd `journalctl -p warning` shows what matters, and on a terminal the
/// lines stay readable. One write(2) per line, so lines from two threads never interleave.
struct JournaldLogHandler: LogHandler {
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    let label: String

    init(label: String) { self.label = label }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// The syslog priority journald takes from a "<N>" prefix.
    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .critical: 2
        case .error: 3
        case .warning: 4
        case .notice: 5
        case .info: 6
        case .debug, .trace: 7
        }
    }

    /// One line: priority, message, then metadata as key=value (sorted, so lines are stable).
    static func line(_ level: Logger.Level, _ message: String, _ metadata: Logger.Metadata) -> String {
        var text = "<\(priority(level))>\(message)"
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) { text += " \(key)=\(value)" }
        // A message with a newline would start a line journald files at the default priority.
        return text.replacingOccurrences(of: "\n", with: " ") + "\n"
    }

    func log(event: LogEvent) {
        let merged = event.metadata.map { metadata.merging($0) { $1 } } ?? metadata
        let bytes = Array(Self.line(event.level, "\(event.message)", merged).utf8)
        bytes.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let n = write(STDERR_FILENO, raw.baseAddress! + done, raw.count - done)
                if n > 0 { done += n } else if errno != EINTR { return }
            }
        }
    }
}
