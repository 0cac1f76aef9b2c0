import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A plain TCP client for the tests: sends exactly the bytes given (so a test can send what
/// no HTTP library would) and reads the answer.
public struct RawHTTP {
    public let port: Int
    public init(port: Int) { self.port = port }

    public struct Response {
        public var status: Int
        public var headers: [String: String]
        public var body: Data
        public var text: String { String(decoding: body, as: UTF8.self) }
        public var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
    }

    public enum Failure: Error { case connect(Int32), noResponse(String) }

    /// `receiveBuffer`: a small SO_RCVBUF makes a client whose socket fills up fast (a slow reader).
    public func connectSocket(receiveBuffer: Int32? = nil) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        if var size = receiveBuffer { setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size)) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let r = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard r == 0 else { close(fd); throw Failure.connect(errno) }
        var tv = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        return fd
    }

    public static func send(_ fd: Int32, _ bytes: [UInt8]) {
        var off = 0
        while off < bytes.count {
            let n = bytes[off...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            off += n
        }
    }

    /// Sends raw bytes and reads until the server closes (or 10 s pass).
    public func raw(_ bytes: [UInt8]) throws -> Data {
        let fd = try connectSocket()
        defer { close(fd) }
        Self.send(fd, bytes)
        shutdown(fd, Int32(SHUT_WR))
        var out = Data()
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = recv(fd, &buf, buf.count, 0)
            if n <= 0 { break }
            out.append(contentsOf: buf[0..<n])
        }
        return out
    }

    public func request(_ method: String, _ path: String, body: [UInt8]? = nil, headers: [String: String] = [:]) throws -> Response {
        var h = ["Host": "127.0.0.1:\(port)", "Connection": "close"]
        if let body { h["Content-Length"] = String(body.count); h["Content-Type"] = "application/json" }
        for (k, v) in headers { h[k] = v }
        var text = "\(method) \(path) HTTP/1.1\r\n"
        for (k, v) in h.sorted(by: { $0.key < $1.key }) where !v.isEmpty { text += "\(k): \(v)\r\n" }
        text += "\r\n"
        let data = try raw(Array(text.utf8) + (body ?? []))
        return try Self.parse(data)
    }

    public func post(_ json: String, headers: [String: String] = [:]) throws -> Response {
        try request("POST", "/api/control", body: Array(json.utf8), headers: headers)
    }

    public static func parse(_ data: Data) throws -> Response {
        let bytes = [UInt8](data)
        guard let end = bytes.firstRange(of: Array("\r\n\r\n".utf8)) else { throw Failure.noResponse(String(decoding: bytes, as: UTF8.self)) }
        let head = String(decoding: bytes[..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let status = Int(head[0].split(separator: " ")[1]) ?? 0
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            if let c = line.firstIndex(of: ":") { headers[line[..<c].lowercased()] = line[line.index(after: c)...].trimmingCharacters(in: .whitespaces) }
        }
        return Response(status: status, headers: headers, body: Data(bytes[end.upperBound...]))
    }
}

/// A minimal WebSocket client (RFC 6455): the upgrade, then unmasked text frames from the server.
public final class RawWebSocket {
    public let fd: Int32
    private var buffer: [UInt8] = []
    public private(set) var status = 0

    public init(port: Int, path: String = "/api/events", headers: [String: String] = [:], receiveBuffer: Int32? = nil) throws {
        fd = try RawHTTP(port: port).connectSocket(receiveBuffer: receiveBuffer)
        var text = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        for (k, v) in headers { text += "\(k): \(v)\r\n" }
        RawHTTP.send(fd, Array((text + "\r\n").utf8))
        while buffer.firstRange(of: Array("\r\n\r\n".utf8)) == nil {
            guard fill() else { break }
        }
        guard let end = buffer.firstRange(of: Array("\r\n\r\n".utf8)) else { return }
        let head = String(decoding: buffer[..<end.lowerBound], as: UTF8.self)
        status = Int(head.split(separator: " ")[1]) ?? 0
        buffer.removeSubrange(..<end.upperBound)
    }

    deinit { close(fd) }

    private func fill() -> Bool {
        var buf = [UInt8](repeating: 0, count: 65536)
        let n = recv(fd, &buf, buf.count, 0)
        if n <= 0 { return false }
        buffer += buf[0..<n]
        return true
    }

    /// The next text message, or nil when the connection ends or stays quiet for 10 s.
    public func next() -> String? {
        while true {
            if buffer.count >= 2 {
                let opcode = buffer[0] & 0x0F
                var len = Int(buffer[1] & 0x7F), head = 2
                if len == 126, buffer.count >= 4 { len = Int(buffer[2]) << 8 | Int(buffer[3]); head = 4 }
                else if len == 127, buffer.count >= 10 { len = buffer[2..<10].reduce(0) { $0 << 8 | Int($1) }; head = 10 }
                if len < 126 || head > 2, buffer.count >= head + len {
                    let payload = Array(buffer[head..<(head + len)])
                    buffer.removeSubrange(..<(head + len))
                    if opcode == 1 { return String(decoding: payload, as: UTF8.self) }
                    if opcode == 8 { return nil }
                    continue
                }
            }
            guard fill() else { return nil }
        }
    }

    /// The next message whose "type" is `type` (others are skipped), as a JSON object.
    public func next(type: String) -> [String: Any]? {
        while let text = next() {
            if let j = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any], j["type"] as? String == type { return j }
        }
        return nil
    }
}
