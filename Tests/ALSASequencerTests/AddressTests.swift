import CALSA
import XCTest
@testable import ALSASequencer

final class AddressTests: XCTestCase {
    func parse(_ s: String) -> AddressSpec? { try? AddressSpec.parse(s) }

    func testNumericForms() throws {
        XCTAssertEqual(parse("14:0"), .numeric(client: 14, port: 0))
        XCTAssertEqual(parse("128:3"), .numeric(client: 128, port: 3))
        XCTAssertEqual(parse("14.2"), .numeric(client: 14, port: 2))
        XCTAssertEqual(parse("14"), .numeric(client: 14, port: 0))
        XCTAssertEqual(parse("  20:1 "), .numeric(client: 20, port: 1))
    }

    func testNameForms() {
        XCTAssertEqual(parse("Midi Through"), .name("Midi Through", port: 0))
        XCTAssertEqual(parse("Midi Through:0"), .name("Midi Through", port: 0))
        XCTAssertEqual(parse("FLUID Synth (1234):2"), .name("FLUID Synth (1234)", port: 2))
        XCTAssertEqual(parse("\"Midi Through\":1"), .name("Midi Through", port: 1))
        XCTAssertEqual(parse("'Midi Through'"), .name("Midi Through", port: 0))
        // A ':' not followed by a number belongs to the name.
        XCTAssertEqual(parse("Midi Through:Midi Through Port-0"), .name("Midi Through:Midi Through Port-0", port: 0))
        XCTAssertEqual(parse("Virtual Raw MIDI 0-1"), .name("Virtual Raw MIDI 0-1", port: 0))
    }

    func testMalformed() {
        XCTAssertThrowsError(try AddressSpec.parse("")) { XCTAssertEqual($0 as? AddressSpec.ParseError, .empty) }
        XCTAssertThrowsError(try AddressSpec.parse("   ")) { XCTAssertEqual($0 as? AddressSpec.ParseError, .empty) }
        XCTAssertThrowsError(try AddressSpec.parse("14:")) { XCTAssertEqual($0 as? AddressSpec.ParseError, .badPort("14:")) }
        XCTAssertThrowsError(try AddressSpec.parse("14:300")) { XCTAssertEqual($0 as? AddressSpec.ParseError, .badPort("14:300")) }
        XCTAssertThrowsError(try AddressSpec.parse("14:-1")) { XCTAssertEqual($0 as? AddressSpec.ParseError, .badPort("14:-1")) }
        XCTAssertThrowsError(try AddressSpec.parse("999:0")) { XCTAssertEqual($0 as? AddressSpec.ParseError, .badClient("999:0")) }
        XCTAssertThrowsError(try AddressSpec.parse(":0")) { XCTAssertEqual($0 as? AddressSpec.ParseError, .badClient(":0")) }
        XCTAssertThrowsError(try AddressSpec.parse("\"x\"y")) { XCTAssertEqual($0 as? AddressSpec.ParseError, .badPort("\"x\"y")) }
    }

    /// The numeric forms agree with libasound's own parser (which needs no sequencer for them).
    func testNumericFormsAgreeWithSndSeqParseAddress() {
        for s in ["14:0", "128:3", "14.2", "14", "0:1"] {
            var addr = snd_seq_addr_t()
            XCTAssertGreaterThanOrEqual(snd_seq_parse_address(nil, &addr, s), 0, s)
            XCTAssertEqual(parse(s), .numeric(client: Int(addr.client), port: Int(addr.port)), s)
        }
    }

    let clients: [(id: Int, name: String)] = [
        (0, "System"), (14, "Midi Through"), (16, "Virtual Raw MIDI 0-0"), (17, "Virtual Raw MIDI 0-1"),
        (128, "improv"), (129, "improv-echo"), (130, "FLUID Synth (311)"), (131, "midi"),
    ]

    func testNameMatchingOrder() {
        func match(_ n: String) -> Int? { AddressSpec.matchClient(named: n, in: clients) }
        XCTAssertEqual(match("Midi Through"), 14)          // exact
        XCTAssertEqual(match("improv"), 128)                // exact beats the prefix of improv-echo
        XCTAssertEqual(match("improv-"), 129)               // prefix
        XCTAssertEqual(match("Midi"), 14)                   // case-sensitive prefix beats case-insensitive exact "midi"
        XCTAssertEqual(match("midi"), 131)                  // exact
        XCTAssertEqual(match("MIDI"), 131)                  // case-insensitive exact beats case-insensitive prefix
        XCTAssertEqual(match("midi thr"), 14)               // case-insensitive prefix
        XCTAssertEqual(match("Virtual Raw MIDI"), 16)       // ties: lowest client number
        XCTAssertEqual(match("fluid synth"), 130)
        XCTAssertNil(match("nothing like it"))
    }

    func testAddressDescription() {
        XCTAssertEqual(SequencerAddress(client: 14, port: 0).description, "14:0")
        XCTAssertEqual(SequencerAddress.systemAnnounce, SequencerAddress(client: 0, port: 1))
    }
}
