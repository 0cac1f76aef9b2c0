# (k) peers that improv connects to by name go away and come back: the player's port
# ("keyboard", an alsa-probe) and the output's destination (aseqdump). improv logs it, keeps
# running and connects again; music reaches aseqdump again after it came back.
. "$HERE/lib.sh"
"$IMPROV" daemon --preset "$FIXTURES/daemon-reconnect.toml" --seconds 60 2>daemon.log &
D=$!
wait_client improv 30
for round in 1 2; do
    "$PROBE" play --name keyboard --to 14:0 --notes 8 --start 960 >play$round.txt 2>&1 &
    K=$!
    aseqdump >dump$round.txt 2>&1 &
    A=$!
    wait_client aseqdump
    sleep 4
    kill -TERM $A; wait $A 2>/dev/null || true
    wait $K 2>/dev/null || true
    sleep 1
    kill -0 $D || fail "the daemon died when its peers left (round $round)"
    grep -q "Note on" dump$round.txt || fail "aseqdump heard nothing from improv in round $round"
    ok "round $round: improv played to aseqdump, which then left"
done
kill -TERM $D; wait $D || fail "the daemon exited with $?"
cat daemon.log
[ "$(grep -c 'output aseqdump connected' daemon.log)" -ge 2 ] || fail "improv did not connect to aseqdump again"
grep -q "output aseqdump (.*) went away" daemon.log || fail "improv did not log the output going away"
grep -q "input keyboard connected" daemon.log || fail "improv never connected the keyboard by name"
ok "peers left and came back; improv kept running and connected again"
