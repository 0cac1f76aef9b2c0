/// `web.listen`: where the control page listens, as "HOST:PORT". HOST is an IPv4 address
/// (`127.0.0.1`, `0.0.0.0`), an IPv6 one in brackets (`[::1]`, `[::]`) or `localhost`; PORT is
/// 0 to 65535 (0: any free port, for tests). Parsed here, without C, so a preset names a bad
/// address before anything binds.
public struct WebAddress: Hashable, Sendable, CustomStringConvertible {
    /// The host as the socket takes it: "127.0.0.1", "::1", "localhost".
    public var host: String
    public var port: Int

    public init?(_ text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
              (0...65535).contains(port), text[text.index(after: colon)...].allSatisfy(\.isASCII) else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") {
            host = String(host.dropFirst().dropLast())
            guard Self.isIPv6(host) else { return nil }
        } else if host != "localhost" {
            guard Self.isIPv4(host) else { return nil }
        }
        self.host = host
        self.port = port
    }

    /// Only this machine can reach it: 127.0.0.0/8, ::1 or localhost.
    public var isLoopback: Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.") || host == "0:0:0:0:0:0:0:1"
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    static func isIPv4(_ s: String) -> Bool {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { p in
            !p.isEmpty && p.count <= 3 && p.allSatisfy { $0.isASCII && $0.isNumber } && Int(p)! <= 255
        }
    }

    static func isIPv6(_ s: String) -> Bool {
        guard !s.isEmpty, s.count <= 45, s.contains(":") else { return false }
        return s.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." } && s.components(separatedBy: "::").count <= 2
    }

    /// Why `token` cannot be a bearer token, or nil: 16 to 256 visible ASCII characters.
    public static func tokenProblem(_ token: String) -> String? {
        guard (16...256).contains(token.utf8.count), token.utf8.allSatisfy({ (0x21...0x7e).contains($0) }) else {
            return "a token of 16 to 256 visible ASCII characters (no spaces), or \"\" for none; found one of \(token.utf8.count) bytes"
        }
        return nil
    }
}
