# (b) aplaymidi -> Midi Through -> alsa-probe echo (connected by name): the probe records the
# notes with increasing queue ticks and echoes each one beat (480 ticks) later; aseqdump and
# arecordmidi on the output port see every echoed note at +1 beat.
. "$HERE/lib.sh"
"$PROBE" echo --name improv-echo --seconds 30 --out rec.txt --ready ready --connect-in "Midi Through" &
P=$!
wait_for ready
aseqdump -p improv-echo:1 >dump.txt 2>&1 &
A=$!
arecordmidi -b 120 -t 480 -p 14:0,improv-echo:1 out.mid &
M=$!
sleep 1
aplaymidi -p 14:0 "$FIXTURES/call.mid"
sleep 1.5
stop $M; stop $A
kill -TERM $P; wait $P || fail "echo exited with $?"
cat rec.txt
echo "--- aseqdump"; cat dump.txt
on=$(grep -c 'Note on' dump.txt || true); off=$(grep -c 'Note off' dump.txt || true)
[ "$on" = 8 ] && [ "$off" = 8 ] || fail "aseqdump saw $on note-on / $off note-off on the echo port (want 8/8)"
ok "aseqdump saw 8 note-on and 8 note-off echoed"
grep -q 'noteOff ch=0 key=64 vel=0' rec.txt || fail "note-on velocity 0 did not decode as note-off"
grep -q 'in [0-9]* K 14:0 program ch=0 prog=5' rec.txt || fail "program change not decoded"
grep -q 'in [0-9]* K 14:0 cc ch=0 cc=7 val=90' rec.txt || fail "controller not decoded"
grep -q 'in [0-9]* K 14:0 pitchBend ch=0 val=1000' rec.txt || fail "pitch bend not decoded"
ok "program change, controller, pitch bend and velocity-0 note-off decoded"

echo "echo rec.txt out.mid 10" >host-check   # mido checks run on the host afterwards (see scripts/vm-test.sh)
