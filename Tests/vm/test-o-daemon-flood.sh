# (o) A flood from the player: FLOOD_RATE (10000) events a second for about
# FLOOD_SECONDS (60) straight into improv's input (pitch bends and controller 74, which improv
# reads and ignores), while a scripted player (alsa-probe player) plays calls and waits for the
# answers. improv must stay responsive (every call answered, on the swung grid of its queue, a
# panic controller still silences it), drop nothing it plays (the kernel's count of events improv
# queued = the events a recorder got) and keep its memory bounded. Prints the figures.
# timeout: 200
. "$HERE/lib.sh"
RATE=${FLOOD_RATE:-10000}
SECS=${FLOOD_SECONDS:-60}
"$IMPROV" daemon --preset "$FIXTURES/daemon.toml" --seconds $((SECS + 100)) 2>daemon.log &
D=$!
wait_client improv 30
wait_line daemon.log "input Midi Through connected" 10
memwatch $D mem.txt 2 &
"$PROBE" record --name rec --connect-in improv:1 --out rec.txt &
R=$!
wait_line rec.txt "^# start" 10
sleep 0.5
"$PROBE" flood --name flood --to improv:0 --rate "$RATE" --seconds 100000 >flood.txt 2>&1 &
F=$!
wait_line flood.txt "^second 1 " 15
mark "flooding"
pool0=$(seq_pool improv); rec0=$(events_in rec.txt)
echo "pools at the start: $pool0; recorder: $rec0 events"
"$PROBE" player --name player --to improv:0 --listen improv:1 --seconds $((SECS - 20)) --swing-at 288 --seed 7 >player1.txt 2>&1 \
    || fail "player 1: $(cat player1.txt)"
pool1=$(seq_pool improv); rec1=$(events_in rec.txt)
cat player1.txt
echo "pools after the calls: $pool1; recorder: $rec1 events"
mark "panic call"
"$PROBE" player --name player --to improv:0 --listen improv:1 --calls 1 --panic-call 1 --swing-at 288 --seed 8 >player2.txt 2>&1 \
    || fail "player 2: $(cat player2.txt)"
cat player2.txt
kill -0 $F 2>/dev/null || fail "the flood ended before the panic call: $(tail -3 flood.txt)"
kill -INT $F; wait $F 2>/dev/null || true
mark "flood over"
pool2=$(seq_pool improv)
kill -0 $D || fail "the daemon died during the flood"
kill -TERM $D; wait $D || fail "the daemon exited with $?"
stop $R
tail -5 daemon.log
grep -q "stopped; all notes off sent" daemon.log || fail "no clean stop in the log"
[ -s mem.txt ] || fail "no memory samples"

p1=$(tail -n1 player1.txt); p2=$(tail -n1 player2.txt); fl=$(tail -n1 flood.txt)
fsent=$(field sent "$fl"); fsecs=$(field seconds "$fl")
in_ok=$(( $(field in_ok "$pool2") - $(field in_ok "$pool0") ))
in_fail=$(( $(field in_fail "$pool2") - $(field in_fail "$pool0") ))
queued=$(( $(field out_ok "$pool1") - $(field out_ok "$pool0") ))
heard=$((rec1 - rec0))
echo "figure: flood: $fsent events in $fsecs s = $(field rate "$fl")/s sent (wanted $RATE/s; refused $(field refused "$fl") times with improv's FIFO full); improv's input took $in_ok, dropped $in_fail (kernel FIFO full), FIFO size $(field in_size "$pool2"), peak $(field in_peak "$pool2")"
echo "figure: flood: answers $(field answers "$p1")/$(field calls "$p1") calls, $(field answer_notes "$p1") notes, off the swung grid by at most $(field grid_dev_max "$p1") ticks, start delays $(field delay_min "$p1")-$(field delay_max "$p1") ticks, hanging $(field hanging "$p1")"
echo "figure: flood: improv queued $queued events during the calls, the recorder got $heard"
echo "figure: flood: panic controller under the flood: all-notes-off after $(field panic_ms "$p2") ms, $(field notes_after_panic "$p2") notes after it, channels missing $(field panic_channels_missing "$p2")"
echo "figure: flood: memory $(mem_figures mem.txt)"

[ "$(field missed "$p1")" = 0 ] && [ "$(field answers "$p1")" -ge 2 ] || fail "calls not answered under the flood: $p1"
[ "$(field grid_dev_max "$p1")" -le 20 ] || fail "answers off the grid under the flood: $p1"
[ "$(field hanging "$p1")" = 0 ] || fail "notes left hanging: $p1"
[ "$queued" -gt 0 ] && [ "$queued" = "$heard" ] || fail "improv queued $queued events, the recorder got $heard"
ok "every call answered on the grid; all $queued events improv queued reached the recorder"
[ "$(field answers "$p2")" = 1 ] && [ "$(field panic_channels_missing "$p2")" = 0 ] && [ "$(field notes_after_panic "$p2")" = 0 ] \
    && [ "$(field hanging "$p2")" = 0 ] || fail "the panic controller did not silence improv under the flood: $p2"
ok "the panic controller silenced improv under the flood"
# Bounded memory: from 10 s into the run to its end, VmRSS grows by less than 16 MiB.
growth=$(awk '$1 >= 10 && !b { b = $2 } { l = $2 } END { print int((l - b) / 1024) }' mem.txt)
echo "VmRSS growth after the first 10 s: $growth MiB"
[ "$growth" -lt 16 ] || fail "improv's memory grew by $growth MiB under the flood"
ok "memory bounded"
