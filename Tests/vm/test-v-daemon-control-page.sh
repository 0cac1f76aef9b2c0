# (v) the control page of a daemon on the real kernel sequencer: GET /api/state, a tempo
# POSTed to /api/control retimes the ALSA queue (/proc/asound/seq/queues), a bad key is a 400
# naming it, and a WebSocket client sees the player's call and improv's answer.
# timeout: 120
. "$HERE/lib.sh"
ip link set lo up 2>/dev/null || true
"$IMPROV" daemon --preset "$FIXTURES/daemon.toml" --seconds 80 2>daemon.log &
D=$!
wait_line daemon.log "control page on http://127.0.0.1:8737/" 30
wait_client improv 30
wait_line daemon.log "input Midi Through connected" 10
ok "the daemon logs its page's URL"

curl -sS -f http://127.0.0.1:8737/api/state >state.json || fail "GET /api/state: $(cat state.json)"
grep -q '"tempo":120' state.json || fail "the state does not say 120 BPM: $(cat state.json)"
grep -q '"mode":"call-and-response"' state.json || fail "the state does not say call-and-response: $(cat state.json)"
ok "GET /api/state: $(head -c 120 state.json)..."

python3 "$HERE/ws_events.py" 127.0.0.1 8737 player 60 50 >events.txt 2>events.err &
W=$!
wait_line events.txt "^hello" 40
mark "WebSocket client connected; playing the call"
aplaymidi -p 14:0 "$FIXTURES/blues-call.mid"
wait $W || fail "the WebSocket client did not see the call and the answer: $(cat events.txt events.err)"
ok "a WebSocket client saw the call ($(grep -c ' player ' events.txt) player notes) and the answer ($(grep -c ' melody ' events.txt) melody notes so far)"

ID=$(client_id improv)
# The tempo (us a beat) of the queue owned by improv's client.
queue_tempo() { awk -v id="$ID" '/^queue [0-9]+:/ { q = 0 } /owned by client/ && $NF == id { q = 1 } q && /current tempo/ { print $NF; exit }' /proc/asound/seq/queues; }
cat /proc/asound/seq/queues >queues-before.txt
[ "$(queue_tempo)" = 500000 ] || fail "improv's queue is not at 120 BPM (500000 us a beat): $(cat queues-before.txt)"
code=$(curl -sS -o post.json -w '%{http_code}' -X POST -H 'Content-Type: application/json' -d '{"session.tempo": 90}' http://127.0.0.1:8737/api/control)
[ "$code" = 200 ] || fail "POST session.tempo 90: $code $(cat post.json)"
n=0; until [ "$(queue_tempo)" = 666667 ]; do n=$((n + 1)); [ $n -gt 50 ] && fail "the queue's tempo did not become 90 BPM: $(cat /proc/asound/seq/queues)"; sleep 0.1; done
ok "POST {\"session.tempo\": 90}: the ALSA queue runs at 666667 us a beat within $((n * 100)) ms"
echo "figure: control page tempo POST to ALSA queue retimed: <= $((n * 100 + 100)) ms"

code=$(curl -sS -o bad.json -w '%{http_code}' -X POST -H 'Content-Type: application/json' -d '{"tempo": 60}' http://127.0.0.1:8737/api/control)
[ "$code" = 400 ] || fail "a bad key was not refused: $code $(cat bad.json)"
grep -q '"key":"tempo"' bad.json || fail "the refusal does not name the key: $(cat bad.json)"
sleep 0.3
[ "$(queue_tempo)" = 666667 ] || fail "a refused request changed the tempo"
code=$(curl -sS -o cross.json -w '%{http_code}' -X POST -H 'Content-Type: application/json' -H 'Origin: http://evil.example' -d '{"panic": true}' http://127.0.0.1:8737/api/control)
[ "$code" = 403 ] || fail "a cross-site request was not refused: $code $(cat cross.json)"
ok "a bad key gets 400 naming it, a cross-site Origin 403, and neither changes anything"

kill -TERM $D; wait $D || fail "the daemon exited with $?"
cat daemon.log
grep -q "stopped; all notes off sent" daemon.log || fail "no clean stop in the log"
curl -s -m 2 http://127.0.0.1:8737/api/state >/dev/null && fail "the page still answers after the daemon stopped"
ok "the daemon stopped cleanly and its page with it"
