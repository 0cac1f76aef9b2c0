/// A sequencer address: client and port numbers (as in "14:0").
public struct SequencerAddress: Hashable, Sendable, CustomStringConvertible {
    public var client: Int
    public var port: Int
    public init(client: Int, port: Int) {
        self.client = client
        self.port = port
    }
    public var description: String { "\(client):\(port)" }

    /// The system client's announce port (0:1): client/port start and exit, (un)subscriptions.
    public static let systemAnnounce = SequencerAddress(client: 0, port: 1)
}

/// An address as a user writes it, the forms aconnect accepts: "client:port" or "client.port",
/// "client" (port 0), or a client name with an optional ":port" (quotes allowed around the name).
/// Parsing needs no sequencer; resolving a name does (`Sequencer.resolve(_:)`).
public enum AddressSpec: Hashable, Sendable {
    case numeric(client: Int, port: Int)
    case name(String, port: Int)

    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case empty
        case badPort(String)
        case badClient(String)
        public var description: String {
            switch self {
            case .empty: return "empty address"
            case let .badPort(s): return "bad port number in address \"\(s)\""
            case let .badClient(s): return "bad client number in address \"\(s)\""
            }
        }
    }

    public static func parse(_ text: String) throws(ParseError) -> AddressSpec {
        let s = text.trimmingWhitespace()
        guard !s.isEmpty else { throw .empty }

        // A quoted name: "Midi Through":0, 'Midi Through'
        if let q = s.first, q == "\"" || q == "'" {
            let rest = s.dropFirst()
            guard let close = rest.firstIndex(of: q) else { return .name(String(rest), port: 0) }
            let name = String(rest[..<close])
            let tail = rest[rest.index(after: close)...]
            if tail.isEmpty { return .name(name, port: 0) }
            guard let sep = tail.first, sep == ":" || sep == "." , let port = Int(tail.dropFirst()), port >= 0, port <= 255
            else { throw .badPort(text) }
            return .name(name, port: port)
        }

        // Split on the LAST ':' or '.' whose tail is a number, so names may contain ':' or '.'
        // ("Midi Through:Midi Through Port-0" is a name; "Midi Through:0" is name + port 0).
        var head = Substring(s)
        var port = 0
        if let sep = s.lastIndex(where: { $0 == ":" || $0 == "." }) {
            let tail = s[s.index(after: sep)...]
            if let p = Int(tail) {
                guard p >= 0, p <= 255 else { throw .badPort(text) }
                port = p
                head = s[..<sep]
            } else if tail.isEmpty || tail.allSatisfy({ $0.isASCII && $0.isNumber }) {
                throw .badPort(text)  // "Foo:" or a port number too large for Int
            }
        }
        let h = head.trimmingWhitespace()
        guard !h.isEmpty else { throw .badClient(text) }
        if h.allSatisfy({ $0.isASCII && $0.isNumber }) {
            guard let c = Int(h), c >= 0, c <= 255 else { throw .badClient(text) }
            return .numeric(client: c, port: port)
        }
        return .name(h, port: port)
    }

    /// Picks the client for a name among `clients`: an exact match first, then a prefix
    /// match, then the same two ignoring case. Ties go to the lowest client number.
    public static func matchClient(named name: String, in clients: [(id: Int, name: String)]) -> Int? {
        let sorted = clients.sorted { $0.id < $1.id }
        let lower = name.lowercased()
        let rules: [(String) -> Bool] = [
            { $0 == name },
            { $0.hasPrefix(name) },
            { $0.lowercased() == lower },
            { $0.lowercased().hasPrefix(lower) },
        ]
        for rule in rules {
            if let hit = sorted.first(where: { rule($0.name) }) { return hit.id }
        }
        return nil
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        var sub = Substring(self)
        while let f = sub.first, f.isWhitespace { sub.removeFirst() }
        while let l = sub.last, l.isWhitespace { sub.removeLast() }
        return String(sub)
    }
}
