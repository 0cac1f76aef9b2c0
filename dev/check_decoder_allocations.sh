#!/bin/bash
# Hand-run check that free running with the chord decoder (LSTMPredictor.sampleNext with a
# ChordDecoder, then observe) allocates nothing per slice: runs
# FolderCorpusTests/testDecodingManySlices under valgrind with 1,000 and 21,000 slices and
# compares the heap allocation counts (the test process varies by a few dozen allocations from
# run to run; one allocation a slice would show as 20,000 more). Needs valgrind; run from the
# package root after `swift build --build-tests`. As in check_take_update_allocations.sh,
# valgrind runs on a copy of the test binary without debug info.
set -euo pipefail
binary=.build/debug/improvPackageTests.xctest
copy=$(mktemp -d)
trap 'rm -rf "$copy"' EXIT
objcopy --strip-debug "$binary" "$copy/tests.xctest"
count() {
    IMPROV_DECODE_SLICES=$1 valgrind --tool=memcheck "$copy/tests.xctest" \
        ComposerTests.FolderCorpusTests/testDecodingManySlices 2>&1 |
        sed -n 's/.*total heap usage: \([0-9,]*\) allocs.*/\1/p' | tr -d ,
}
a=$(count 1000)
b=$(count 21000)
echo "heap allocations: 1000 slices -> $a, 21000 slices -> $b"
if [ $((b - a)) -lt 1000 ]; then echo "OK: no allocation per decoded slice"; else echo "FAIL: $((b - a)) more allocations"; exit 1; fi
