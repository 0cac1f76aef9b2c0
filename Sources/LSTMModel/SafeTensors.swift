import AtomicFiles
import Foundation

/// Element types of the safetensors format.
public enum SafeTensorsDType: String, Sendable, CaseIterable {
    case F64, F32, F16, BF16, I64, I32, I16, I8, U64, U32, U16, U8, BOOL, F8_E4M3, F8_E5M2

    public var byteSize: Int {
        switch self {
        case .F64, .I64, .U64: return 8
        case .F32, .I32, .U32: return 4
        case .F16, .BF16, .I16, .U16: return 2
        case .I8, .U8, .BOOL, .F8_E4M3, .F8_E5M2: return 1
        }
    }
}

/// One tensor's entry in a safetensors header.
public struct SafeTensorInfo: Sendable, Hashable {
    public var name: String
    public var dtype: SafeTensorsDType
    public var shape: [Int]
    /// Byte range within the data section (after the header).
    public var begin: Int
    public var end: Int
    public var elementCount: Int { shape.reduce(1, *) }
}

/// A parsed safetensors file (the format of the Python `safetensors` library):
///
///     8 bytes     N, little-endian unsigned header length
///     N bytes     JSON: {"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]},
///                        ..., "__metadata__": {"key": "value", ...}}, padded with spaces
///     rest        tensor data, little-endian, row-major; offsets relative to its start
///
/// Parsing checks everything the Python library checks (header length within the file,
/// valid JSON object, known dtypes, offsets matching dtype and shape, within the data, not
/// overlapping and covering it exactly) and names the file in every error.
public struct SafeTensorsFile: Sendable {
    /// Path or name used in error messages.
    public let file: String
    /// Tensors in data order.
    public let tensors: [SafeTensorInfo]
    public let metadata: [String: String]
    /// True when the header had a "__metadata__" entry.
    public let hasMetadata: Bool
    private let bytes: [UInt8]
    private let dataStart: Int

    /// The Python library refuses headers above 100 MB; so does this reader.
    public static let maximumHeaderLength = 100_000_000

    public init(contentsOf url: URL) throws {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ModelFileError(file: url.path, reason: "cannot read: \(error.localizedDescription)")
        }
        try self.init(bytes: [UInt8](data), file: url.path)
    }

    public init(bytes: [UInt8], file: String) throws {
        self.file = file
        func fail(_ reason: String) -> ModelFileError { ModelFileError(file: file, reason: reason) }
        guard bytes.count >= 8 else {
            throw fail("truncated: \(bytes.count) bytes, a safetensors file starts with an 8-byte header length")
        }
        var n: UInt64 = 0
        for i in 0..<8 { n |= UInt64(bytes[i]) << (8 * UInt64(i)) }
        guard n <= UInt64(bytes.count - 8) else {
            throw fail("header length \(n) is larger than the file allows (\(bytes.count) bytes in all); truncated or not a safetensors file")
        }
        guard n <= UInt64(Self.maximumHeaderLength) else { throw fail("header length \(n) exceeds 100 MB") }
        let headerLength = Int(n)
        guard headerLength >= 2, bytes[8] == UInt8(ascii: "{") else {
            throw fail("header is not a JSON object (it must start with '{')")
        }
        let json: JSONValue
        do {
            json = try JSONDecoder().decode(JSONValue.self, from: Data(bytes[8..<(8 + headerLength)]))
        } catch {
            throw fail("header is not valid JSON (\(Self.describe(error)))")
        }
        guard case .object(let entries) = json else { throw fail("header is not a JSON object") }

        var meta: [String: String] = [:]
        var sawMeta = false
        var infos: [SafeTensorInfo] = []
        let dataLength = bytes.count - 8 - headerLength
        for (name, value) in entries {
            if name == "__metadata__" {
                sawMeta = true
                guard case .object(let m) = value else { throw fail("__metadata__ is not an object") }
                for (k, v) in m {
                    guard case .string(let s) = v else { throw fail("__metadata__[\"\(k)\"] is not a string") }
                    meta[k] = s
                }
                continue
            }
            guard case .object(let fields) = value else { throw fail("entry \"\(name)\" is not an object") }
            guard case .string(let dt)? = fields["dtype"] else { throw fail("tensor \"\(name)\" has no dtype string") }
            guard let dtype = SafeTensorsDType(rawValue: dt) else { throw fail("tensor \"\(name)\" has unknown dtype \"\(dt)\"") }
            guard case .array(let shapeValues)? = fields["shape"] else { throw fail("tensor \"\(name)\" has no shape array") }
            var shape: [Int] = []
            for v in shapeValues {
                guard case .integer(let d) = v, d >= 0 else { throw fail("tensor \"\(name)\" has a shape entry that is not a non-negative integer") }
                shape.append(d)
            }
            guard case .array(let offs)? = fields["data_offsets"], offs.count == 2,
                  case .integer(let begin) = offs[0], case .integer(let end) = offs[1] else {
                throw fail("tensor \"\(name)\" has no data_offsets [begin, end] of integers")
            }
            guard begin >= 0, end >= begin else { throw fail("tensor \"\(name)\" has data_offsets [\(begin), \(end)] with end before begin") }
            guard end <= dataLength else {
                throw fail("tensor \"\(name)\" data_offsets [\(begin), \(end)] are out of bounds: the data section has \(dataLength) bytes (file truncated?)")
            }
            var elements = 1
            for d in shape {
                let (p, overflow) = elements.multipliedReportingOverflow(by: d)
                guard !overflow else { throw fail("tensor \"\(name)\" shape \(shape) is too large") }
                elements = p
            }
            guard end - begin == elements * dtype.byteSize else {
                throw fail("tensor \"\(name)\" data_offsets [\(begin), \(end)] span \(end - begin) bytes but \(dt) \(shape) needs \(elements * dtype.byteSize)")
            }
            infos.append(SafeTensorInfo(name: name, dtype: dtype, shape: shape, begin: begin, end: end))
        }
        infos.sort { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
        var position = 0
        for info in infos {
            if info.begin < position {
                throw fail("tensor \"\(info.name)\" data_offsets [\(info.begin), \(info.end)] overlap the previous tensor (which ends at \(position))")
            }
            if info.begin > position {
                throw fail("data bytes \(position)..<\(info.begin) belong to no tensor (offsets do not cover the data)")
            }
            position = info.end
        }
        if position != dataLength {
            throw fail("tensors cover \(position) of the \(dataLength) data bytes (offsets do not cover the data)")
        }
        tensors = infos
        metadata = meta
        hasMetadata = sawMeta
        self.bytes = bytes
        dataStart = 8 + headerLength
    }

    /// The entry of a named tensor.
    public func info(_ name: String) -> SafeTensorInfo? { tensors.first { $0.name == name } }

    private func require(_ name: String) throws -> SafeTensorInfo {
        guard let i = info(name) else { throw ModelFileError(file: file, reason: "missing tensor \"\(name)\"") }
        return i
    }

    private func wrongType(_ i: SafeTensorInfo, _ wanted: String) -> ModelFileError {
        ModelFileError(file: file, reason: "tensor \"\(i.name)\" has dtype \(i.dtype.rawValue), expected \(wanted)")
    }

    @inline(__always)
    private func word(_ at: Int, _ size: Int) -> UInt64 {
        var v: UInt64 = 0
        for k in 0..<size { v |= UInt64(bytes[at + k]) << (8 * UInt64(k)) }
        return v
    }

    /// Values of an F32 tensor, exactly. With `converting: true` an F64 tensor is rounded.
    public func floats(_ name: String, converting: Bool = false) throws -> [Float] {
        let i = try require(name)
        let base = dataStart + i.begin
        switch i.dtype {
        case .F32: return (0..<i.elementCount).map { Float(bitPattern: UInt32(word(base + 4 * $0, 4))) }
        case .F64 where converting: return (0..<i.elementCount).map { Float(Double(bitPattern: word(base + 8 * $0, 8))) }
        default: throw wrongType(i, converting ? "F32 or F64" : "F32")
        }
    }

    /// Values of an F32 or F64 tensor as Double (exact).
    public func doubles(_ name: String) throws -> [Double] {
        let i = try require(name)
        let base = dataStart + i.begin
        switch i.dtype {
        case .F32: return (0..<i.elementCount).map { Double(Float(bitPattern: UInt32(word(base + 4 * $0, 4)))) }
        case .F64: return (0..<i.elementCount).map { Double(bitPattern: word(base + 8 * $0, 8)) }
        default: throw wrongType(i, "F32 or F64")
        }
    }

    /// Values of an I32 or I64 tensor as Int64.
    public func int64s(_ name: String) throws -> [Int64] {
        let i = try require(name)
        let base = dataStart + i.begin
        switch i.dtype {
        case .I32: return (0..<i.elementCount).map { Int64(Int32(bitPattern: UInt32(word(base + 4 * $0, 4)))) }
        case .I64: return (0..<i.elementCount).map { Int64(bitPattern: word(base + 8 * $0, 8)) }
        default: throw wrongType(i, "I32 or I64")
        }
    }

    /// Values of an I32 tensor, or an I64 tensor whose values fit in Int32.
    public func int32s(_ name: String) throws -> [Int32] {
        let i = try require(name)
        let wide = try int64s(name)
        var out: [Int32] = []
        out.reserveCapacity(wide.count)
        for v in wide {
            guard let n = Int32(exactly: v) else {
                throw ModelFileError(file: file, reason: "tensor \"\(i.name)\" has value \(v) outside Int32")
            }
            out.append(n)
        }
        return out
    }

    /// The raw little-endian bytes of a tensor.
    public func rawBytes(_ name: String) throws -> ArraySlice<UInt8> {
        let i = try require(name)
        return bytes[(dataStart + i.begin)..<(dataStart + i.end)]
    }

    static func describe(_ error: Error) -> String {
        if let e = error as? DecodingError {
            switch e {
            case .dataCorrupted(let c): return c.underlyingError.map { "\($0.localizedDescription)" } ?? c.debugDescription
            default: return "\(e)"
            }
        }
        return error.localizedDescription
    }
}

/// Builds a safetensors file. Tensors are laid out in the order added; the header lists
/// "__metadata__" first and is padded with spaces to a multiple of 8 bytes.
public struct SafeTensorsWriter: Sendable {
    public var metadata: [String: String]
    private var entries: [(name: String, dtype: SafeTensorsDType, shape: [Int], data: [UInt8])] = []

    public init(metadata: [String: String] = [:]) {
        self.metadata = metadata
    }

    private mutating func add(_ name: String, _ dtype: SafeTensorsDType, _ shape: [Int], count: Int, _ data: [UInt8]) {
        precondition(name != "__metadata__" && !entries.contains { $0.name == name }, "duplicate or reserved tensor name \(name)")
        precondition(shape.allSatisfy { $0 >= 0 } && shape.reduce(1, *) == count, "shape \(shape) does not match \(count) values")
        entries.append((name, dtype, shape, data))
    }

    private static func littleEndian<T: FixedWidthInteger>(_ values: some Collection<T>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(values.count * MemoryLayout<T>.size)
        for v in values {
            var x = v.littleEndian
            withUnsafeBytes(of: &x) { out.append(contentsOf: $0) }
        }
        return out
    }

    public mutating func add(_ name: String, floats: [Float], shape: [Int]) {
        add(name, .F32, shape, count: floats.count, Self.littleEndian(floats.lazy.map { $0.bitPattern }))
    }

    public mutating func add(_ name: String, doubles: [Double], shape: [Int]) {
        add(name, .F64, shape, count: doubles.count, Self.littleEndian(doubles.lazy.map { $0.bitPattern }))
    }

    public mutating func add(_ name: String, int32s: [Int32], shape: [Int]) {
        add(name, .I32, shape, count: int32s.count, Self.littleEndian(int32s))
    }

    public mutating func add(_ name: String, int64s: [Int64], shape: [Int]) {
        add(name, .I64, shape, count: int64s.count, Self.littleEndian(int64s))
    }

    /// The whole file.
    public func serialized() -> [UInt8] {
        var header = "{"
        var parts: [String] = []
        if !metadata.isEmpty {
            let kv = metadata.keys.sorted().map { "\(jsonString($0)):\(jsonString(metadata[$0]!))" }
            parts.append("\"__metadata__\":{\(kv.joined(separator: ","))}")
        }
        var offset = 0
        for e in entries {
            let shape = e.shape.map(String.init).joined(separator: ",")
            parts.append("\(jsonString(e.name)):{\"dtype\":\"\(e.dtype.rawValue)\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(offset + e.data.count)]}")
            offset += e.data.count
        }
        header += parts.joined(separator: ",") + "}"
        var headerBytes = Array(header.utf8)
        while headerBytes.count % 8 != 0 { headerBytes.append(UInt8(ascii: " ")) }
        var out: [UInt8] = []
        out.reserveCapacity(8 + headerBytes.count + offset)
        var n = UInt64(headerBytes.count).littleEndian
        withUnsafeBytes(of: &n) { out.append(contentsOf: $0) }
        out += headerBytes
        for e in entries { out += e.data }
        return out
    }

    /// Writes atomically (AtomicFiles: a temporary file in the same folder, synced, renamed
    /// over `url`), so readers see the old file or the new one, never a partial one.
    public func write(to url: URL) throws {
        do {
            try AtomicFile.write(serialized(), to: url.path)
        } catch {
            throw ModelFileError(file: url.path, reason: error.reason)
        }
    }
}

/// JSON string literal with the escapes JSON requires.
func jsonString(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
        switch u {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where u.value < 0x20:
            let hex = String(u.value, radix: 16)
            out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: out.unicodeScalars.append(u)
        }
    }
    return out + "\""
}

/// Just enough JSON for safetensors headers; integers are kept apart from other numbers.
enum JSONValue: Decodable {
    case object([String: JSONValue])
    case array([JSONValue])
    case string(String)
    case integer(Int)
    case number(Double)
    case bool(Bool)
    case null

    init(from decoder: Decoder) throws {
        if var a = try? decoder.unkeyedContainer() {
            var items: [JSONValue] = []
            while !a.isAtEnd { items.append(try a.decode(JSONValue.self)) }
            self = .array(items)
            return
        }
        if let o = try? decoder.container(keyedBy: AnyKey.self) {
            var d: [String: JSONValue] = [:]
            for k in o.allKeys { d[k.stringValue] = try o.decode(JSONValue.self, forKey: k) }
            self = .object(d)
            return
        }
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int.self) { self = .integer(i) }
        else if let x = try? c.decode(Double.self) { self = .number(x) }
        else { self = .string(try c.decode(String.self)) }
    }

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
