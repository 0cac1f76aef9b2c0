import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import MusicCore
import StandardMIDI
import XCTest

final class ModelCommandTests: XCTestCase {
    func testTrainOnAFolderWritesModelLossLogPlotAndCheckpoints() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let corpus = dir.appendingPathComponent("corpus")
        XCTAssertEqual(try CLI.run(["corpus", "--out", corpus.path, "--count", "6", "--key", "G"]).status, 0)
        let model = dir.appendingPathComponent("mine.safetensors").path
        let r = try CLI.run(["train", "--corpus", corpus.path, "--out", model, "--epochs", "3", "--batch", "2", "--threads", "1"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("training on folder"), r.stdout)
        XCTAssertTrue(FileManager.default.fileExists(atPath: model))
        let csv = try String(contentsOfFile: dir.appendingPathComponent("mine.loss.csv").path, encoding: .utf8)
        let rows = csv.split(separator: "\n")
        XCTAssertEqual(rows.count, 4, "a header and one row per epoch")
        XCTAssertTrue(rows[0].hasPrefix("epoch,train_loss"))
        let losses = rows.dropFirst().map { Double($0.split(separator: ",")[1])! }
        XCTAssertLessThan(losses.last!, losses.first!, "the loss falls")
        // The plot is well-formed SVG with both curves.
        let svg = try Data(contentsOf: dir.appendingPathComponent("mine.loss.svg"))
        let parser = XMLParser(data: svg)
        let collector = ElementCollector()
        parser.delegate = collector
        XCTAssertTrue(parser.parse(), "the SVG parses as XML: \(String(describing: parser.parserError))")
        XCTAssertEqual(collector.elements.first, "svg")
        XCTAssertEqual(collector.elements.filter { $0 == "polyline" }.count, 2)
        let checkpoints = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("mine.checkpoints").path)
        XCTAssertEqual(checkpoints.sorted(), ["epoch-0001.safetensors", "epoch-0002.safetensors", "epoch-0003.safetensors"])
        // And the model plays.
        let out = dir.appendingPathComponent("gen.mid").path
        let g = try CLI.run(["generate", "--model", model, "--bars", "2", "--out", out])
        XCTAssertEqual(g.status, 0, g.stderr)
    }

    func testTrainRefusesBadOptions() throws {
        let r = try CLI.run(["train", "--out", "/tmp/x.safetensors", "--optimizer", "lbfgs"])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("adam, sgd or rmsprop"), r.stderr)
        let c = try CLI.run(["train", "--out", "/tmp/x.safetensors", "--cyclical", "0.1"])
        XCTAssertNotEqual(c.status, 0)
        XCTAssertTrue(c.stderr.contains("MIN,MAX,HALF-CYCLE"), c.stderr)
    }

    func testGenerateWithTheBuiltInModelIsDeterministicAndInForm() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = dir.appendingPathComponent("a.mid").path, b = dir.appendingPathComponent("b.mid").path
        let c = dir.appendingPathComponent("c.mid").path
        XCTAssertEqual(try CLI.run(["generate", "--bars", "24", "--seed", "4", "--key", "F", "--out", a]).status, 0)
        XCTAssertEqual(try CLI.run(["generate", "--bars", "24", "--seed", "4", "--key", "F", "--out", b]).status, 0)
        XCTAssertEqual(try CLI.run(["generate", "--bars", "24", "--seed", "5", "--key", "F", "--top-k", "7", "--out", c]).status, 0)
        XCTAssertEqual(FileManager.default.contents(atPath: a), FileManager.default.contents(atPath: b), "same seed, same piece")
        XCTAssertNotEqual(FileManager.default.contents(atPath: a), FileManager.default.contents(atPath: c))
        let score = Score(midi: try MIDIFile.read(path: a))
        XCTAssertEqual(score.key, Key("F"))
        let slices = score.transposed(by: -5).slices(encoding: .eck, sliceCount: 25 * 8)
        // The chord part keeps the 12-bar form through both generated choruses.
        for bar in 1..<25 {
            let expected = ChordForm.eckBlues.chord(atBar: bar).voicing(in: SliceEncoding.eck.chordRange)
            XCTAssertEqual(slices[bar * 8].chord, expected, "bar \(bar + 1)")
        }
    }

    func testGenerateFromAPrimeFileKeepsItsKey() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        XCTAssertEqual(try CLI.run(["corpus", "--out", dir.path, "--count", "1", "--key", "Eb"]).status, 0)
        let prime = try FileManager.default.contentsOfDirectory(atPath: dir.path)[0]
        let out = dir.appendingPathComponent("out.mid").path
        let r = try CLI.run(["generate", "--prime", dir.appendingPathComponent(prime).path, "--prime-slices", "16",
                             "--bars", "4", "--out", out])
        XCTAssertEqual(r.status, 0, r.stderr)
        let score = Score(midi: try MIDIFile.read(path: out))
        XCTAssertEqual(score.key, Key("Eb"))
        XCTAssertEqual(score.grid.nearestSlice(score.endTick), 16 + 32)
    }

    func testEvalTableShowsTheModelBeatingTheBaselines() throws {
        let r = try CLI.run(["eval", "--choruses", "20"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let rows = r.stdout.split(separator: "\n").map(String.init)
        func ce(_ name: String) throws -> Double {
            let row = try XCTUnwrap(rows.first { $0.hasPrefix(name) }, r.stdout)
            let fields = row.dropFirst(18).split(separator: " ")
            return try XCTUnwrap(Double(fields[3]), row)
        }
        let lstm = try XCTUnwrap(rows.first { $0.hasPrefix("LSTM") })
        XCTAssertEqual(lstm.dropFirst(18).split(separator: " ").first, "100.0%", lstm)
        for baseline in ["Random walk", "Markov order 1", "Markov order 2"] {
            XCTAssertLessThan(try ce("LSTM"), try ce(baseline), "held-out cross-entropy against \(baseline)")
        }
    }

    func testABrokenModelFileIsNamed() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("broken.safetensors").path
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data([1, 2, 3, 4, 5, 6, 7, 8, 9])))
        let r = try CLI.run(["generate", "--model", path, "--out", dir.appendingPathComponent("x.mid").path])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains(path), r.stderr)
    }
}

final class ElementCollector: NSObject, XMLParserDelegate {
    var elements: [String] = []
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        elements.append(name)
    }
}
