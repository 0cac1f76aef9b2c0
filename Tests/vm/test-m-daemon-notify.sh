# (m) improv daemon as a systemd Type=notify service, with socat playing the service manager:
# READY=1 with a STATUS once the ports are open, WATCHDOG=1 at half of WATCHDOG_USEC,
# RELOADING=1 then READY=1 on SIGHUP (a good preset is taken, a bad one refused while the old
# one plays on), STOPPING=1 on SIGTERM.
. "$HERE/lib.sh"
cp "$FIXTURES/daemon.toml" preset.toml
SOCK=/tmp/improv-notify-$$.sock   # the results folder (9p) cannot hold a socket
socat -u UNIX-RECV:"$SOCK" OPEN:notify.txt,creat,append &
S=$!
n=0; while [ ! -S "$SOCK" ]; do n=$((n + 1)); [ $n -gt 100 ] && fail "socat did not make the socket"; sleep 0.1; done
NOTIFY_SOCKET="$SOCK" WATCHDOG_USEC=2000000 "$IMPROV" daemon --preset preset.toml --seconds 60 2>daemon.log &
P=$!
n=0; until grep -q "READY=1" notify.txt 2>/dev/null; do n=$((n + 1)); [ $n -gt 300 ] && fail "no READY=1"; sleep 0.1; done
mark "ready"
grep -q "STATUS=call-and-response in C, 120 BPM" notify.txt || fail "no STATUS with mode, key and tempo: $(cat notify.txt)"
# Count the pings of the next 4.2 s (not since READY: a loaded guest may see READY late).
w0=$(grep -o "WATCHDOG=1" notify.txt | wc -l)
sleep 4.2
w=$(($(grep -o "WATCHDOG=1" notify.txt | wc -l) - w0))
[ "$w" -ge 3 ] && [ "$w" -le 6 ] || fail "$w watchdog pings in about 4 s (want one a second)"
ok "READY with its STATUS, $w watchdog pings in 4 s"
sed -i 's/^tempo = 120$/tempo = 100/' preset.toml
kill -HUP $P
n=0; until [ "$(grep -o 'READY=1' notify.txt | wc -l)" -ge 2 ]; do n=$((n + 1)); [ $n -gt 100 ] && fail "no READY after the reload"; sleep 0.1; done
grep -q "RELOADING=1" notify.txt || fail "no RELOADING=1"
grep -q "STATUS=call-and-response in C, 100 BPM" notify.txt || fail "the reloaded tempo is not in the STATUS"
ok "SIGHUP: RELOADING, then READY with the new tempo"
echo "[session]
tempo = 900" >preset.toml
kill -HUP $P
n=0; until [ "$(grep -o 'READY=1' notify.txt | wc -l)" -ge 3 ]; do n=$((n + 1)); [ $n -gt 100 ] && fail "no READY after the bad reload"; sleep 0.1; done
grep -q "reload refused" daemon.log || fail "the bad preset was not refused in the log"
kill -0 $P || fail "the daemon died on a bad preset"
ok "a bad preset is refused with its reason and the old one plays on"
kill -TERM $P; wait $P || fail "the daemon exited with $?"
sleep 0.3
grep -q "STOPPING=1" notify.txt || fail "no STOPPING=1"
kill $S 2>/dev/null || true
cat daemon.log
tr '\n' ' ' <notify.txt | head -c 600; echo
ok "STOPPING on SIGTERM"
