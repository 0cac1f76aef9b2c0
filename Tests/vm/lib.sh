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
