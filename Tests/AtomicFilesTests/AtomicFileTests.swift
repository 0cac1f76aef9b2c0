import AtomicFiles
import Foundation
import XCTest

/// The full-disk case is tests/fs/full-disk.sh (it needs a small mounted file system); here,
/// the failures any folder can produce.
final class AtomicFileTests: XCTestCase {
    var folder = ""

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "atomic-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: folder) }

    func entries() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: folder).sorted() }

    func testWritesAndReplacesWholeFiles() throws {
        let path = folder + "/a.bin"
        try AtomicFile.write([1, 2, 3], to: path)
        XCTAssertEqual(FileManager.default.contents(atPath: path), Data([1, 2, 3]))
        try AtomicFile.write("new", to: path)
        XCTAssertEqual(FileManager.default.contents(atPath: path), Data("new".utf8))
        XCTAssertEqual(try entries(), ["a.bin"], "no temporary file left")
    }

    func testAStreamIsInvisibleUntilCommittedAndGoneWhenDiscarded() throws {
        let path = folder + "/s.bin"
        try AtomicFile.write([9], to: path)
        let w = try AtomicFileWriter(path: path)
        try w.write([1, 2, 3, 4])
        try w.seek(toOffset: 0)
        try w.write(Data([7]))
        XCTAssertEqual(FileManager.default.contents(atPath: path), Data([9]), "the old file until commit")
        XCTAssertTrue(FileManager.default.fileExists(atPath: w.temporaryPath))
        try w.commit()
        XCTAssertEqual(FileManager.default.contents(atPath: path), Data([7, 2, 3, 4]))

        let dropped = try AtomicFileWriter(path: path)
        try dropped.write([5, 5])
        dropped.discard()
        XCTAssertEqual(FileManager.default.contents(atPath: path), Data([7, 2, 3, 4]))
        XCTAssertEqual(try entries(), ["s.bin"])

        // Released without commit (an error on the way): the same.
        do {
            let abandoned = try AtomicFileWriter(path: path)
            try abandoned.write([6])
        }
        XCTAssertEqual(try entries(), ["s.bin"])
    }

    func testAStaleTemporaryFileIsReplaced() throws {
        let path = folder + "/t.bin"
        let stale = path + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
        try Data([0xEE]).write(to: URL(fileURLWithPath: stale))
        try AtomicFile.write([1], to: path)
        XCTAssertEqual(FileManager.default.contents(atPath: path), Data([1]))
        XCTAssertEqual(try entries(), ["t.bin"])
    }

    func testAMissingFolderIsAClearError() throws {
        let path = folder + "/no/such/folder/m.bin"
        XCTAssertThrowsError(try AtomicFile.write([1], to: path)) { error in
            let e = error as? AtomicWriteError
            XCTAssertEqual(e?.path, path)
            XCTAssertTrue("\(error)".contains(path), "\(error)")
            XCTAssertTrue(e?.reason.contains("No such file or directory") == true, "\(error)")
        }
    }

    func testRenameOverAFolderFailsCleanly() throws {
        let path = folder + "/d"
        try FileManager.default.createDirectory(atPath: path + "/inside", withIntermediateDirectories: true)
        XCTAssertThrowsError(try AtomicFile.write([1, 2], to: path)) { error in
            XCTAssertTrue("\(error)".hasPrefix("\(path): cannot write"), "\(error)")
            XCTAssertTrue("\(error)".contains("renaming"), "\(error)")
        }
        XCTAssertEqual(try entries(), ["d"], "the temporary file is removed")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: path), ["inside"], "the folder is untouched")
    }
}
