# (t) improv daemon listens: on the default preset (key "auto"), a call in F is answered in F and
# a call in C minor, six bars later, in C minor (minor chords, no E natural), each at the call's
# velocities. aplaymidi plays both calls into Midi Through; arecordmidi records calls and answers.
# timeout: 120
. "$HERE/lib.sh"
answer_call "$FIXTURES/daemon-default.toml" 60 "$FIXTURES/two-keys.mid"
ok "the daemon answered both calls and stopped cleanly"
echo "listens out.mid" >host-check
