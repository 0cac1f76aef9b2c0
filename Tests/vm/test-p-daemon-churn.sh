# (p) The player's port and the output's destination disappear and come back many times
# while improv keeps answering: CHURN_ROUNDS (20) short-lived "keyboard" and "synth" clients,
# then three rounds in which a scripted player named "keyboard" calls and a recorder named "synth" hears the answer
# (in round 2 the synth leaves in the middle of the answer and comes back). improv connects to
# both by name each time, keeps running, answers on the grid, leaves no note on, and its memory
# does not grow.
# timeout: 170
. "$HERE/lib.sh"
ROUNDS=${CHURN_ROUNDS:-20}
"$IMPROV" daemon --preset "$FIXTURES/daemon-churn.toml" --seconds 160 2>daemon.log &
D=$!
wait_client improv 30
memwatch $D mem.txt 2 &
sleep 1
i=0
while [ $i -lt $ROUNDS ]; do
    i=$((i + 1))
    "$PROBE" flood --name keyboard --to 14:0 --rate 200 --seconds 0.5 >/dev/null 2>&1 &
    K=$!
    "$PROBE" record --name synth --seconds 0.5 --out /dev/null >/dev/null 2>&1 &
    S=$!
    wait $K || fail "churn round $i: the keyboard probe failed"
    wait $S || fail "churn round $i: the synth probe failed"
    kill -0 $D || fail "the daemon died in churn round $i"
done
sleep 1
mark "$ROUNDS churn rounds done"
churn_in=$(count_lines daemon.log "input keyboard connected")
churn_out=$(count_lines daemon.log "output synth connected")
gone_in=$(count_lines daemon.log "input keyboard .* went away")
gone_out=$(count_lines daemon.log "output synth .* went away")
echo "figure: churn: $ROUNDS rounds; improv connected the keyboard $churn_in times and the synth $churn_out times; saw them leave $gone_in and $gone_out times"
[ "$churn_in" -ge $((ROUNDS / 2)) ] && [ "$churn_out" -ge $((ROUNDS / 2)) ] || fail "improv connected too few of the $ROUNDS peers"
[ "$gone_in" -ge 1 ] && [ "$gone_out" -ge 1 ] || fail "improv did not notice the peers leaving"

for r in 1 2 3; do
    rm -f go
    n_in=$(count_lines daemon.log "input keyboard connected"); n_out=$(count_lines daemon.log "output synth connected")
    "$PROBE" record --name synth --out synth$r.txt &
    S=$!
    "$PROBE" player --name keyboard --listen improv:1 --calls 1 --swing-at 288 --seed $r --wait-for go >player$r.txt 2>&1 &
    P=$!
    n=0; until [ "$(count_lines daemon.log "input keyboard connected")" -gt "$n_in" ] && [ "$(count_lines daemon.log "output synth connected")" -gt "$n_out" ]; do
        n=$((n + 1)); [ $n -gt 150 ] && fail "round $r: improv did not connect the keyboard and the synth"; sleep 0.1
    done
    touch go
    if [ $r = 2 ]; then
        wait_line synth2.txt "noteOn" 20
        stop $S
        mark "round 2: the synth left in the middle of the answer"
        n_out=$(count_lines daemon.log "output synth connected")
        "$PROBE" record --name synth --out synth2b.txt &
        S=$!
        n=0; until [ "$(count_lines daemon.log "output synth connected")" -gt "$n_out" ]; do
            n=$((n + 1)); [ $n -gt 100 ] && fail "round 2: improv did not connect the synth again"; sleep 0.1
        done
    fi
    wait $P || fail "round $r: the player failed: $(cat player$r.txt)"
    stop $S
    pl=$(tail -n1 player$r.txt)
    echo "round $r: $pl"
    [ "$(field answers "$pl")" = 1 ] || fail "round $r: no answer"
    [ "$(field grid_dev_max "$pl")" -le 20 ] || fail "round $r: the answer is off the grid"
    [ "$(field hanging "$pl")" = 0 ] || fail "round $r: notes left on"
    f=synth$r.txt; [ $r = 2 ] && f=synth2b.txt
    grep -q "noteOn" $f || fail "round $r: the synth heard nothing from improv ($f)"
done
kill -0 $D || fail "the daemon died"
kill -TERM $D; wait $D || fail "the daemon exited with $?"
grep -v '^<6>' daemon.log | tail -8
echo "figure: churn: memory $(mem_figures mem.txt)"
growth=$(awk 'NR == 1 { b = $2 } { l = $2 } END { print int((l - b) / 1024) }' mem.txt)
[ "$growth" -lt 8 ] || fail "improv's memory grew by $growth MiB while peers came and went"
ok "peers came and went $ROUNDS times, then three rounds answered on the grid; memory grew $growth MiB"
