#!/bin/sh
# Runs inside the VM (see scripts/vm-test.sh): loads the ALSA test modules, then each
# test the host script chose ($TESTS in env.sh) in turn, each with its own time limit (90 s,
# or its "# timeout: SECONDS" line). Results go to $1 (the rwdir): results.txt gets one
# "PASS name (Ns)" / "FAIL name ..." line per test and a final "DONE"; each test's log
# and artefacts are in $1/<name>/.
set -u
R="$1"
HERE=$(cd "$(dirname "$0")" && pwd)
. "$R/env.sh"            # PROBE, IMPROV, TESTS (and test settings): written by the host script
exec >"$R/inside.log" 2>&1
: >"$R/results.txt"
echo "guest: $(uname -r), $(nproc) cpus"
for m in snd-seq-dummy snd-virmidi snd-aloop; do
    modprobe "$m" || echo "modprobe $m failed"
done
i=0
while [ ! -e /dev/snd/seq ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
if [ ! -e /dev/snd/seq ]; then
    echo "FAIL setup: /dev/snd/seq did not appear after modprobe" >>"$R/results.txt"
    ls -l /dev/snd 2>&1
    echo DONE >>"$R/results.txt"
    exit 1
fi
aconnect -l
export PROBE IMPROV HERE
for t in $TESTS; do
    name=$(basename "$t" .sh)
    mkdir -p "$R/$name"
    limit=$(sed -n 's/^# timeout: *\([0-9][0-9]*\).*/\1/p' "$t" | head -n1)
    t0=$(date +%s.%N)
    timeout -k 5 "${limit:-90}" sh "$t" "$R/$name" >"$R/$name/log.txt" 2>&1
    rc=$?
    dt=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
    if [ $rc -eq 0 ]; then
        echo "PASS $name (${dt}s)" >>"$R/results.txt"
    elif [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
        echo "FAIL $name (timed out after ${dt}s)" >>"$R/results.txt"
    else
        echo "FAIL $name (exit $rc, ${dt}s)" >>"$R/results.txt"
    fi
    sleep 0.2
done
echo DONE >>"$R/results.txt"
