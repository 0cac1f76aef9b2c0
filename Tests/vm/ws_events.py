#!/usr/bin/env python3
"""A WebSocket client of improv's control page for the VM tests, on the standard library only
(python in the guest is slow to import big modules): connects to GET /api/events, prints
"hello" once upgraded, then one line per note-on ("note_on PART PITCH BEAT"), and exits 0 once it
has seen a note-on of part WANT_PART at WANT_PITCH and one of part melody (improv's answer),
1 after SECONDS without.

Usage: ws_events.py HOST PORT WANT_PART WANT_PITCH SECONDS
"""
import base64, json, os, socket, sys, time

host, port, want_part, want_pitch, seconds = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), float(sys.argv[5])
deadline = time.time() + seconds
s = socket.create_connection((host, port), timeout=seconds)
key = base64.b64encode(os.urandom(16)).decode()
s.sendall((f"GET /api/events HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
buf = b""
while b"\r\n\r\n" not in buf:
    chunk = s.recv(65536)
    if not chunk:
        sys.exit("ws_events: the server closed before the upgrade")
    buf += chunk
head, buf = buf.split(b"\r\n\r\n", 1)
if not head.startswith(b"HTTP/1.1 101"):
    sys.exit("ws_events: no upgrade: " + head.decode(errors="replace").splitlines()[0])
print("hello", flush=True)


def frames():
    global buf
    while True:
        while len(buf) >= 2:
            n, at = buf[1] & 0x7F, 2
            if n == 126:
                if len(buf) < 4:
                    break
                n, at = int.from_bytes(buf[2:4], "big"), 4
            elif n == 127:
                if len(buf) < 10:
                    break
                n, at = int.from_bytes(buf[2:10], "big"), 10
            if len(buf) < at + n:
                break
            opcode, payload, buf = buf[0] & 0x0F, buf[at:at + n], buf[at + n:]
            if opcode == 8:
                return
            if opcode == 1:
                yield payload.decode()
        left = deadline - time.time()
        if left <= 0:
            return
        s.settimeout(left)
        try:
            chunk = s.recv(65536)
        except socket.timeout:
            return
        if not chunk:
            return
        buf += chunk


seen_call = seen_answer = False
for text in frames():
    e = json.loads(text)
    if e.get("type") != "note_on":
        continue
    print(f"note_on {e['part']} {e['pitch']} {e['beat']}", flush=True)
    seen_call |= e["part"] == want_part and e["pitch"] == want_pitch
    seen_answer |= e["part"] == "melody"
    if seen_call and seen_answer:
        sys.exit(0)
sys.exit(1)
