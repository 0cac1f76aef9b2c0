# (u) improv follows a player who drifts, against the real kernel sequencer: two daemons hear the
# same performance (fixtures/drift-call.mid: 120 BPM, up to 138, down to 102, onsets jittered
# +-20 ms, a missed beat and a stray note), one with clock.follow = "player", one at the preset's
# fixed 120 BPM. A recorder with CLOCK_MONOTONIC times takes the player and both walking basses;
# the host check measures each bass note's distance from the player's beat.
# timeout: 150
. "$HERE/lib.sh"
"$IMPROV" daemon --preset "$FIXTURES/daemon-follow.toml" --seconds 100 --log-level info 2>follow.log &
F=$!
"$IMPROV" daemon --preset "$FIXTURES/daemon-fixed.toml" --seconds 100 2>fixed.log &
X=$!
wait_client improv 30
wait_client improv-fixed 30
wait_line follow.log "input Midi Through connected" 10
wait_line fixed.log "input Midi Through connected" 10
"$PROBE" record --name rec --connect-in 14:0 --connect-in improv:1 --connect-in improv-fixed:1 --out rec.txt &
R=$!
wait_line rec.txt "^# start" 10
FC=$(client_id improv); XC=$(client_id improv-fixed)
echo "clients: player 14:0, following $FC:1, fixed $XC:1"
sleep 1
mark "the drifting player"
aplaymidi -p 14:0 "$FIXTURES/drift-call.mid"
mark "done"
sleep 1
kill -0 $F || fail "the following daemon died"
kill -0 $X || fail "the fixed daemon died"
kill -TERM $F $X
wait $F || fail "the following daemon exited with $?"
wait $X || fail "the fixed daemon exited with $?"
stop $R
grep -q "following the player's tempo" follow.log || fail "the daemon did not say it follows the player"
grep "following the player at" follow.log | tail -5
grep -q "following the player at 1[23][0-9]" follow.log || fail "the daemon never heard the player faster than 120"
grep -q "stopped; all notes off sent" follow.log || fail "no clean stop"
ok "both daemons played the band through the drifting performance and stopped cleanly"
echo "follows rec.txt drift-call.beats $FC:1 $XC:1 3" >host-check
