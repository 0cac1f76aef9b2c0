import Foundation

/// Log lines on stderr with the priority prefixes journald reads (<3> error ... <7> debug),
/// so that under systemd `journalctl -p warning` shows what matters.
enum Log {
    enum Level: Int, Comparable, CaseIterable {
        case error = 3, warning = 4, notice = 5, info = 6, debug = 7
        static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
        init?(name: String) {
            guard let l = Level.allCases.first(where: { "\($0)" == name }) else { return nil }
            self = l
        }
    }

    nonisolated(unsafe) static var threshold = Level.info

    static func write(_ level: Level, _ message: @autoclosure () -> String) {
        guard level <= threshold else { return }
        FileHandle.standardError.write(Data("<\(level.rawValue)>\(message())\n".utf8))
    }

    static func error(_ m: @autoclosure () -> String) { write(.error, m()) }
    static func warning(_ m: @autoclosure () -> String) { write(.warning, m()) }
    static func notice(_ m: @autoclosure () -> String) { write(.notice, m()) }
    static func info(_ m: @autoclosure () -> String) { write(.info, m()) }
    static func debug(_ m: @autoclosure () -> String) { write(.debug, m()) }
}
