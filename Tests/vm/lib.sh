# Helpers for the VM tests (sourced). Each test gets its results folder as $1 = $D.
set -eu
D="$1"
cd "$D"
FIXTURES="$HERE/fixtures"

# Leave no peer behind for the next test, whatever way this one ends.
cleanup() { for j in $(jobs -p); do kill "$j" 2>/dev/null || true; done; }
trap cleanup EXIT
trap 'cleanup; exit 143' INT TERM

fail() { echo "FAIL: $*"; exit 1; }
ok() { echo "ok   $*"; }
T0=$(date +%s.%N)
# mark WHAT: a timestamped progress line (seconds since the test started, wall clock in the VM).
mark() { awk -v a="$T0" -v b="$(date +%s.%N)" -v w="$*" 'BEGIN { printf "[%6.2fs] %s\n", b - a, w }'; }

# wait_for FILE [SECONDS]: until FILE exists and is non-empty.
wait_for() {
    n=0
    while [ ! -s "$1" ]; do
        n=$((n + 1))
        [ $n -gt $((${2:-15} * 10)) ] && fail "timed out waiting for $1"
        sleep 0.1
    done
}

# wait_client NAME [SECONDS]: until aconnect -l lists a client named NAME.
wait_client() {
    n=0
    until aconnect -l | grep -q "client [0-9]*: '$1'"; do
        n=$((n + 1))
        [ $n -gt $((${2:-15} * 10)) ] && fail "client '$1' did not appear"
        sleep 0.1
    done
}

# client_id NAME: the client number of NAME, from aconnect -l.
client_id() { aconnect -l | sed -n "s/^client \([0-9]*\): '$1'.*/\1/p" | head -n1; }

# stop PID: SIGINT (arecordmidi writes its file on SIGINT) and wait for it.
stop() { kill -INT "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

# wait_line FILE PATTERN [SECONDS]: until FILE has a line matching PATTERN (grep -E).
wait_line() {
    n=0
    until grep -q -E "$2" "$1" 2>/dev/null; do
        n=$((n + 1))
        [ $n -gt $((${3:-15} * 10)) ] && fail "timed out waiting for /$2/ in $1"
        sleep 0.1
    done
}

# memwatch PID FILE [SECONDS]: every SECONDS (2), "elapsed VmRSS_kB VmHWM_kB" of PID into FILE
# until PID exits. Run it in the background.
memwatch() {
    while [ -r "/proc/$1/status" ]; do
        awk -v a="$T0" -v b="$(date +%s.%N)" '/^VmRSS/ { r = $2 } /^VmHWM/ { h = $2 }
            END { if (r) printf "%.1f %d %d\n", b - a, r, h }' "/proc/$1/status" >>"$2" 2>/dev/null
        sleep "${3:-2}"
    done
}

# mem_figures FILE: "RSS first/max/last, HWM" from a memwatch file, in MiB.
mem_figures() {
    awk 'NR == 1 { f = $2 } { if ($2 > m) m = $2; l = $2; h = $3 }
        END { printf "VmRSS first %.1f MiB, max %.1f MiB, last %.1f MiB; VmHWM %.1f MiB (%d samples)\n", f/1024, m/1024, l/1024, h/1024, NR }' "$1"
}

# seq_pool CLIENT_NAME: the client's pools from /proc/asound/seq/clients as one line:
# "out_ok=N out_fail=N out_peak=N in_ok=N in_fail=N in_peak=N in_size=N" (kernel counters).
seq_pool() {
    awk -v name="$1" '
        /^Client/ { inside = index($0, "\"" name "\"") > 0; what = "" }
        inside && /Output pool/ { what = "out" }
        inside && /Input pool/ { what = "in" }
        inside && what != "" && /Pool size/ { size[what] = $NF }
        inside && what != "" && /Peak cells in use/ { peak[what] = $NF }
        inside && what != "" && /Alloc success/ { ok[what] = $NF }
        inside && what != "" && /Alloc failures/ { bad[what] = $NF }
        END { printf "out_ok=%d out_fail=%d out_peak=%d in_ok=%d in_fail=%d in_peak=%d in_size=%d\n",
              ok["out"], bad["out"], peak["out"], ok["in"], bad["in"], peak["in"], size["in"] }' /proc/asound/seq/clients
}

# field NAME LINE: the value of NAME=value in LINE.
field() { echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p" | head -n1; }

# events_in FILE: how many events an alsa-probe record file holds (its lines not starting with #).
events_in() { awk '!/^#/ { n++ } END { print n + 0 }' "$1"; }

# count_lines FILE PATTERN: how many lines of FILE match PATTERN (grep -E); 0 if none or no file.
count_lines() { grep -c -E "$2" "$1" 2>/dev/null || true; }

# answer_call PRESET SECONDS CALL.mid: improv daemon (PRESET, at most SECONDS) answers CALL,
# played into Midi Through; arecordmidi records the call and improv's output into out.mid.
# Then SIGTERM: the daemon must exit 0 and log a clean stop.
answer_call() {
    "$IMPROV" daemon --preset "$1" --seconds "$2" --log-level debug 2>daemon.log &
    D=$!
    wait_client improv 30
    wait_line daemon.log "input Midi Through connected" 10
    arecordmidi -b 120 -t 480 -p 14:0,improv:1 out.mid &
    M=$!
    sleep 0.5
    mark "call"
    aplaymidi -p 14:0 "$3"
    sleep 8
    mark "stop"
    stop $M
    kill -TERM $D; wait $D || fail "the daemon exited with $?"
    cat daemon.log
    grep -q "stopped; all notes off sent" daemon.log || fail "no clean stop in the log"
}
