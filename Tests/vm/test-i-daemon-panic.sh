# (i) the panic controller (82, the default preset's) in the middle of an answer silences it:
# all-notes-off on improv's channels, nothing sounds after it, every note ends.
. "$HERE/lib.sh"
"$IMPROV" daemon --preset "$FIXTURES/daemon.toml" --seconds 45 2>daemon.log &
D=$!
wait_client improv 30
n=0; until grep -q "input Midi Through connected" daemon.log; do n=$((n + 1)); [ $n -gt 100 ] && fail "no connection to Midi Through"; sleep 0.1; done
arecordmidi -b 120 -t 480 -p 14:0,improv:1 out.mid &
M=$!
sleep 0.5
aplaymidi -p 14:0 "$FIXTURES/blues-call.mid"
# The call lasts 4 s; a bar of silence (2 s) later the answer starts; panic 1 s into it.
sleep 3
mark "panic"
aplaymidi -p 14:0 "$FIXTURES/panic.mid"
sleep 4
stop $M
kill -TERM $D; wait $D || fail "the daemon exited with $?"
cat daemon.log
grep -q "panic (controller 82)" daemon.log || fail "the daemon did not log the panic"
echo "answer out.mid 240 20 panic swing:288" >host-check
