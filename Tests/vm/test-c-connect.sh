# (c) addresses by client name: resolution the way aconnect takes them, and real connections made by name.
. "$HERE/lib.sh"
"$PROBE" resolve "Midi Through" "midi through" "Midi" "14" "14:0" "'Midi Through':0" "Midi Through:0" "Midi Through.0" | tee resolve.txt
n=$(grep -c ' -> 14:0$' resolve.txt)
[ "$n" = 8 ] || fail "only $n of 8 forms resolved to 14:0"
if "$PROBE" resolve "no-such-client-xyz" >bad.txt 2>&1; then fail "an unknown name resolved"; fi
cat bad.txt
grep -q 'no sequencer client matches' bad.txt || fail "no error text for an unknown name"
aconnect -l >before.txt
vm=$(sed -n "s/^client \([0-9]*\): 'Virtual Raw MIDI[^']*'.*/\1/p" before.txt | head -n1)
[ -n "$vm" ] || fail "no Virtual Raw MIDI client (snd-virmidi)"
"$PROBE" echo --name improv-conn --seconds 30 --out rec.txt --ready ready \
    --connect-in "Midi Through" --connect-out "virtual raw midi" &
P=$!
wait_for ready
aconnect -l >during.txt
cat rec.txt during.txt
id=$(client_id improv-conn)
grep -q "connected-out virtual raw midi -> $vm:0" rec.txt || fail "output not resolved to $vm:0"
# aconnect -l shows, under our ports, "Connected From: 14:0" and "Connecting To: <vm>:0"
awk -v id="$id" '/^client /{c=$2} c==id":"' during.txt >ours.txt
grep -q "Connected From: 14:0" ours.txt || fail "14:0 is not connected to improv-conn:0"
grep -q "Connecting To: $vm:0" ours.txt || fail "improv-conn:1 is not connected to $vm:0"
ok "connected Midi Through -> $id:0 and $id:1 -> $vm:0 by name"
kill -TERM $P; wait $P || fail "echo exited with $?"
