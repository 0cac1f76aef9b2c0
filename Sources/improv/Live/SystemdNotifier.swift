import Daemon
import Foundation

/// The systemd notify protocol: datagrams such as "READY=1" to the socket in $NOTIFY_SOCKET
/// (a path, or "@name" for the abstract namespace). Without $NOTIFY_SOCKET it does nothing.
final class SystemdNotifier: ServiceNotifier {
    private let fd: Int32
    private var address = sockaddr_un()
    private let addressLength: socklen_t
    /// Half of $WATCHDOG_USEC, as systemd asks; nil when no watchdog is set.
    let watchdogInterval: Double?
    private var lastPing = Date.distantPast

    init?(environment: [String: String] = ProcessInfo.processInfo.environment) {
        watchdogInterval = environment["WATCHDOG_USEC"].flatMap(Double.init).map { $0 / 2_000_000 }
        guard let path = environment["NOTIFY_SOCKET"], !path.isEmpty else { return nil }
        var bytes = Array(path.utf8)
        if bytes.first == UInt8(ascii: "@") { bytes[0] = 0 }  // abstract socket
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return nil }
        let s = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard s >= 0 else { return nil }
        fd = s
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
        }
        addressLength = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count)
    }

    deinit { close(fd) }

    /// Sends one notification ("READY=1", "STATUS=...", several lines at once are fine).
    func send(_ text: String) {
        var addr = address
        let sent = text.withCString { message in
            withUnsafePointer(to: &addr) { p in
                p.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fd, message, strlen(message), Int32(MSG_NOSIGNAL), $0, addressLength)
                }
            }
        }
        if sent < 0 { Log.warning("notify: sendto failed (errno \(errno))") }
    }

    /// WATCHDOG=1 when half the watchdog interval has passed since the last one.
    func pingIfDue(now: Date = Date()) {
        guard let interval = watchdogInterval, now.timeIntervalSince(lastPing) >= interval else { return }
        lastPing = now
        send("WATCHDOG=1")
    }

    func ready(status: String) { send("READY=1\nSTATUS=\(status)") }

    func reloading() {
        var monotonic = timespec()
        clock_gettime(CLOCK_MONOTONIC, &monotonic)
        send("RELOADING=1\nMONOTONIC_USEC=\(Int(monotonic.tv_sec) * 1_000_000 + Int(monotonic.tv_nsec) / 1000)")
    }

    func stopping() { send("STOPPING=1") }

    func pingIfDue() { pingIfDue(now: Date()) }
}
