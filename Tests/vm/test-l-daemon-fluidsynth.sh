# (l) improv daemon playing live through FluidSynth's ALSA audio driver into the loopback card:
# arecord captures the other side; the host check wants silence while the player calls and
# improv's answer, audible, after it.
. "$HERE/lib.sh"
"$IMPROV" daemon --preset "$FIXTURES/daemon-fluidsynth.toml" --seconds 40 2>daemon.log &
D=$!
wait_client improv 30
n=0; until grep -q "input Midi Through connected" daemon.log; do n=$((n + 1)); [ $n -gt 100 ] && fail "no connection to Midi Through"; sleep 0.1; done
# Recording starts once the daemon is up (FluidSynth took 12 s to start on a busy host).
arecord -D hw:Loopback,1,0 -f S16_LE -r 48000 -c 2 -d 16 out.wav 2>arecord.log &
R=$!
mark "recording"
sleep 0.5
mark "call"
aplaymidi -p 14:0 "$FIXTURES/blues-call.mid"
sleep 8
mark "stop"
kill -TERM $D; wait $D || fail "the daemon exited with $?"
wait $R || fail "arecord failed: $(cat arecord.log)"
cat daemon.log
grep -q "FluidSynth on alsa" daemon.log || fail "FluidSynth did not start"
echo "audio out.wav" >host-check
