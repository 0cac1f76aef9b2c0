# (s) SIGKILL in the middle of an answer, then a restart: the killed daemon leaves no
# client or queue behind, the next `improv daemon` starts under the same client name, connects
# and answers. The host check counts the notes the killed one left sounding at the recorder and
# says whether the new one cleared them (all-notes-off at startup).
# timeout: 120
. "$HERE/lib.sh"
"$PROBE" record --name rec --out rec.txt &
R=$!
wait_line rec.txt "^# start" 10
"$IMPROV" daemon --preset "$FIXTURES/daemon-peer.toml" --seconds 80 2>daemonA.log &
A=$!
wait_line daemonA.log "output rec connected" 30
wait_line daemonA.log "input Midi Through connected" 10
ID=$(client_id improv)
aplaymidi -p 14:0 "$FIXTURES/blues-call.mid"
wait_line rec.txt "noteOn" 15
sleep 1
"$PROBE" kill --pid $A --signal KILL >kill.txt || fail "could not kill the daemon"
rc=0; wait $A || rc=$?
[ $rc = 137 ] || fail "the daemon exited with $rc, not 137 (SIGKILL)"
mark "killed"
sleep 0.3
aconnect -l | grep -q "'improv'" && fail "a client 'improv' is still there after SIGKILL"
grep -q "owned by client *: *$ID\$" /proc/asound/seq/queues && fail "improv's queue (client $ID) is still there: $(cat /proc/asound/seq/queues)"
ok "no client or queue left behind"
"$IMPROV" daemon --preset "$FIXTURES/daemon-peer.toml" --seconds 60 2>daemonB.log &
B=$!
wait_line daemonB.log "output rec connected" 30
wait_line daemonB.log "input Midi Through connected" 10
mark "restarted"
sleep 0.5
aplaymidi -p 14:0 "$FIXTURES/blues-call.mid"
sleep 9
kill -0 $B || fail "the restarted daemon died"
kill -TERM $B; wait $B || fail "the restarted daemon exited with $?"
sleep 0.3
stop $R
cat daemonB.log
grep -q "stopped; all notes off sent" daemonB.log || fail "the restarted daemon did not stop cleanly"
ok "the restarted daemon connected, played and stopped cleanly"
echo "restart rec.txt kill.txt require-startup-off" >host-check
