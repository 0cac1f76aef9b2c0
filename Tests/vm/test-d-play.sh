# (d) alsa-probe play schedules 8 eighth notes on its queue to "Midi Through"; arecordmidi
# records 14:0: the notes must be at the scheduled ticks (the kernel queue keeps time).
. "$HERE/lib.sh"
arecordmidi -b 120 -t 480 -p 14:0 play.mid &
M=$!
sleep 0.5
mark "play"
"$PROBE" play --to "Midi Through" | tee play.txt
sleep 0.3
mark "stop arecordmidi"
stop $M

grep -q '^done ' play.txt || fail "play did not finish"
echo "play play.mid 10" >host-check   # mido checks run on the host afterwards (see scripts/vm-test.sh)

