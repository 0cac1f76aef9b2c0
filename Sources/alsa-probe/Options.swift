#if canImport(Glibc)
import Glibc
#endif

/// Minimal "--key value" / "--flag" parsing for the probe (no dependencies).
struct Options {
    var positional: [String] = []
    var values: [String: [String]] = [:]

    init(_ args: ArraySlice<String>) {
        var it = args.makeIterator()
        while let a = it.next() {
            if a.hasPrefix("--") {
                let key = String(a.dropFirst(2))
                if let eq = key.firstIndex(of: "=") {
                    values[String(key[..<eq]), default: []].append(String(key[key.index(after: eq)...]))
                } else {
                    values[key, default: []].append(it.next() ?? "")
                }
            } else {
                positional.append(a)
            }
        }
    }

    func string(_ key: String, _ def: String? = nil) -> String? { values[key]?.last ?? def }
    func all(_ key: String) -> [String] { values[key] ?? [] }
    func int(_ key: String, _ def: Int) -> Int { string(key).flatMap { Int($0) } ?? def }
    func double(_ key: String, _ def: Double) -> Double { string(key).flatMap { Double($0) } ?? def }
}

func fail(_ message: String) -> Never {
    FileHandleOut.stderr.write("alsa-probe: \(message)\n")
    exit(1)
}

/// Unbuffered text output to stdout, stderr or a file (every line is written at once, so
/// tests can watch a running probe).
final class FileHandleOut: Sendable {
    let fd: Int32
    init(fd: Int32) { self.fd = fd }
    convenience init?(path: String) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { return nil }
        self.init(fd: fd)
    }
    static let stdout = FileHandleOut(fd: 1)
    static let stderr = FileHandleOut(fd: 2)
    func write(_ s: String) {
        var bytes = Array(s.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR { continue } else { return } }
            bytes = bytes.dropFirst(n)
        }
    }
    func line(_ s: String) { write(s + "\n") }
}

/// Seconds on the monotonic clock.
func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

var out: FileHandleOut { FileHandleOut.stdout }

func sleepMs(_ ms: Int) { usleep(UInt32(ms * 1000)) }

/// Set by SIGINT/SIGTERM: the loops end cleanly (so deinit closes the sequencer).
nonisolated(unsafe) var stopRequested: sig_atomic_t = 0
func installStopHandlers() {
    signal(SIGINT) { _ in stopRequested = 1 }
    signal(SIGTERM) { _ in stopRequested = 1 }
}

/// `x` with `digits` decimals (no Foundation here).
func fixed(_ x: Double, _ digits: Int) -> String {
    let scale = (0..<digits).reduce(1.0) { r, _ in r * 10 }
    let v = (abs(x) * scale).rounded()
    let whole = Int(v / scale), frac = Int(v.truncatingRemainder(dividingBy: scale))
    let sign = x < 0 && v > 0 ? "-" : ""
    guard digits > 0 else { return "\(sign)\(whole)" }
    let f = String(frac)
    return "\(sign)\(whole).\(String(repeating: "0", count: digits - f.count))\(f)"
}
