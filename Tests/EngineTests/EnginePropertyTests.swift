import Composer
@testable import Engine
import Foundation
import MIDI
import MusicCore
import XCTest

/// For any sequence of player events, every note-on improv sends is followed by its
/// note-off, no note outlives a panic or a stop, and the engine never stops answering.
///
/// Hundreds of random scripts (PlayerScript) run through the engine in simulated time
/// (ScriptRun); the recording is checked here. A failure prints the seed and the script's
/// summary; IMPROV_PROPERTY_SEED=<seed> runs that one script alone (IMPROV_PROPERTY_COUNT
/// changes how many run).
final class EnginePropertyTests: XCTestCase {
    static let firstSeed: UInt64 = 1

    func testEveryNoteEndsNothingOutlivesAPanicAndImprovKeepsAnswering() throws {
        let env = ProcessInfo.processInfo.environment
        let seeds: [UInt64]
        if let one = env["IMPROV_PROPERTY_SEED"].flatMap(UInt64.init) {
            seeds = [one]
        } else {
            let count = env["IMPROV_PROPERTY_COUNT"].flatMap(Int.init) ?? 800
            seeds = (0..<UInt64(count)).map { Self.firstSeed + $0 }
        }
        let base = try ImprovModel.builtIn()
        let models = [base, nudgedModel(base, seed: 99)]
        var failures: [String] = []
        var stats = (notes: 0, panics: 0, answers: 0)
        for seed in seeds {
            let script = PlayerScript(seed: seed)
            let run = ScriptRun(script, models: models)
            let problems = Self.check(run, script)
            if !problems.isEmpty {
                failures.append("seed \(seed) [\(script.summary)]:\n  " + problems.prefix(5).joined(separator: "\n  "))
            }
            stats.notes += run.tape.entries.filter { $0.source == .engine && $0.message.isNoteOn }.count
            stats.panics += run.silences.count - 1
            stats.answers += run.answers.count
        }
        print("engine properties: \(seeds.count) scripts, \(stats.notes) improv note-ons, \(stats.panics) panics and clock stops, "
              + "\(stats.answers) answers; \(failures.count) failed")
        XCTAssertTrue(failures.isEmpty, "\(failures.count) of \(seeds.count) scripts broke a property "
                      + "(replay one with IMPROV_PROPERTY_SEED=<seed>):\n" + failures.prefix(8).joined(separator: "\n"))
    }

    /// Every property, as a list of what went wrong (empty: all hold).
    static func check(_ run: ScriptRun, _ script: PlayerScript) -> [String] {
        var problems: [String] = []
        let played = run.tape.played
        func id(_ c: UInt8, _ k: UInt8) -> Int { Int(c) * 128 + Int(k) }

        // Scheduled events are never in the past: they would play late.
        for e in played where !e.immediate && e.tick < e.handedOverAt {
            problems.append("\(e.message) scheduled at \(e.tick), already past (clock \(e.handedOverAt))")
        }

        // Pairing. improv's own notes (scheduled) strictly alternate on and off per channel and
        // key: a second note-on while one sounds would leave a note-off short. The off may be
        // its own scheduled note-off, or a panic's note-off or all-notes-off. A note-off for a
        // note not sounding is allowed: panic sends one for every note that may sound, which
        // for a silent key is a no-op on every synthesizer. Pass-through notes are the player's:
        // duplicates pass as played, but each must be ended by the player or by a panic.
        var own: [Int: Int] = [:]      // id -> tick of the note-on
        var passed: [Int: Int] = [:]
        for e in played {
            switch (e.message, e.source) {
            case (.noteOn(let c, let k, _), .engine):
                if let start = own[id(c, k)] {
                    problems.append("improv struck channel \(c) key \(k) at \(e.tick) while its note from \(start) still sounds")
                }
                own[id(c, k)] = e.tick
            case (.noteOn(let c, let k, _), .player):
                passed[id(c, k)] = e.tick
            case (.noteOff(let c, let k, _), .player):
                passed[id(c, k)] = nil
            case (.noteOff(let c, let k, _), _):
                own[id(c, k)] = nil
                if e.source == .panic { passed[id(c, k)] = nil }
            case (.controlChange(let c, 123, _), .panic):
                own = own.filter { $0.key / 128 != Int(c) }
                passed = passed.filter { $0.key / 128 != Int(c) }
            case (.noteOn, .panic):
                problems.append("a panic sent a note-on: \(e.message)")
            default:
                break
            }
        }
        for (k, start) in own.sorted(by: { $0.key < $1.key }) {
            problems.append("improv's note channel \(k / 128) key \(k % 128) from \(start) never ends")
        }
        for (k, start) in passed.sorted(by: { $0.key < $1.key }) {
            problems.append("passed-through note channel \(k / 128) key \(k % 128) from \(start) never ends")
        }

        // Panics and the stop: at once, nothing sounds, and all-notes-off went to every channel
        // used so far.
        for s in run.silences {
            var sounding = Set<Int>()
            var used = Set<UInt8>()
            for e in played where e.tick < s.tick || (e.tick == s.tick && e.seq < s.seqTo) {
                switch e.message {
                case .noteOn(let c, let k, _): sounding.insert(id(c, k)); used.insert(c)
                case .noteOff(let c, let k, _): sounding.remove(id(c, k))
                case .controlChange(let c, 123, _): sounding = sounding.filter { $0 / 128 != Int(c) }
                default: break
                }
            }
            let what = s.isStop ? "the stop" : "the panic"
            if !sounding.isEmpty {
                problems.append("after \(what) at \(s.tick), still sounding: \(sounding.sorted().map { "\($0 / 128):\($0 % 128)" })")
            }
            let allOff = Set(run.tape.entries.filter { $0.seq >= s.seqFrom && $0.seq < s.seqTo }.compactMap { e -> UInt8? in
                if case .controlChange(let c, 123, _) = e.message { return c } else { return nil }
            })
            if !used.isSubset(of: allOff) {
                problems.append("\(what) at \(s.tick) sent all-notes-off on \(allOff.sorted()), channels used \(used.sorted())")
            }
            // After a panic improv waits for the player's next note before it plays again.
            if !s.isStop {
                let nextStrike = run.playerStrikes.first { $0 >= s.seqTo } ?? Int.max
                if let early = run.tape.entries.first(where: { $0.source == .engine && $0.message.isNoteOn && $0.seq > s.seqTo && $0.seq < nextStrike }) {
                    problems.append("improv played \(early.message) at \(early.tick) after the panic at \(s.tick), before the player played again")
                }
            }
        }
        if let late = played.last(where: { $0.tick > run.stopTick }) {
            problems.append("\(late.message) at \(late.tick), after the stop at \(run.stopTick)")
        }
        if run.soundingAfterStop != 0 { problems.append("the engine counts \(run.soundingAfterStop) notes sounding after the stop") }

        // Liveness: the plain call at the end is answered, whatever came before.
        let tps = PlayerScript.tps
        let ons = played.filter { $0.source == .engine && $0.message.isNoteOn }.map(\.tick)
        let final = run.finalSettings
        if final.mode == .callAndResponse && final.callBars == 0 {
            let answers = run.answers.filter { $0.decidedAt > script.callEnd }
            if answers.isEmpty {
                problems.append("the call \(script.callStart)-\(script.callEnd) was never answered (ran to \(run.stopTick); answers \(run.answers.map { "\($0.start)-\($0.end)@\($0.decidedAt)" }))")
            } else if let a = answers.first, !ons.contains(where: { $0 >= a.start * tps && $0 < a.end * tps }) {
                problems.append("the answer in slices \(a.start)..<\(a.end) to the call ending at \(script.callEnd) has no notes")
            }
        } else {
            let window = script.callStart...(script.callEnd + ScriptRun.livenessWindow(final))
            if !ons.contains(where: { window.contains($0) }) {
                problems.append("improv (\(final.mode.rawValue), trading \(final.callBars)/\(final.responseBars)) played nothing in ticks \(window) after the call")
            }
        }
        return problems
    }
}

extension ChannelMessage {
    var isNoteOn: Bool { if case .noteOn = self { return true } else { return false } }
}
