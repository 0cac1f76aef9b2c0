# (t) improv daemon listens: on the default preset (key "auto"), a call in F is answered in F and
# a call in C minor, six bars later, in C minor (minor chords, no E natural), each at the call's
# velocities. aplaymidi plays both calls into Midi Through; arecordmidi records calls and answers.
# timeout: 120
. "$HERE/lib.sh"
"$IMPROV" daemon --preset "$FIXTURES/daemon-default.toml" --seconds 60 --log-level debug 2>daemon.log &
D=$!
wait_client improv 30
n=0; until grep -q "input Midi Through connected" daemon.log; do n=$((n + 1)); [ $n -gt 100 ] && fail "no connection to Midi Through"; sleep 0.1; done
arecordmidi -b 120 -t 480 -p 14:0,improv:1 out.mid &
M=$!
sleep 0.5
mark "calls"
aplaymidi -p 14:0 "$FIXTURES/two-keys.mid"
sleep 8
mark "stop"
stop $M
kill -TERM $D; wait $D || fail "the daemon exited with $?"
cat daemon.log
grep -q "stopped; all notes off sent" daemon.log || fail "no clean stop in the log"
ok "the daemon answered both calls and stopped cleanly"
echo "listens out.mid" >host-check
