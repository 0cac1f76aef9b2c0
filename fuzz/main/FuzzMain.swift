import Foundation
import FuzzALSAEvent
import FuzzMIDI
import FuzzModel
import FuzzPreset
import FuzzSupport

// The one fuzz executable (fuzz/README.md): libFuzzer calls LLVMFuzzerInitialize once, then
// LLVMFuzzerTestOneInput with every input; IMPROV_FUZZ_TARGET picks the parser. One binary, so
// one `swift build` call builds every target and the shared modules once.

let targets: [String: (fuzz: @Sendable ([UInt8]) -> Void, seeds: @Sendable () throws -> [(name: String, bytes: [UInt8])])] = [
    "midi": (fuzzMIDI, midiSeeds),
    "preset": (fuzzPreset, presetSeeds),
    "model": (fuzzModel, modelSeeds),
    "alsa-event": (fuzzALSAEvent, eventSeeds),
]
nonisolated(unsafe) var selected: (([UInt8]) -> Void)?

@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(_ argc: OpaquePointer?, _ argv: OpaquePointer?) -> CInt {
    let name = ProcessInfo.processInfo.environment["IMPROV_FUZZ_TARGET"] ?? ""
    guard let target = targets[name] else {
        FileHandle.standardError.write(Data("fuzz-improv: set IMPROV_FUZZ_TARGET to one of: \(targets.keys.sorted().joined(separator: ", "))\n".utf8))
        exit(2)
    }
    writeSeedsIfAsked(target.seeds)
    selected = target.fuzz
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    selected?(fuzzBytes(data, size))
    return 0
}
