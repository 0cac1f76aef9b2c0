# (g) aplaymidi straight into the probe's input port (events addressed to the port, not
# through a subscription): every event arrives, in order, decoded. The line's K/R tells
# whether the kernel stamped our queue's tick (K) or the probe used the tick at read time (R).
. "$HERE/lib.sh"
"$PROBE" echo --name improv-direct --seconds 30 --out rec.txt --ready ready &
P=$!
wait_for ready
aplaymidi -p improv-direct:0 "$FIXTURES/call.mid"
sleep 1
kill -TERM $P; wait $P || fail "echo exited with $?"
cat rec.txt
n=$(grep -c '^in [0-9]* [KR] [0-9]*:0 note' rec.txt || true)
[ "$n" = 16 ] || fail "got $n note events, want 16"
grep '^in [0-9]* [KR] [0-9]*:0 note' rec.txt | awk '{print $2}' >ticks.txt
sort -n -c ticks.txt || fail "ticks not in order"
echo "stamps: $(grep '^in [0-9]* [KR] [0-9]*:0 note' rec.txt | awk '{print $3}' | sort | uniq -c | tr '\n' ' ')"
ok "16 note events delivered directly, in order"
