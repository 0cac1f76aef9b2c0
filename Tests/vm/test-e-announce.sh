# (e) a peer that comes and goes (aseqdump) is announced to alsa-probe (clientStart/portStart,
# then portExit/clientExit), which keeps running through it; then the peer comes back.
. "$HERE/lib.sh"
"$PROBE" echo --name improv-watch --seconds 30 --out rec.txt --ready ready &
P=$!
wait_for ready
aseqdump >/dev/null 2>&1 &
A=$!
wait_client aseqdump
id=$(client_id aseqdump)
sleep 0.3
kill -TERM $A; wait $A 2>/dev/null || true
sleep 0.3
kill -0 $P || fail "alsa-probe died when the peer left"
aseqdump >/dev/null 2>&1 &
A2=$!
wait_client aseqdump
id2=$(client_id aseqdump)
sleep 0.3
kill -TERM $A2; wait $A2 2>/dev/null || true
sleep 0.3
kill -0 $P || fail "alsa-probe died when the peer left again"
kill -TERM $P; wait $P || fail "alsa-probe echo exited with $?"
cat rec.txt
# The announcements, in this order (other clients, e.g. aconnect's, may come in between).
awk -v want="clientStart $id|portStart $id:0|portExit $id:0|clientExit $id|clientStart $id2|portStart $id2:0|portExit $id2:0|clientExit $id2" '
    BEGIN { n = split(want, w, "|"); i = 1 }
    / 0:1 / && i <= n { line = $0; sub(/^in [0-9]+ [KR] 0:1 /, "", line); if (line == w[i]) i++ }
    END { if (i <= n) { print "missing, in order: " w[i]; exit 1 } }' rec.txt || fail "announcements incomplete"
grep -q '^end ' rec.txt || fail "probe did not reach its end"
ok "announced: aseqdump $id came and left, came back as $id2 and left; the probe kept running"
