# (h) improv daemon answers a call: aplaymidi plays a two-bar call into Midi Through, which the
# preset connects to improv's input; arecordmidi records the call and improv's output. The
# host check wants an answer after a bar of silence, on the swung eighth-note grid of the
# queue (swing 0.6: off-beats 288 ticks into the beat), in key and range, every note ended.
. "$HERE/lib.sh"
"$IMPROV" daemon --preset "$FIXTURES/daemon.toml" --seconds 45 --log-level debug 2>daemon.log &
D=$!
wait_client improv 30
n=0; until grep -q "input Midi Through connected" daemon.log; do n=$((n + 1)); [ $n -gt 100 ] && fail "no connection to Midi Through"; sleep 0.1; done
arecordmidi -b 120 -t 480 -p 14:0,improv:1 out.mid &
M=$!
sleep 0.5
mark "call"
aplaymidi -p 14:0 "$FIXTURES/blues-call.mid"
sleep 8
mark "stop"
stop $M
kill -TERM $D; wait $D || fail "the daemon exited with $?"
cat daemon.log
grep -q "stopped; all notes off sent" daemon.log || fail "no clean stop in the log"
ok "the daemon answered and stopped cleanly on SIGTERM"
echo "answer out.mid 240 20 swing:288" >host-check
