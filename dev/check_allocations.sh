#!/bin/bash
# Hand-run check that Network.step + Sampler.sample allocate nothing: runs the release
# tool for 1,000 and 101,000 steps under valgrind and compares the heap allocation counts
# (needs `apt-get install valgrind`). Run from the package root.
set -euo pipefail
swift build -c release --product lstm-dev >/dev/null
count() {
    valgrind --tool=memcheck .build/release/lstm-dev steps "$1" 2>&1 |
        sed -n 's/.*total heap usage: \([0-9,]*\) allocs.*/\1/p' | tr -d ,
}
a=$(count 1000)
b=$(count 101000)
echo "heap allocations: 1000 steps -> $a, 101000 steps -> $b"
if [ "$a" = "$b" ]; then echo "OK: no allocation per step"; else echo "FAIL: $(( (b - a) / 100000 )) allocations per step"; exit 1; fi
