# (q) An external clock that jumps, stops and restarts: alsa-probe clock --plan sends
# 90 BPM, then jumps to 150 (a call is answered at 150), stops for 3 s (in the middle of that
# answer), starts again at 100 BPM (a call is answered at 100). improv follows each tempo, falls
# silent with all-notes-off while the clock is stopped, and answers on the grid of the tempo in
# force (host check on a recorder with CLOCK_MONOTONIC times and its own 120 BPM queue).
# timeout: 120
. "$HERE/lib.sh"
"$IMPROV" daemon --preset "$FIXTURES/daemon-clock.toml" --seconds 100 2>daemon.log &
D=$!
wait_client improv 30
wait_line daemon.log "input Midi Through connected" 10
"$PROBE" record --name rec --connect-in improv:1 --connect-in 14:0 --out rec.txt &
R=$!
wait_line rec.txt "^# start" 10
"$PROBE" clock --to 14:0 --plan "90:4,150:11,stop:3,start,100:16" >clock.txt 2>&1 &
C=$!
wait_line clock.txt "tempo 150" 20
sleep 1
mark "call at 150 BPM"
aplaymidi -p 14:0 "$FIXTURES/blues-call.mid"
# The restart after the stop: the second "start" line (the first is the clock's very start).
n=0; until [ "$(count_lines clock.txt " start$")" -ge 2 ]; do n=$((n + 1)); [ $n -gt 300 ] && fail "the clock did not restart"; sleep 0.1; done
sleep 1
mark "call at 100 BPM"
aplaymidi -p 14:0 "$FIXTURES/blues-call.mid"
wait $C || fail "the clock failed: $(cat clock.txt)"
cat clock.txt
sleep 0.5
kill -0 $D || fail "the daemon died"
kill -TERM $D; wait $D || fail "the daemon exited with $?"
stop $R
echo "figure: clock: improv set its queue's tempo $(count_lines daemon.log "tempo [0-9.]* BPM") times in $(awk '/done clocks/ { print $2 - a } /^at/ && !a { a = $2 }' clock.txt | cut -d. -f1) s of clock"
# The tempi improv took, in order: it must reach 150 and then 100, and end at 100.
tempi=$(sed -n 's/.*tempo \([0-9.]*\) BPM.*/\1/p' daemon.log | tr '\n' ' ')
echo "$tempi" | awk '{ for (i = 1; i <= NF; i++) { if (!a && $i >= 147 && $i <= 153) a = i; if (a && i > a && $i >= 97 && $i <= 103) b = i }
    exit !(a && b && $NF >= 97 && $NF <= 103) }' || fail "improv did not follow 150 then 100 BPM: $tempi"
grep -q "external clock: stop" daemon.log && grep -q "external clock: start" daemon.log || fail "the stop and start were not logged"
ok "improv followed the clock to 150 and 100 BPM through a stop and a start"
echo "clock rec.txt clock.txt" >host-check
