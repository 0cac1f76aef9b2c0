import ControlPage
import DaemonWeb
import Foundation
import Logging
import Presets
import ServiceLifecycle
import TestSupport
import XCTest

/// The page as `improv daemon` runs it: a service in the daemon's group, which never takes the
/// music down with it.
final class ControlPageServiceTests: XCTestCase {
    /// Stands in for the live loop: runs until the group shuts down.
    struct Music: Service {
        func run() async throws { try? await gracefulShutdown() }
    }

    func group(_ page: ControlPageService) -> ServiceGroup {
        ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [.init(service: Music()), .init(service: page)], logger: Logger(label: "test")))
    }

    func testItLogsTheURLServesAndStopsOnGracefulShutdown() async throws {
        let rig = try PageRig()
        let page = ControlPageService(surface: rig.surface, listen: "127.0.0.1:0", token: nil, log: rig.logger)
        let g = group(page)
        let running = Task { try await g.run() }
        var url: String?
        for _ in 0..<200 where url == nil {
            try await Task.sleep(for: .milliseconds(10))
            url = rig.log.all.split(separator: "\n").first { $0.contains("control page on http://127.0.0.1:") }.map(String.init)
        }
        let line = try XCTUnwrap(url, rig.log.all)
        let port = try XCTUnwrap(Int(line.split(separator: ":").last?.filter(\.isNumber) ?? ""))
        XCTAssertEqual(try RawHTTP(port: port).request("GET", "/api/state").json["tempo"] as? Double, 100)
        await g.triggerGracefulShutdown()
        try await running.value
        XCTAssertThrowsError(try RawHTTP(port: port).request("GET", "/api/state"), "the server is stopped")
    }

    func testAPortTakenIsAnErrorNamingTheAddressAndTheGroupPlaysOn() async throws {
        let rig = try PageRig()
        // Someone else has the port.
        let other = try ControlServer(surface: rig.surface, address: WebAddress("127.0.0.1:0")!, token: nil)
        let taken = try await other.start()
        let page = ControlPageService(surface: rig.surface, listen: "127.0.0.1:\(taken)", token: nil, log: rig.logger)
        let g = group(page)
        let ended = Flag()
        let running = Task { try await g.run(); ended.set() }
        var logged = false
        for _ in 0..<200 where !logged {
            try await Task.sleep(for: .milliseconds(10))
            logged = rig.log.all.contains("[error] control page at 127.0.0.1:\(taken) not started, the music plays on")
        }
        XCTAssertTrue(logged, rig.log.all)
        // Still running: the failed page did not end the group.
        try await Task.sleep(for: .milliseconds(100))
        XCTAssertFalse(ended.isSet, "the group still runs after the page failed to start")
        await g.triggerGracefulShutdown()
        try await running.value
        await other.stop()
    }
}

final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}
