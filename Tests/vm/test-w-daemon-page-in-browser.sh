# (w) the control page in a real browser against the daemon on the real kernel sequencer.
# The daemon listens on the guest's network address with a token; headless Chromium runs on
# the host (Tests/vm/host_browser.py, through qemu's port forward: Chromium in the TCG guest
# took 160 s a page). With the page open, the call goes into the real sequencer; the page
# must draw it and the answer in its roll, then PANIC and a tempo of 96 typed into the page
# must reach the daemon: all notes off at the peer, the ALSA queue at 625000 us a beat.
# timeout: 240
. "$HERE/lib.sh"
[ -n "${WEB_PORT:-}" ] || fail "no port forwarded from the host (scripts/vm-test.sh sets WEB_PORT when it runs this test)"
modprobe virtio_net 2>/dev/null || true
ip link set lo up
# The one network card qemu gives this VM (its name depends on the slot: enp0s10 here).
nic() { ls /sys/class/net | grep -v '^lo$' | head -n1; }
n=0; until [ -n "$(nic)" ]; do n=$((n + 1)); [ $n -gt 50 ] && fail "no network card in the guest: $(ip link)"; sleep 0.1; done
NIC=$(nic)
ip link set "$NIC" up
ip addr add 10.0.2.15/24 dev "$NIC"
mark "network: $NIC at 10.0.2.15"
TOKEN=vm-test-w-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
{ cat "$FIXTURES/daemon.toml"; printf '[web]\nlisten = "0.0.0.0:8737"\ntoken = "%s"\n' "$TOKEN"; } >page.toml
"$IMPROV" daemon --preset page.toml --seconds 220 2>daemon.log &
D=$!
wait_line daemon.log "control page on http://0.0.0.0:8737/ \(bearer token" 30
wait_client improv 30
wait_line daemon.log "input Midi Through connected" 10
aseqdump -p improv:1 >peer.txt 2>&1 &
P=$!
ok "the daemon serves its page on 0.0.0.0:8737 with a token"

code=$(curl -sS -o noauth.json -w '%{http_code}' http://10.0.2.15:8737/api/state)
[ "$code" = 401 ] || fail "off loopback, GET /api/state without the token was not refused: $code $(cat noauth.json)"
ok "without the token the API answers 401"
# aseqdump connected itself to improv's output: the page lists it, though improv did not make it.
A=$(client_id aseqdump)
n=0; until curl -sS -H "Authorization: Bearer $TOKEN" http://10.0.2.15:8737/api/state >state.json \
    && sed -n 's/.*"outputs":\[\([^]]*\)\].*/\1/p' state.json | grep -q "\"$A:0\""; do
    n=$((n + 1)); [ $n -gt 30 ] && fail "the state does not list aseqdump ($A:0) among improv's outputs: $(cat state.json)"; sleep 0.2
done
ok "with the token: the state lists aseqdump ($A:0), which connected itself, among improv's outputs"

printf '%s 60 any bar\n' "$TOKEN" >browser-wanted.tmp && mv browser-wanted.tmp browser-wanted
mark "asked the host for a browser"
wait_for browser-open 120
mark "the page is open in Chromium on the host; playing the call"
aplaymidi -p 14:0 "$FIXTURES/blues-call.mid"
wait_for browser-done 200
cat browser.log
[ "$(cat browser-done)" = 0 ] || fail "the browser did not see the call and the answer, or its controls failed (browser.log above)"
ok "Chromium drew the call and improv's answer, and its PANIC and tempo were answered"

grep -q "panic (control)" daemon.log || fail "the daemon did not log the page's panic"
grep -q "swing: following the player's" daemon.log || fail "the page's swing auto box did not reach the daemon"
ID=$(client_id improv)
queue_tempo() { awk -v id="$ID" '/^queue [0-9]+:/ { q = 0 } /owned by client/ && $NF == id { q = 1 } q && /current tempo/ { print $NF; exit }' /proc/asound/seq/queues; }
n=0; until [ "$(queue_tempo)" = 625000 ]; do n=$((n + 1)); [ $n -gt 50 ] && fail "the tempo typed into the page did not retime the queue: $(cat /proc/asound/seq/queues)"; sleep 0.1; done
ok "the tempo typed into the page retimed the ALSA queue to 625000 us a beat (96 BPM)"

kill -TERM $D; wait $D || fail "the daemon exited with $?"
grep -q "stopped; all notes off sent" daemon.log || fail "no clean stop in the log: $(tail -5 daemon.log)"
stop $P
grep -q -i "controller 123" peer.txt || fail "the peer saw no all-notes-off: $(tail -5 peer.txt)"
ok "the daemon stopped cleanly; the peer saw all notes off"
