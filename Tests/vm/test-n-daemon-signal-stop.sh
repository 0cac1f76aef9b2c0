# (n) SIGTERM and SIGINT in the middle of an answer stop improv cleanly: a recorder (alsa-probe record,
# CLOCK_MONOTONIC times) on improv's output; alsa-probe kill notes the time just before kill(2).
# The host check wants all-notes-off on every channel improv used, and the last note-off,
# within 200 ms of the signal, and no note left sounding.
# timeout: 120
. "$HERE/lib.sh"
args="stop 200"
for sig in TERM INT; do
    "$IMPROV" daemon --preset "$FIXTURES/daemon.toml" --seconds 60 2>daemon-$sig.log &
    D=$!
    wait_client improv 30
    wait_line daemon-$sig.log "input Midi Through connected" 10
    "$PROBE" record --name rec --connect-in improv:1 --out rec-$sig.txt &
    R=$!
    wait_line rec-$sig.txt "^# start" 10
    aplaymidi -p 14:0 "$FIXTURES/blues-call.mid"
    wait_line rec-$sig.txt "noteOn" 15
    mark "SIG$sig: the answer has begun"
    sleep 1
    "$PROBE" kill --pid $D --signal $sig >kill-$sig.txt || fail "could not signal the daemon"
    wait $D || fail "the daemon exited with $? on SIG$sig"
    mark "SIG$sig: the daemon exited"
    sleep 0.5
    stop $R
    grep -q "stopped; all notes off sent" daemon-$sig.log || fail "no clean stop in the log on SIG$sig"
    cat daemon-$sig.log
    ok "SIG$sig: the daemon stopped cleanly mid-answer"
    args="$args rec-$sig.txt kill-$sig.txt"
done
echo "$args" >host-check
