# (j) an external MIDI clock at 90 BPM sets the answer's tempo (the preset says 120): on a
# recorder at 120 BPM, the answer's eighths are 320 ticks apart instead of 240.
. "$HERE/lib.sh"
"$IMPROV" daemon --preset "$FIXTURES/daemon-clock.toml" --seconds 45 --log-level debug 2>daemon.log &
D=$!
wait_client improv 30
n=0; until grep -q "input Midi Through connected" daemon.log; do n=$((n + 1)); [ $n -gt 100 ] && fail "no connection to Midi Through"; sleep 0.1; done
"$PROBE" clock --to 14:0 --bpm 90 --seconds 25 >clock.txt 2>&1 &
C=$!
# The follower needs a few beats of clock (and the guest is emulated): wait for it, up to 10 s.
wait_line daemon.log "tempo (89|9[0-9])" 10
mark "the daemon took the clock's tempo"
arecordmidi -b 120 -t 480 -p 14:0,improv:1 out.mid &
M=$!
sleep 0.5
aplaymidi -p 14:0 "$FIXTURES/blues-call.mid"
sleep 10
stop $M
kill -TERM $C 2>/dev/null || true
kill -TERM $D; wait $D || fail "the daemon exited with $?"
grep "tempo" daemon.log | head -5
echo "answer out.mid 320 30" >host-check
