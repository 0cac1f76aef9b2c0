/// Refuses, with a clear error, the few malformed inputs that the TOML parser under TOMLKit
/// (toml++ 3.4.0) does not report but aborts on (its asserts are live: SwiftPM builds C++
/// without NDEBUG) or mishandles; found by fuzzing (fuzz/RESULTS.md). Everything else is
/// left to the parser.
///
/// - A table header whose name starts with a character that cannot start a key, as in
///   `[,melody]`: toml++ asserts (abort) instead of reporting it (with NDEBUG it would be
///   undefined behaviour instead).
/// - Dates and times, as in `a = 1979-05-27Tx`: toml++ asserts on some malformed ones, and
///   no preset key takes one.
/// - A `}` where an array expects a value, as in `a = [}`: toml++ asserts.
/// - A NUL character: TOMLKit hands the text over as a C string, so the parser would
///   silently read only what comes before it.
///
/// Table headers are `[` at the start of a line (after blanks) outside any string, comment,
/// array or inline table; the scan follows strings, comments and brackets just enough to
/// know that, so apart from dates and times it never refuses valid TOML.
struct TOMLPrecheck {
    struct Problem: Error, Equatable {
        var line: Int
        var column: Int
        var reason: String
    }

    static func check(_ text: String) throws(Problem) {
        enum Mode { case normal, comment, basic, literal, multiBasic, multiLiteral }
        let s = Array(text.unicodeScalars)
        var mode = Mode.normal
        var depth = 0            // unclosed [ and { inside values
        var lineStart = true     // only blanks so far on this line (in normal mode)
        var previous: Unicode.Scalar = "\n"  // last character outside blanks, comments and strings
        var line = 1, column = 1
        if let nul = s.firstIndex(of: "\0") {
            let before = s[..<nul]
            let lineStart = before.lastIndex(of: "\n").map { $0 + 1 } ?? 0
            throw Problem(line: before.count { $0 == "\n" } + 1, column: nul - lineStart + 1,
                          reason: "a NUL character is not allowed in TOML")
        }
        var i = s.first == "\u{FEFF}" ? 1 : 0  // a byte-order mark, which the parser skips

        func isKeyStart(_ c: Unicode.Scalar) -> Bool {
            switch c {
            case "A"..."Z", "a"..."z", "0"..."9", "_", "-", "\"", "'", "]": return true
            default: return false
            }
        }
        func isValueTerminator(_ c: Unicode.Scalar) -> Bool {
            switch c {
            case " ", "\t", "\r", "\n", "]", "}", ",", "#": return true
            default: return false
            }
        }
        func quotes(_ q: Unicode.Scalar, at k: Int) -> Int {
            var n = 0
            while k + n < s.count, s[k + n] == q { n += 1 }
            return n
        }

        while i < s.count {
            let c = s[i]
            var step = 1
            let modeBefore = mode
            switch mode {
            case .normal:
                switch c {
                case "#": mode = .comment
                case "\"":
                    if quotes("\"", at: i) >= 3 { mode = .multiBasic; step = 3 } else { mode = .basic }
                case "'":
                    if quotes("'", at: i) >= 3 { mode = .multiLiteral; step = 3 } else { mode = .literal }
                case "[" where lineStart && depth == 0:
                    // A table header: after "[" or "[[" and blanks must come a key or "]".
                    var k = i + 1
                    if k < s.count, s[k] == "[" { k += 1 }
                    while k < s.count, s[k] == " " || s[k] == "\t" { k += 1 }
                    if k < s.count, !isKeyStart(s[k]) {
                        throw Problem(line: line, column: column + (k - i),
                                      reason: "expected a table name after '[', found '\(s[k].escaped(asASCII: true))'")
                    }
                    step = k - i
                case _ where ("0"..."9" ~= c || c == "+" || c == "-") && (previous == "=" || previous == "[" || previous == ","):
                    // A number, date or time value: like the parser, take everything up to a
                    // value terminator. A sign past the start (but for an exponent's) or a colon
                    // makes it a date or time to the parser, and some malformed ones abort it.
                    var k = i
                    while k < s.count, !isValueTerminator(s[k]) { k += 1 }
                    let token = s[i..<k]
                    let datelike = token.contains(":") || token.indices.contains { j in
                        j > i && (token[j] == "-" || token[j] == "+") && !"eE".unicodeScalars.contains(token[j - 1])
                    }
                    if datelike {
                        throw Problem(line: line, column: column,
                                      reason: "expected a number, found '\(String(String.UnicodeScalarView(token)).debugDescription.dropFirst().dropLast())' (dates and times are not used in presets)")
                    }
                    step = max(1, k - i)
                case "}" where previous == "[" || previous == ",":
                    throw Problem(line: line, column: column, reason: "expected a value, found '}'")
                case "[", "{": depth += 1
                case "]", "}": depth = max(0, depth - 1)
                default: break
                }
            case .comment:
                if c == "\n" { mode = .normal }
            case .basic:
                if c == "\\" { step = 2 } else if c == "\"" || c == "\n" { mode = .normal }
            case .literal:
                if c == "'" || c == "\n" { mode = .normal }
            case .multiBasic:
                if c == "\\" { step = 2 } else if c == "\"", quotes("\"", at: i) >= 3 { mode = .normal; step = quotes("\"", at: i) }
            case .multiLiteral:
                if c == "'", quotes("'", at: i) >= 3 { mode = .normal; step = quotes("'", at: i) }
            }
            if case .normal = modeBefore, !(c == " " || c == "\t" || c == "\r" || c == "\n" || c == "#") { previous = c }
            // Track lines and columns over the scalars stepped over.
            for k in i..<min(i + step, s.count) {
                if s[k] == "\n" { line += 1; column = 1 } else { column += 1 }
            }
            let last = s[min(i + step, s.count) - 1]
            if last == "\n" { lineStart = true } else if !(mode == .normal && (c == " " || c == "\t" || c == "\r")) { lineStart = false }
            i += step
        }
    }
}
