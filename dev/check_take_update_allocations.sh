#!/bin/bash
# Hand-run check that LiveLearner.takeUpdate (and reset, which publishes) allocate nothing:
# runs the test LiveLearnerTests/testTakeUpdateManyCalls under valgrind with 1,000 and 301,000
# calls and compares the heap allocation counts of the two runs. The test process itself
# varies by a few dozen allocations from run to run (XCTest, dispatch), whatever the count, so
# the check allows 1,000: one allocation per call (or per 300 calls) would show as 300,000
# (1,000) more. Needs valgrind (apt-get install valgrind); run from the package root after
# `swift build --build-tests`. valgrind 3.19 cannot read the debug binary's DWARF 5, so it
# runs on a copy without debug info.
set -euo pipefail
binary=.build/debug/improvPackageTests.xctest
copy=$(mktemp -d)
trap 'rm -rf "$copy"' EXIT
objcopy --strip-debug "$binary" "$copy/tests.xctest"
count() {
    IMPROV_TAKE_UPDATE_CALLS=$1 valgrind --tool=memcheck "$copy/tests.xctest" \
        ComposerTests.LiveLearnerTests/testTakeUpdateManyCalls 2>&1 |
        sed -n 's/.*total heap usage: \([0-9,]*\) allocs.*/\1/p' | tr -d ,
}
a=$(count 1000)
b=$(count 301000)
echo "heap allocations: 1000 calls -> $a, 301000 calls -> $b"
if [ $((b - a)) -lt 1000 ]; then echo "OK: no allocation per takeUpdate"; else echo "FAIL: $((b - a)) more allocations"; exit 1; fi
