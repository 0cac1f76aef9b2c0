/// A small strict JSON reader for request bodies: whole numbers stay whole (so `top_k: 2.5`
/// is refused like the preset refuses it), a key given twice is an error, nesting is limited,
/// and every error says at which byte and what was expected.
enum JSONValue: Equatable {
    case null
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    case array([JSONValue])
    /// Members in the order given.
    case object([(String, JSONValue)])

    static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.integer(x), .integer(y)): return x == y
        case let (.number(x), .number(y)): return x == y
        case let (.string(x), .string(y)): return x == y
        case let (.array(x), .array(y)): return x == y
        case let (.object(x), .object(y)): return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    var kind: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .integer, .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    struct SyntaxError: Error, Equatable, CustomStringConvertible {
        var offset: Int
        var reason: String
        var description: String { "malformed JSON at byte \(offset): \(reason)" }
    }

    static let maxDepth = 16

    static func parse(_ bytes: [UInt8]) throws(SyntaxError) -> JSONValue {
        var p = Parser(b: bytes)
        p.skipBlanks()
        let v = try p.value(depth: 0)
        p.skipBlanks()
        guard p.i == bytes.count else { throw p.fail("expected the end of the body after the value") }
        return v
    }

    private struct Parser {
        let b: [UInt8]
        var i = 0

        func fail(_ reason: String) -> SyntaxError { SyntaxError(offset: i, reason: reason) }

        mutating func skipBlanks() {
            while i < b.count, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0A || b[i] == 0x0D { i += 1 }
        }

        func found() -> String {
            guard i < b.count else { return "the end of the body" }
            let c = b[i]
            return (0x21...0x7e).contains(c) ? "'\(Character(Unicode.Scalar(c)))'" : "byte 0x\(String(c, radix: 16))"
        }

        mutating func literal(_ word: String, _ v: JSONValue) throws(SyntaxError) -> JSONValue {
            let w = Array(word.utf8)
            guard i + w.count <= b.count, Array(b[i..<(i + w.count)]) == w else { throw fail("expected a value, found \(found())") }
            i += w.count
            return v
        }

        mutating func value(depth: Int) throws(SyntaxError) -> JSONValue {
            guard depth <= JSONValue.maxDepth else { throw fail("nested deeper than \(JSONValue.maxDepth) levels") }
            guard i < b.count else { throw fail("expected a value, found the end of the body") }
            switch b[i] {
            case UInt8(ascii: "{"): return try object(depth: depth)
            case UInt8(ascii: "["): return try array(depth: depth)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): return try literal("true", .bool(true))
            case UInt8(ascii: "f"): return try literal("false", .bool(false))
            case UInt8(ascii: "n"): return try literal("null", .null)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
            default: throw fail("expected a value, found \(found())")
            }
        }

        mutating func object(depth: Int) throws(SyntaxError) -> JSONValue {
            i += 1
            var members: [(String, JSONValue)] = []
            skipBlanks()
            if i < b.count, b[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
            while true {
                skipBlanks()
                guard i < b.count, b[i] == UInt8(ascii: "\"") else { throw fail("expected a key in quotes, found \(found())") }
                let start = i
                let key = try string()
                if members.contains(where: { $0.0 == key }) { i = start; throw fail("the key \"\(key)\" is given twice") }
                skipBlanks()
                guard i < b.count, b[i] == UInt8(ascii: ":") else { throw fail("expected ':' after a key, found \(found())") }
                i += 1
                skipBlanks()
                members.append((key, try value(depth: depth + 1)))
                skipBlanks()
                guard i < b.count else { throw fail("expected ',' or '}', found the end of the body") }
                if b[i] == UInt8(ascii: ",") { i += 1; continue }
                if b[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
                throw fail("expected ',' or '}', found \(found())")
            }
        }

        mutating func array(depth: Int) throws(SyntaxError) -> JSONValue {
            i += 1
            var items: [JSONValue] = []
            skipBlanks()
            if i < b.count, b[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
            while true {
                skipBlanks()
                items.append(try value(depth: depth + 1))
                skipBlanks()
                guard i < b.count else { throw fail("expected ',' or ']', found the end of the body") }
                if b[i] == UInt8(ascii: ",") { i += 1; continue }
                if b[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
                throw fail("expected ',' or ']', found \(found())")
            }
        }

        mutating func hex4() throws(SyntaxError) -> UInt32 {
            guard i + 4 <= b.count else { throw fail("expected four hex digits after \\u") }
            var v: UInt32 = 0
            for _ in 0..<4 {
                let c = b[i]
                let d: UInt8
                switch c {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): d = c - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): d = c - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): d = c - UInt8(ascii: "A") + 10
                default: throw fail("expected a hex digit after \\u, found \(found())")
                }
                v = v * 16 + UInt32(d)
                i += 1
            }
            return v
        }

        mutating func string() throws(SyntaxError) -> String {
            i += 1
            var bytes: [UInt8] = []
            while true {
                guard i < b.count else { throw fail("expected '\"' to close a string, found the end of the body") }
                let c = b[i]
                if c == UInt8(ascii: "\"") { i += 1; break }
                if c < 0x20 { throw fail("a control character (0x\(String(c, radix: 16))) inside a string must be escaped") }
                if c != UInt8(ascii: "\\") { bytes.append(c); i += 1; continue }
                i += 1
                guard i < b.count else { throw fail("expected an escape after '\\'") }
                let e = b[i]
                i += 1
                switch e {
                case UInt8(ascii: "\""): bytes.append(0x22)
                case UInt8(ascii: "\\"): bytes.append(0x5C)
                case UInt8(ascii: "/"): bytes.append(0x2F)
                case UInt8(ascii: "b"): bytes.append(0x08)
                case UInt8(ascii: "f"): bytes.append(0x0C)
                case UInt8(ascii: "n"): bytes.append(0x0A)
                case UInt8(ascii: "r"): bytes.append(0x0D)
                case UInt8(ascii: "t"): bytes.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800...0xDBFF).contains(scalar) {
                        guard i + 1 < b.count, b[i] == UInt8(ascii: "\\"), b[i + 1] == UInt8(ascii: "u") else { throw fail("a lone UTF-16 surrogate in \\u escapes") }
                        i += 2
                        let low = try hex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw fail("a lone UTF-16 surrogate in \\u escapes") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(scalar) {
                        throw fail("a lone UTF-16 surrogate in \\u escapes")
                    }
                    bytes.append(contentsOf: Array(String(Character(Unicode.Scalar(scalar)!)).utf8))
                default: i -= 1; throw fail("expected an escape (\\\" \\\\ / b f n r t u), found \(found())")
                }
            }
            guard let s = String(validating: bytes, as: UTF8.self) else { throw fail("a string that is not valid UTF-8") }
            return s
        }

        mutating func number() throws(SyntaxError) -> JSONValue {
            let start = i
            if b[i] == UInt8(ascii: "-") { i += 1 }
            func digits(_ p: inout Parser) -> Int {
                let s = p.i
                while p.i < p.b.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(p.b[p.i]) { p.i += 1 }
                return p.i - s
            }
            let intStart = i
            let n = digits(&self)
            guard n > 0 else { throw fail("expected a digit, found \(found())") }
            if n > 1, b[intStart] == UInt8(ascii: "0") { i = intStart; throw fail("a number may not start with 0") }
            var whole = true
            if i < b.count, b[i] == UInt8(ascii: ".") {
                i += 1; whole = false
                guard digits(&self) > 0 else { throw fail("expected a digit after '.', found \(found())") }
            }
            if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
                i += 1; whole = false
                if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
                guard digits(&self) > 0 else { throw fail("expected a digit in the exponent, found \(found())") }
            }
            let text = String(decoding: b[start..<i], as: UTF8.self)
            if whole, let v = Int(text) { return .integer(v) }
            guard let d = Double(text), d.isFinite else { i = start; throw fail("the number \(text.prefix(40)) is out of range") }
            return .number(d)
        }
    }
}
