import Logging

/// The daemon's logger: swift-log through JournaldLogHandler. `Log.bootstrap` once at start.
enum Log {
    nonisolated(unsafe) private(set) static var logger = Logger(label: "improv", factory: JournaldLogHandler.init)

    /// The names --log-level takes, most severe first.
    static let levelNames = Logger.Level.allCases.reversed().map(\.rawValue)

    static func level(named name: String) -> Logger.Level? { Logger.Level(rawValue: name) }

    /// Makes JournaldLogHandler every logger's handler (also ServiceLifecycle's) at `level`.
    static func bootstrap(level: Logger.Level) {
        LoggingSystem.bootstrap { label in
            var handler = JournaldLogHandler(label: label)
            handler.logLevel = level
            return handler
        }
        logger = Logger(label: "improv")
    }

    static func error(_ m: @autoclosure () -> String) { logger.error("\(m())") }
    static func warning(_ m: @autoclosure () -> String) { logger.warning("\(m())") }
    static func notice(_ m: @autoclosure () -> String) { logger.notice("\(m())") }
    static func info(_ m: @autoclosure () -> String) { logger.info("\(m())") }
    static func debug(_ m: @autoclosure () -> String) { logger.debug("\(m())") }
}
