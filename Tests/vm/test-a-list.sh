# (a) alsa-probe list sees Midi Through (client 14) and a client with the name it was given.
. "$HERE/lib.sh"
"$PROBE" echo --name improv-list-test --seconds 30 --out rec.txt --ready ready &
P=$!
wait_for ready
"$PROBE" list >list.txt
cat list.txt
grep -q '^client 14 "Midi Through"$' list.txt || fail "no client 14 \"Midi Through\""
grep -q '^  port 14:0 "Midi Through Port-0" caps=RWrw$' list.txt || fail "no port 14:0 RWrw"
id=$(sed -n 's/^client \([0-9]*\) "improv-list-test"$/\1/p' list.txt)
[ -n "$id" ] || fail "client improv-list-test not listed"
grep -q "^  port $id:0 \"in\" caps=-W-w$" list.txt || fail "input port $id:0 not writable+subscribable"
grep -q "^  port $id:1 \"out\" caps=R-r-$" list.txt || fail "output port $id:1 not readable+subscribable"
[ "$(client_id improv-list-test)" = "$id" ] || fail "aconnect -l disagrees on the client number"
ok "list shows Midi Through and improv-list-test as client $id"
kill -TERM $P; wait $P || fail "echo exited with $?"
