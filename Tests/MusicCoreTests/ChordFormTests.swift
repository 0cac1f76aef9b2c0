import XCTest
@testable import MusicCore

final class ChordFormTests: XCTestCase {
    func testMetersCutBarsIntoEighthSlices() {
        XCTAssertEqual(Meter("4/4")?.slicesPerBar, 8)
        XCTAssertEqual(Meter("3/4")?.slicesPerBar, 6)
        XCTAssertEqual(Meter("3/4")?.beatsPerBar, 3)
        XCTAssertEqual(Meter("6/8")?.slicesPerBar, 6)
        XCTAssertEqual(Meter("6/8")?.beatsPerBar, 2, "6/8 is two beats of three")
        XCTAssertEqual(Meter("6/8")?.slicesPerBeat, 3)
        XCTAssertEqual(Meter("12/8")?.beatsPerBar, 4)
        XCTAssertEqual(Meter("2/2")?.slicesPerBeat, 4)
        XCTAssertEqual(Meter("C"), .fourFour)
        XCTAssertNil(Meter("4/3"))
        XCTAssertNil(Meter("x"))
        XCTAssertNil(Meter("0/4"))
        XCTAssertEqual(Meter(midiNumerator: 6, denominatorPower: 3), .sixEight)
        XCTAssertEqual(Meter.sixEight.accent(ofSliceInBar: 3), 1)
        XCTAssertEqual(Meter.sixEight.accent(ofSliceInBar: 2), 0)
    }

    func testChordSymbolsReadAsLeadSheetsWriteThem() {
        XCTAssertEqual(ChordSymbol(parsing: "C7"), ChordSymbol(root: 0, .dominant7))
        XCTAssertEqual(ChordSymbol(parsing: "Bbmaj7"), ChordSymbol(root: 10, .major7))
        XCTAssertEqual(ChordSymbol(parsing: "F#m7b5"), ChordSymbol(root: 6, .halfDiminished))
        XCTAssertEqual(ChordSymbol(parsing: "Ebø"), ChordSymbol(root: 3, .halfDiminished))
        XCTAssertEqual(ChordSymbol(parsing: "D-7"), ChordSymbol(root: 2, .minor7))
        XCTAssertEqual(ChordSymbol(parsing: "G13"), ChordSymbol(root: 7, .dominant7))
        XCTAssertEqual(ChordSymbol(parsing: "C/E"), ChordSymbol(root: 0, .major))
        XCTAssertEqual(ChordSymbol(parsing: "Am"), ChordSymbol(root: 9, .minor))
        XCTAssertEqual(ChordSymbol(parsing: "Fm6"), ChordSymbol(root: 5, .minor6))
        XCTAssertNil(ChordSymbol(parsing: "H7"))
        XCTAssertNil(ChordSymbol(parsing: "Cxyz"))
        for q in ChordSymbol.Quality.allCases {
            let c = ChordSymbol(root: 3, q)
            XCTAssertEqual(ChordSymbol(parsing: c.description), c, "a symbol reads back as written: \(c)")
        }
    }

    func testAChartReadsBarsTwoChordsRepeatsAndItsMeter() throws {
        let f = try ChordForm(chart: "C7 | F7 | % | Dm7 G7 |")
        XCTAssertEqual(f.barCount, 4)
        XCTAssertEqual(f.meter, .fourFour)
        XCTAssertEqual(f.bars[2], f.bars[1], "% repeats the bar before")
        XCTAssertEqual(f.chord(atSlice: 24), ChordSymbol(root: 2, .minor7))
        XCTAssertEqual(f.chord(atSlice: 27), ChordSymbol(root: 2, .minor7))
        XCTAssertEqual(f.chord(atSlice: 28), ChordSymbol(root: 7, .dominant7), "the second chord of a 4/4 bar starts on beat 3")
        XCTAssertTrue(f.chordStarts(atSlice: 28))
        XCTAssertFalse(f.chordStarts(atSlice: 29))
        XCTAssertEqual(f.chord(atSlice: 32), f.chord(atSlice: 0), "the form wraps round")
        XCTAssertEqual(f.chart, "C7 | F7 | F7 | Dm7 G7 |")
        XCTAssertEqual(try ChordForm(chart: f.chart), f, "a chart reads back as written")

        let waltz = try ChordForm(chart: "3/4 C | F G7 | C |")
        XCTAssertEqual(waltz.meter, .threeFour)
        XCTAssertEqual(waltz.sliceCount, 18)
        XCTAssertEqual(waltz.chord(atSlice: 9), ChordSymbol(root: 5, .major), "in 3/4 the first of two chords takes two beats")
        XCTAssertEqual(waltz.chord(atSlice: 10), ChordSymbol(root: 7, .dominant7))
        XCTAssertEqual(waltz.chart, "3/4 C | F G7 | C |")
    }

    func testBadChartsNameTheBarAndTheSymbol() {
        func message(_ chart: String) -> String {
            do { _ = try ChordForm(chart: chart); return "" } catch { return "\(error)" }
        }
        XCTAssertTrue(message("C7 | F7 | Hm7 |").contains("bar 3: \"Hm7\""), message("C7 | F7 | Hm7 |"))
        XCTAssertTrue(message("% | C7").contains("bar 1"))
        XCTAssertTrue(message("|:C7 | F7:|").contains("repeat"))
        XCTAssertTrue(message("6/8 C F G |").contains("more than the 2 beats"))
        XCTAssertTrue(message(" | | ").contains("no bars"))
        XCTAssertThrowsError(try ChordForm.resolve("bluez"))
    }

    func testTheShippedFormsAreTheOnesMusiciansKnow() throws {
        XCTAssertEqual(ChordForm.shipped.count, Set(ChordForm.shipped.map(\.name)).count, "names are unique")
        for name in ["eck-blues", "blues", "minor-blues", "8-bar-blues", "jazz-blues", "rhythm-changes", "folk-16", "folk-waltz", "jig", "slow-blues"] {
            XCTAssertNotNil(ChordForm.named(name), name)
        }
        XCTAssertEqual(ChordForm.rhythmChanges.barCount, 32)
        XCTAssertEqual(ChordForm.rhythmChanges.chord(atBar: 16), ChordSymbol(root: 4, .dominant7), "the bridge starts on III7")
        XCTAssertEqual(ChordForm.eightBarBlues.barCount, 8)
        XCTAssertEqual(ChordForm.folk16.barCount, 16)
        XCTAssertEqual(ChordForm.folkWaltz.meter, .threeFour)
        XCTAssertEqual(ChordForm.jig.meter, .sixEight)
        XCTAssertEqual(ChordForm.minorBlues.chord(atBar: 0).quality, .minor7)
        XCTAssertEqual(ChordForm.eckBlues.chord(atBar: 8), ChordSymbol(root: 2, .minor7))
        XCTAssertEqual(try ChordForm.resolve("minor-blues"), .minorBlues)
        XCTAssertEqual(try ChordForm.resolve("C | G7 |").barCount, 2)
        XCTAssertEqual(ChordForm.jazzBlues.transposed(by: 5).chord(atBar: 0), ChordSymbol(root: 5, .dominant7))
        XCTAssertEqual(ChordForm.eckBlues.changesPerBar, 9.0 / 12, accuracy: 1e-9)
    }
}
