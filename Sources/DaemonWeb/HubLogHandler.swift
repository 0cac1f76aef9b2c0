import ControlPage
import Logging

/// A swift-log handler that passes the daemon's lines to the page's event hub (as `log`
/// events), for a MultiplexLogHandler beside the journal's. Log lines are not on the
/// per-slice path (they are formatted strings already), so the hub's short lock is fine here.
public struct HubLogHandler: LogHandler {
    let hub: EventHub
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]

    public init(hub: EventHub, level: Logger.Level = .info) {
        self.hub = hub
        logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        hub.publish(.log(level: "\(event.level)", message: "\(event.message)"))
    }
}
