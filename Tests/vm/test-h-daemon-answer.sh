# (h) improv daemon answers a call: aplaymidi plays a two-bar call into Midi Through, which the
# preset connects to improv's input; arecordmidi records the call and improv's output. The
# host check wants an answer after a bar of silence, on the swung eighth-note grid of the
# queue (swing 0.6: off-beats 288 ticks into the beat), in key and range, every note ended.
. "$HERE/lib.sh"
answer_call "$FIXTURES/daemon.toml" 45 "$FIXTURES/blues-call.mid"
ok "the daemon answered and stopped cleanly on SIGTERM"
echo "answer out.mid 240 20 swing:288" >host-check
