# (r) SIGHUP reloads in a loop during an answer: 30 reloads, 0.1 s apart, the preset's
# temperature changing between them, while improv answers a call. improv keeps playing: the host
# check wants the answer whole, on the swung grid, every note ended; the daemon survives, takes
# the reloads and its memory does not grow.
# timeout: 120
. "$HERE/lib.sh"
N=${HUP_COUNT:-30}
cp "$FIXTURES/daemon.toml" preset.toml
echo "temperature = 1.0" >>preset.toml
"$IMPROV" daemon --preset preset.toml --seconds 90 2>daemon.log &
D=$!
wait_client improv 30
wait_line daemon.log "input Midi Through connected" 10
memwatch $D mem.txt 1 &
"$PROBE" record --name rec --connect-in improv:1 --out rec.txt &
R=$!
wait_line rec.txt "^# start" 10
arecordmidi -b 120 -t 480 -p 14:0,improv:1 out.mid &
M=$!
sleep 0.5
aplaymidi -p 14:0 "$FIXTURES/blues-call.mid"
wait_line rec.txt "noteOn" 15
mark "the answer has begun: $N reloads"
i=0
while [ $i -lt $N ]; do
    i=$((i + 1))
    [ $((i % 2)) = 1 ] && t=0.8 || t=1.2
    sed -i "s/^temperature = .*/temperature = $t/" preset.toml
    kill -HUP $D || fail "the daemon is gone after $i reloads"
    sleep 0.1
done
mark "reloads sent"
sleep 4
stop $M
kill -0 $D || fail "the daemon died"
kill -TERM $D; wait $D || fail "the daemon exited with $?"
stop $R
grep -v '^<6>' daemon.log | sort | uniq -c | sort -rn | head -6
done_n=$(count_lines daemon.log "^<5>reloaded")
refused=$(count_lines daemon.log "reload refused")
echo "figure: SIGHUP loop: $N signals during the answer, $done_n reloads done (signals that come during a reload are merged), $refused refused; memory $(mem_figures mem.txt)"
[ "$done_n" -ge 3 ] || fail "only $done_n reloads done"
[ "$refused" = 0 ] || fail "a good preset was refused"
growth=$(awk 'NR == 1 { b = $2 } { l = $2 } END { print int((l - b) / 1024) }' mem.txt)
[ "$growth" -lt 8 ] || fail "improv's memory grew by $growth MiB over the reloads"
ok "$done_n reloads during the answer; memory grew $growth MiB"
echo "answer out.mid 240 20 swing:288" >host-check
