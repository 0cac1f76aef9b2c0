import ControlPage
import Foundation
import Presets
import TestSupport
import XCTest

/// A client that stops reading loses its own oldest events; the others get every one, and the
/// session's publishing never waits for either.
final class SlowClientTests: XCTestCase {
    func testASlowClientDropsItsOldestAndNobodyElseIsSlowed() async throws {
        let fake = FakeSurface(eventCapacity: 1024)
        let server = try ControlServer(surface: fake, address: WebAddress("127.0.0.1:0")!, token: nil)
        let port = try await server.start()
        defer { Task { await server.stop() } }

        let slow = try RawWebSocket(port: port, receiveBuffer: 4096)
        XCTAssertNotNil(slow.next(type: "hello"))  // and then it reads nothing for a while
        let fast = try RawWebSocket(port: port)
        XCTAssertNotNil(fast.next(type: "hello"))
        let deadline = Date().addingTimeInterval(5)
        while fake.events.subscriberCount < 2, Date() < deadline { usleep(10_000) }

        // 4000 events of 2 KB (8 MB) over 8 s: more than the slow client's small socket, the batch
        // in flight and the ring hold; the reading client keeps up.
        let hub = fake.events
        let count = 4000
        let worst = LockedMax()
        let publisher = Thread {
            let text = String(repeating: "x", count: 2000)
            for i in 0..<count {
                let t0 = DispatchTime.now().uptimeNanoseconds
                hub.publish(.log(level: "info", message: "\(i) \(text)"))
                worst.record(DispatchTime.now().uptimeNanoseconds - t0)
                if i % 100 == 99 { usleep(200_000) }
            }
        }
        publisher.start()

        var seen = 0
        var outOfOrder = 0
        var fastDropped = 0
        while seen < count, let text = fast.next() {
            if text.hasPrefix(#"{"type":"log""#) {
                if !text.hasPrefix(#"{"type":"log","level":"info","message":"\#(seen) "#) { outOfOrder += 1 }
                seen += 1
            } else if text.hasPrefix(#"{"type":"dropped""#) {
                fastDropped += 1
                break
            }
        }
        XCTAssertEqual(seen, count, "the reading client missed events")
        XCTAssertEqual(outOfOrder, 0)
        XCTAssertEqual(fastDropped, 0)

        // Now the slow client reads: the oldest are gone, it is told how many, and it ends on the newest.
        var dropped = 0
        var last = ""
        while let text = slow.next() {
            if let j = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] {
                if j["type"] as? String == "dropped" { dropped += j["count"] as? Int ?? 0 }
                if let m = j["message"] as? String { last = String(m.prefix(8)) }
            }
            if last.hasPrefix("\(count - 1) ") { break }
        }
        XCTAssertGreaterThan(dropped, 0, "a client that did not read was never told it lost events")
        XCTAssertTrue(last.hasPrefix("\(count - 1) "), "the slow client did not catch up to the newest event: \(last)")
        print("slow client: \(dropped) of \(count) events dropped; slowest publish \(worst.value / 1000) µs")
    }
}

final class LockedMax: @unchecked Sendable {
    private let lock = NSLock()
    private var max: UInt64 = 0
    func record(_ v: UInt64) { lock.lock(); if v > max { max = v }; lock.unlock() }
    var value: UInt64 { lock.lock(); defer { lock.unlock() }; return max }
}
