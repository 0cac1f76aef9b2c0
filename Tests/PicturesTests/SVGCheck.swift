import Foundation
import TestSupport
import XCTest

/// What Python's own XML parser (Tests/interop/svg_check.py) reads in a picture: a real
/// parser from outside, so an escaping mistake cannot be hidden by our own reader.
struct SVGCheck: Decodable {
    struct Box: Decodable { var x, y, width, height: Double }
    struct LegendText: Decodable { var x: Double; var text: String }
    struct NoteMark: Decodable { var part: String?; var fill: String?; var pitch: Int }
    var root: String
    var width: Double
    var height: Double
    var title: String?
    var texts: [String]
    var legend: [Box]
    var legendTexts: [LegendText]
    var notes: [NoteMark]
    var chords: [String]
    var bars: [String]
    var header: String?

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("interop/svg_check.py").path

    static func read(_ svgs: [String], file: StaticString = #filePath, line: UInt = #line) throws -> [SVGCheck] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("improv-svg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let paths = try svgs.enumerated().map { i, svg in
            let path = dir.appendingPathComponent("\(i).svg").path
            try Data(svg.utf8).write(to: URL(fileURLWithPath: path))
            return path
        }
        let r = try Python.run([script] + paths)
        XCTAssertEqual(r.status, 0, "python3's xml.etree parses every picture: \(r.stderr)", file: file, line: line)
        guard r.status == 0 else { throw NSError(domain: "svg_check", code: Int(r.status)) }
        return try JSONDecoder().decode([SVGCheck].self, from: r.stdout)
    }

    static func read(_ svg: String, file: StaticString = #filePath, line: UInt = #line) throws -> SVGCheck {
        try read([svg], file: file, line: line)[0]
    }
}
