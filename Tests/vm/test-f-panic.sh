# (f) panic: notes scheduled in the future are dropped (snd_seq_drop_output) and All Notes
# Off / All Sound Off go out directly on all 16 channels.
. "$HERE/lib.sh"
aseqdump -p 14:0 >dump.txt 2>&1 &
A=$!
sleep 0.5
"$PROBE" panic --to 14:0 | tee panic.txt
sleep 0.3
stop $A
cat dump.txt
n123=$(grep -c 'controller 123' dump.txt || true); n120=$(grep -c 'controller 120' dump.txt || true)
non=$(grep -c 'Note on' dump.txt || true)
[ "$n123" = 16 ] && [ "$n120" = 16 ] || fail "want 16 x CC123 and 16 x CC120, got $n123 / $n120"
[ "$non" = 0 ] || fail "$non scheduled notes played despite the panic"
ok "panic dropped 8 scheduled notes and sent CC 123 + CC 120 on 16 channels"
