import CALSA

/// What a port allows (SND_SEQ_PORT_CAP_*).
public struct PortCapabilities: OptionSet, Hashable, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public static let read = PortCapabilities(rawValue: UInt32(SND_SEQ_PORT_CAP_READ))
    public static let write = PortCapabilities(rawValue: UInt32(SND_SEQ_PORT_CAP_WRITE))
    public static let subscribeRead = PortCapabilities(rawValue: UInt32(SND_SEQ_PORT_CAP_SUBS_READ))
    public static let subscribeWrite = PortCapabilities(rawValue: UInt32(SND_SEQ_PORT_CAP_SUBS_WRITE))
    public static let noExport = PortCapabilities(rawValue: UInt32(SND_SEQ_PORT_CAP_NO_EXPORT))

    public var isReadable: Bool { contains(.read) }
    public var isWritable: Bool { contains(.write) }
    /// Others may subscribe to it (to read from it or write to it).
    public var isSubscribable: Bool { !isDisjoint(with: [.subscribeRead, .subscribeWrite]) }
}

public struct PortInfo: Hashable, Sendable {
    public var id: Int
    public var name: String
    public var capabilities: PortCapabilities
}

public struct ClientInfo: Hashable, Sendable {
    public var id: Int
    public var name: String
    public var ports: [PortInfo]
}

extension Sequencer {
    /// Every client and its ports, by client number (like `aconnect -l`, all ports).
    public func clients() throws(ALSAError) -> [ClientInfo] {
        var cinfo: OpaquePointer?
        var pinfo: OpaquePointer?
        try check(snd_seq_client_info_malloc(&cinfo), "snd_seq_client_info_malloc")
        defer { snd_seq_client_info_free(cinfo) }
        try check(snd_seq_port_info_malloc(&pinfo), "snd_seq_port_info_malloc")
        defer { snd_seq_port_info_free(pinfo) }

        var result: [ClientInfo] = []
        snd_seq_client_info_set_client(cinfo, -1)
        while snd_seq_query_next_client(handle, cinfo) >= 0 {
            let c = snd_seq_client_info_get_client(cinfo)
            var client = ClientInfo(id: Int(c), name: String(cString: snd_seq_client_info_get_name(cinfo)), ports: [])
            snd_seq_port_info_set_client(pinfo, c)
            snd_seq_port_info_set_port(pinfo, -1)
            while snd_seq_query_next_port(handle, pinfo) >= 0 {
                client.ports.append(PortInfo(
                    id: Int(snd_seq_port_info_get_port(pinfo)),
                    name: String(cString: snd_seq_port_info_get_name(pinfo)),
                    capabilities: PortCapabilities(rawValue: snd_seq_port_info_get_capability(pinfo))))
            }
            result.append(client)
        }
        return result
    }

    /// Resolves an address as aconnect accepts it: "client:port", "client" (port 0), or a
    /// client name (exact, then prefix, then case-insensitive) with an optional ":port".
    /// Falls back to libasound's own snd_seq_parse_address for anything else it accepts.
    public func resolve(_ text: String) throws(ALSAError) -> SequencerAddress {
        let spec: AddressSpec
        do { spec = try AddressSpec.parse(text) } catch {
            throw ALSAError(call: "resolve address", errno: 22, message: error.description)
        }
        switch spec {
        case let .numeric(client, port):
            return SequencerAddress(client: client, port: port)
        case let .name(name, port):
            let all = try clients()
            if let c = AddressSpec.matchClient(named: name, in: all.map { ($0.id, $0.name) }) {
                return SequencerAddress(client: c, port: port)
            }
            var addr = snd_seq_addr_t()
            if snd_seq_parse_address(handle, &addr, text) >= 0 {
                return SequencerAddress(client: Int(addr.client), port: Int(addr.port))
            }
            throw ALSAError(call: "resolve address", errno: 2, message: "no sequencer client matches \"\(name)\"")
        }
    }

    // MARK: Connections

    /// Subscribes `sender` to `dest`. When `dest` is one of our input ports and we have a
    /// queue, the subscription stamps events with the queue's ticks.
    func subscribe(sender: SequencerAddress, dest: SequencerAddress) throws(ALSAError) {
        var sub: OpaquePointer?
        try check(snd_seq_port_subscribe_malloc(&sub), "snd_seq_port_subscribe_malloc")
        defer { snd_seq_port_subscribe_free(sub) }
        var s = snd_seq_addr_t(client: UInt8(truncatingIfNeeded: sender.client), port: UInt8(truncatingIfNeeded: sender.port))
        var d = snd_seq_addr_t(client: UInt8(truncatingIfNeeded: dest.client), port: UInt8(truncatingIfNeeded: dest.port))
        snd_seq_port_subscribe_set_sender(sub, &s)
        snd_seq_port_subscribe_set_dest(sub, &d)
        if dest.client == clientID, inputPorts.contains(Int32(dest.port)), let queue {
            snd_seq_port_subscribe_set_queue(sub, queue)
            snd_seq_port_subscribe_set_time_update(sub, 1)
            snd_seq_port_subscribe_set_time_real(sub, 0)
        }
        try check(snd_seq_subscribe_port(handle, sub), "snd_seq_subscribe_port")
    }

    /// Connects a peer's port (address as aconnect takes it) to one of our input ports.
    @discardableResult
    public func connect(from address: String, toInputPort port: Int) throws(ALSAError) -> SequencerAddress {
        let src = try resolve(address)
        try subscribe(sender: src, dest: SequencerAddress(client: clientID, port: port))
        return src
    }

    /// Connects one of our output ports to a peer's port.
    @discardableResult
    public func connect(outputPort port: Int, to address: String) throws(ALSAError) -> SequencerAddress {
        let dest = try resolve(address)
        try check(snd_seq_connect_to(handle, Int32(port), Int32(dest.client), Int32(dest.port)), "snd_seq_connect_to")
        return dest
    }

    public func disconnect(from address: String, inputPort port: Int) throws(ALSAError) {
        let src = try resolve(address)
        try check(snd_seq_disconnect_from(handle, Int32(port), Int32(src.client), Int32(src.port)), "snd_seq_disconnect_from")
    }

    public func disconnect(outputPort port: Int, from address: String) throws(ALSAError) {
        let dest = try resolve(address)
        try check(snd_seq_disconnect_to(handle, Int32(port), Int32(dest.client), Int32(dest.port)), "snd_seq_disconnect_to")
    }
}
