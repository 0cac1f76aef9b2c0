# Soak (not in the normal suite; run with scripts/soak.sh or VM_TESTS=soak): improv daemon for
# SOAK_SECONDS (600) with a scripted player (alsa-probe player) calling and waiting for each
# answer; a recorder on improv's output. Writes the figures: calls, answers, events handled,
# hanging notes, answer timing on the swung grid, memory (VmRSS over time, VmHWM).
# timeout: 900
. "$HERE/lib.sh"
SECS=${SOAK_SECONDS:-600}
"$IMPROV" daemon --preset "$FIXTURES/daemon.toml" --seconds $((SECS + 200)) 2>daemon.log &
D=$!
wait_client improv 30
wait_line daemon.log "input Midi Through connected" 10
memwatch $D mem.txt 10 &
"$PROBE" record --name rec --connect-in improv:1 --out rec.txt &
R=$!
wait_line rec.txt "^# start" 10
pool0=$(seq_pool improv); rec0=$(events_in rec.txt)
mark "soak: $SECS s of calls"
"$PROBE" player --name player --to improv:0 --listen improv:1 --seconds "$SECS" --swing-at 288 --seed 11 >player.txt 2>&1 \
    || fail "the player failed: $(tail -3 player.txt)"
pool1=$(seq_pool improv); rec1=$(events_in rec.txt)
mark "soak over"
kill -0 $D || fail "the daemon died during the soak"
kill -TERM $D; wait $D || fail "the daemon exited with $?"
stop $R
grep -v '^<6>' daemon.log | sort | uniq -c | sort -rn | head
p=$(tail -n1 player.txt)
handled=$(( $(field in_ok "$pool1") - $(field in_ok "$pool0") ))
queued=$(( $(field out_ok "$pool1") - $(field out_ok "$pool0") ))
heard=$((rec1 - rec0))
echo "figure: soak: $(field seconds "$p") s: $(field calls "$p") calls, $(field answers "$p") answers, $(field missed "$p") missed; player sent $(field events_sent "$p") events, improv's input took $handled (announcements included); improv queued $queued events, the recorder got $heard, the player $(field events_received "$p")"
echo "figure: soak: $(field answer_notes "$p") answer notes, off the swung grid by at most $(field grid_dev_max "$p") ticks (mean $(field grid_dev_mean "$p")), answers start $(field delay_min "$p")-$(field delay_max "$p") ticks after the call; hanging notes: $(field hanging "$p"); notes during calls: $(field notes_during_call "$p")"
echo "figure: soak: memory $(mem_figures mem.txt)"
[ "$(field missed "$p")" = 0 ] || fail "calls went unanswered: $p"
[ "$(field hanging "$p")" = 0 ] || fail "notes left hanging: $p"
[ "$(field grid_dev_max "$p")" -le 20 ] || fail "answers off the grid: $p"
[ "$queued" = "$heard" ] || fail "improv queued $queued events, the recorder got $heard"
growth=$(awk '$1 >= 60 && !b { b = $2 } { l = $2 } END { print int((l - b) / 1024) }' mem.txt)
[ "$growth" -lt 8 ] || fail "improv's memory grew by $growth MiB after the first minute"
ok "soak: every call answered, nothing hanging, nothing dropped, memory grew $growth MiB after the first minute"
