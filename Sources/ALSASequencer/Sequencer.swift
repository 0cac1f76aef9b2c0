#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CALSA

/// One ALSA sequencer client (snd_seq_t), opened for input and output. Not thread-safe:
/// use it from one thread (or guard it) — libasound's handle has no locking of its own.
public final class Sequencer {
    /// snd_seq_t *
    let handle: OpaquePointer
    /// This client's number (as in "128:0").
    public let clientID: Int
    /// The queue made by `createQueue`, if any.
    public private(set) var queue: Int32?
    public private(set) var ppq: Int32 = 0
    public private(set) var tempoBPM: Double = 0
    /// Ports made by `createInputPort`: they get events stamped with the queue's ticks.
    private(set) var inputPorts: [Int32] = []
    /// Our private port subscribed to 0:1, made by `subscribeToAnnouncements`.
    public private(set) var announcePort: Int32?
    /// Input overruns seen (the kernel's input FIFO overflowed and events were lost).
    public internal(set) var inputOverruns = 0
    /// A pipe in `read`'s poll set: `wake()` writes to it from any thread.
    let wakeFDs: (read: Int32, write: Int32)

    /// Opens the "default" sequencer for input and output and names this client.
    /// Where /dev/snd/seq is missing this throws an ALSAError for snd_seq_open (ENOENT).
    public init(clientName: String, nonBlocking: Bool = false) throws(ALSAError) {
        var h: OpaquePointer?
        try check(snd_seq_open(&h, "default", SND_SEQ_OPEN_DUPLEX, nonBlocking ? SND_SEQ_NONBLOCK : 0), "snd_seq_open")
        guard let h else { throw ALSAError(call: "snd_seq_open", errno: 12, message: "no handle returned") }
        handle = h
        var fds: [Int32] = [-1, -1]
        do throws(ALSAError) {
            try check(snd_seq_set_client_name(h, clientName), "snd_seq_set_client_name")
            clientID = Int(try check(snd_seq_client_id(h), "snd_seq_client_id"))
            // pipe is POSIX (-1 and errno), not libasound (-errno).
            if pipe(&fds) != 0 {
                let e = errno
                throw ALSAError(call: "pipe", errno: e, message: String(cString: strerror(e)))
            }
            for fd in fds {
                _ = fcntl(fd, F_SETFL, O_NONBLOCK)
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            }
        } catch {
            snd_seq_close(h)
            throw error
        }
        wakeFDs = (fds[0], fds[1])
    }

    deinit {
        snd_seq_close(handle)
        close(wakeFDs.read)
        close(wakeFDs.write)
    }

    /// Wakes this sequencer's `read` from another thread (valid while the sequencer lives).
    public var waker: Waker { Waker(fd: wakeFDs.write) }

    /// Makes a `read` that is waiting return at once (and the next one, if none is waiting),
    /// from any thread: a stop need not wait out the poll's timeout.
    public struct Waker: Sendable {
        let fd: Int32
        public func wake() {
            var byte: UInt8 = 1
            _ = write(fd, &byte, 1)
        }
    }

    /// How many events the kernel holds for this client before its input FIFO overflows (the
    /// kernel's default is 200, its largest 2000). When it overflows, the kernel throws away
    /// everything waiting, so a client that must not lose a burst of input asks for more.
    public func setInputPool(size: Int) throws(ALSAError) {
        try check(snd_seq_set_client_pool_input(handle, size), "snd_seq_set_client_pool_input")
    }

    // MARK: Ports

    /// A port others write to: writable + subscribable, application / MIDI generic. Its events
    /// are stamped with the queue's ticks (now if the queue exists, else when it is created).
    public func createInputPort(name: String) throws(ALSAError) -> Int {
        let port = try createPort(name: name, caps: UInt32(SND_SEQ_PORT_CAP_WRITE | SND_SEQ_PORT_CAP_SUBS_WRITE))
        inputPorts.append(Int32(port))
        if queue != nil { try applyTimestamping(port: Int32(port)) }
        return port
    }

    /// A port others read from: readable + subscribable, application / MIDI generic.
    public func createOutputPort(name: String) throws(ALSAError) -> Int {
        try createPort(name: name, caps: UInt32(SND_SEQ_PORT_CAP_READ | SND_SEQ_PORT_CAP_SUBS_READ))
    }

    private func createPort(name: String, caps: UInt32) throws(ALSAError) -> Int {
        let info = try PortInfoBox.allocate()
        defer { snd_seq_port_info_free(info) }
        snd_seq_port_info_set_name(info, name)
        snd_seq_port_info_set_capability(info, caps)
        snd_seq_port_info_set_type(info, UInt32(SND_SEQ_PORT_TYPE_MIDI_GENERIC | SND_SEQ_PORT_TYPE_APPLICATION))
        try check(snd_seq_create_port(handle, info), "snd_seq_create_port")
        return Int(snd_seq_port_info_get_port(info))
    }

    private func applyTimestamping(port: Int32) throws(ALSAError) {
        guard let queue else { return }
        let info = try PortInfoBox.allocate()
        defer { snd_seq_port_info_free(info) }
        try check(snd_seq_get_port_info(handle, port, info), "snd_seq_get_port_info")
        snd_seq_port_info_set_timestamping(info, 1)
        snd_seq_port_info_set_timestamp_queue(info, queue)
        snd_seq_port_info_set_timestamp_real(info, 0)
        try check(snd_seq_set_port_info(handle, port, info), "snd_seq_set_port_info")
    }

    /// Makes a private port (not subscribable by others) and subscribes it to the system
    /// announce port 0:1, so `read` reports clients and ports starting and exiting.
    @discardableResult
    public func subscribeToAnnouncements() throws(ALSAError) -> Int {
        if let announcePort { return Int(announcePort) }
        let info = try PortInfoBox.allocate()
        defer { snd_seq_port_info_free(info) }
        snd_seq_port_info_set_name(info, "announce")
        snd_seq_port_info_set_capability(info, UInt32(SND_SEQ_PORT_CAP_WRITE | SND_SEQ_PORT_CAP_NO_EXPORT))
        snd_seq_port_info_set_type(info, UInt32(SND_SEQ_PORT_TYPE_APPLICATION))
        try check(snd_seq_create_port(handle, info), "snd_seq_create_port")
        let port = snd_seq_port_info_get_port(info)
        announcePort = port
        inputPorts.append(port)
        if queue != nil { try applyTimestamping(port: port) }
        try subscribe(sender: .systemAnnounce, dest: SequencerAddress(client: clientID, port: Int(port)))
        return Int(port)
    }

    // MARK: Queue

    /// Allocates this client's queue and sets its PPQ and tempo (the queue is left stopped).
    public func createQueue(ppq: Int32 = 480, tempoBPM: Double = 120, name: String = "improv") throws(ALSAError) {
        let q = try check(snd_seq_alloc_named_queue(handle, name), "snd_seq_alloc_named_queue")
        queue = q
        try setTempo(bpm: tempoBPM, ppq: ppq)
        for port in inputPorts { try applyTimestamping(port: port) }
    }

    /// Changes the tempo (allowed while the queue runs; the PPQ only while stopped).
    public func setTempo(bpm: Double, ppq newPPQ: Int32? = nil) throws(ALSAError) {
        let q = try requireQueue("snd_seq_set_queue_tempo")
        guard bpm > 0 else { throw ALSAError(call: "snd_seq_set_queue_tempo", errno: 22, message: "tempo must be positive, got \(bpm)") }
        var tempo: OpaquePointer?
        try check(snd_seq_queue_tempo_malloc(&tempo), "snd_seq_queue_tempo_malloc")
        defer { snd_seq_queue_tempo_free(tempo) }
        try check(snd_seq_get_queue_tempo(handle, q, tempo), "snd_seq_get_queue_tempo")
        let p = newPPQ ?? ppq
        snd_seq_queue_tempo_set_ppq(tempo, p)
        snd_seq_queue_tempo_set_tempo(tempo, UInt32((60_000_000.0 / bpm).rounded()))
        try check(snd_seq_set_queue_tempo(handle, q, tempo), "snd_seq_set_queue_tempo")
        ppq = p
        tempoBPM = bpm
    }

    public func start() throws(ALSAError) { try controlQueue(SND_SEQ_EVENT_START) }
    public func stop() throws(ALSAError) { try controlQueue(SND_SEQ_EVENT_STOP) }
    public func `continue`() throws(ALSAError) { try controlQueue(SND_SEQ_EVENT_CONTINUE) }

    private func controlQueue(_ type: snd_seq_event_type) throws(ALSAError) {
        let q = try requireQueue("snd_seq_control_queue")
        try check(snd_seq_control_queue(handle, q, Int32(type.rawValue), 0, nil), "snd_seq_control_queue")
        try drain()
    }

    /// The queue's current position in ticks (snd_seq_get_queue_status).
    public func currentTick() throws(ALSAError) -> UInt32 {
        try queueStatus().tick
    }

    /// The queue's position and whether it runs.
    public func queueStatus() throws(ALSAError) -> (tick: UInt32, running: Bool) {
        let q = try requireQueue("snd_seq_get_queue_status")
        var status: OpaquePointer?
        try check(snd_seq_queue_status_malloc(&status), "snd_seq_queue_status_malloc")
        defer { snd_seq_queue_status_free(status) }
        try check(snd_seq_get_queue_status(handle, q, status), "snd_seq_get_queue_status")
        return (snd_seq_queue_status_get_tick_time(status), snd_seq_queue_status_get_status(status) != 0)
    }

    func requireQueue(_ call: StaticString) throws(ALSAError) -> Int32 {
        guard let queue else { throw ALSAError(call: "\(call)", errno: 22, message: "no queue: call createQueue first") }
        return queue
    }
}

/// snd_seq_port_info_t helpers (alloca macros are not callable from Swift).
enum PortInfoBox {
    static func allocate() throws(ALSAError) -> OpaquePointer {
        var p: OpaquePointer?
        try check(snd_seq_port_info_malloc(&p), "snd_seq_port_info_malloc")
        return p!
    }
}
