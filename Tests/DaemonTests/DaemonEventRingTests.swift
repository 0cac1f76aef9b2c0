import Daemon
import Foundation
import XCTest

/// The ring the loop records its events into for the control page: in order, never blocking,
/// dropping (and counting) what does not fit, safe with the reader on another thread.
final class DaemonEventRingTests: XCTestCase {
    func testEventsComeOutInOrderAndAFullRingDropsTheNewestAndCountsThem() {
        let ring = DaemonEventRing(capacity: 4)
        for i in 0..<10 { ring.record(DaemonEvent(kind: .played, key: UInt8(i), tick: i)) }
        var out: [Int] = []
        XCTAssertEqual(ring.drain { out.append($0.tick) }, 4)
        XCTAssertEqual(out, [0, 1, 2, 3], "the oldest kept, the newest dropped: the loop never waits")
        XCTAssertEqual(ring.dropped, 6)
        out = []
        for i in 10..<13 { ring.record(DaemonEvent(kind: .heard, tick: i)) }
        ring.drain { out.append($0.tick) }
        XCTAssertEqual(out, [10, 11, 12], "drained slots are free again")
        XCTAssertEqual(ring.drain { _ in }, 0)
    }

    func testAReaderOnAnotherThreadSeesEveryEventOnceInOrder() {
        let ring = DaemonEventRing(capacity: 256)
        let count = 200_000
        let done = expectation(description: "recorded")
        Thread {
            for i in 0..<count { ring.record(DaemonEvent(kind: .played, tick: i)) }
            done.fulfill()
        }.start()
        var last = -1, seen = 0, outOfOrder = 0
        let deadline = Date().addingTimeInterval(30)
        while seen + ring.dropped < count, Date() < deadline {
            ring.drain { e in
                if e.tick <= last { outOfOrder += 1 }
                last = e.tick
                seen += 1
            }
        }
        wait(for: [done], timeout: 30)
        ring.drain { _ in seen += 1 }
        XCTAssertEqual(outOfOrder, 0)
        XCTAssertEqual(seen + ring.dropped, count, "every event either read once or counted as dropped")
        XCTAssertGreaterThan(seen, 0)
    }
}
