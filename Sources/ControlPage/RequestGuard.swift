import NIOHTTP1
import Presets

/// Who may use the page's API: the checks every request passes before anything is read or
/// changed. Loopback without a token: the Host must be this server (so a rebound DNS name
/// cannot reach it) and the Origin, when there is one, this page's own. With a token (needed
/// off loopback): also `Authorization: Bearer TOKEN` (or `?token=` on the WebSocket, which a
/// browser cannot give headers), compared in constant time.
struct RequestGuard: Sendable {
    var address: WebAddress
    /// The port actually bound (web.listen may say 0).
    var port: Int
    var token: String?

    struct Refusal: Error, Equatable {
        var status: HTTPResponseStatus
        var reason: String
    }

    /// Host names this server answers to without a token.
    var ownHosts: [String] {
        var hosts = [WebAddress(host: address.host, port: port).description]
        if address.isLoopback || address.host == "0.0.0.0" || address.host == "::" {
            hosts += ["127.0.0.1:\(port)", "localhost:\(port)", "[::1]:\(port)"]
        }
        return hosts
    }

    func check(_ head: HTTPRequestHead, api: Bool) -> Refusal? {
        let hosts = head.headers["host"]
        guard hosts.count == 1, let host = hosts.first?.lowercased() else {
            return Refusal(status: .badRequest, reason: "expected one Host header")
        }
        if token == nil, !ownHosts.contains(host) {
            return Refusal(status: .forbidden, reason: "Host \(host) is not this server (\(ownHosts.joined(separator: ", ")))")
        }
        let origins = head.headers["origin"]
        if origins.count > 1 { return Refusal(status: .forbidden, reason: "more than one Origin header") }
        if let origin = origins.first, origin.lowercased() != "http://\(host)" {
            return Refusal(status: .forbidden, reason: "Origin \(origin) is not this page's (http://\(host))")
        }
        guard api, let token else { return nil }
        var given: String?
        if let auth = head.headers["authorization"].first, auth.lowercased().hasPrefix("bearer ") {
            given = String(auth.dropFirst(7)).trimmingBlanks
        } else if let q = head.uri.split(separator: "?", maxSplits: 1).dropFirst().first {
            given = q.split(separator: "&").first { $0.hasPrefix("token=") }.map { String($0.dropFirst(6)) }
        }
        guard let given, Self.constantTimeEqual(given, token) else {
            return Refusal(status: .unauthorized, reason: "expected Authorization: Bearer with web.token")
        }
        return nil
    }

    /// Compares without an early exit, so the time taken does not tell how much matched.
    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        var diff = UInt(bitPattern: x.count ^ y.count)
        for i in 0..<y.count {
            diff |= UInt(y[i] ^ (x.isEmpty ? 0 : x[i % x.count]))
        }
        return diff == 0
    }
}

extension WebAddress {
    init(host: String, port: Int) {
        self = WebAddress(host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)")!
    }
}

extension String {
    var trimmingBlanks: String {
        var s = Substring(self)
        while s.first == " " || s.first == "\t" { s = s.dropFirst() }
        while s.last == " " || s.last == "\t" { s = s.dropLast() }
        return String(s)
    }
}
