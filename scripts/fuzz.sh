#!/bin/bash
# Fuzzes every parser of outside input with libFuzzer + AddressSanitizer (fuzz/README.md):
# builds the fuzz targets (IMPROV_FUZZ=1, in .build-fuzz), runs each for a time or a number of
# executions, and prints per target the executions, crashes, peak RSS and time. Exits non-zero
# on any crash, timeout (hang) or out-of-memory; the input that caused it is kept in
# .build-fuzz/artifacts/TARGET/ (make it a regression test: fuzz/README.md says how).
#
#   scripts/fuzz.sh                 # 30 seconds per target (make fuzz)
#   scripts/fuzz.sh 300             # 300 seconds per target
#   scripts/fuzz.sh --runs 1000000  # one million executions per target (make fuzz-full)
#   scripts/fuzz.sh --only midi 60  # one target (midi, preset, model, alsa-event)
#   scripts/fuzz.sh --seeds         # rewrite fuzz/corpus/ from the harnesses' seed writers
#
# Limits per target: -timeout=10 (seconds for one input: more is a hang), -rss_limit_mb=2048,
# -malloc_limit_mb=64 (no input of at most max_len bytes may make one allocation larger: that
# is how "memory bounded by the input's size" is checked), -max_len per target below.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 2
SCRATCH=.build-fuzz
SWIFT=${SWIFT:-swift}
die() { echo "fuzz: ERROR: $*" >&2; exit 2; }

TARGETS="midi preset model alsa-event"
budget="-max_total_time=30"
label="30 s"
seeds=0
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) [ $# -ge 2 ] || die "--runs needs a number"; budget="-runs=$2"; label="$2 runs"; shift 2 ;;
        --only) [ $# -ge 2 ] || die "--only needs a target ($TARGETS)"; TARGETS="$2"; shift 2 ;;
        --seeds) seeds=1; shift ;;
        -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
        *[!0-9]*|'') die "unknown argument '$1' (seconds per target, --runs N, --only TARGET, --seeds)" ;;
        *) budget="-max_total_time=$1"; label="$1 s"; shift ;;
    esac
done

# Per-target settings: longest input, dictionary, leak detection.
max_len() { case "$1" in midi|model) echo 8192 ;; preset) echo 4096 ;; alsa-event) echo 33 ;; esac; }
dict() { [ -f "fuzz/dict/$1.dict" ] && echo "-dict=fuzz/dict/$1.dict"; }
# TOMLKit (a dependency) leaks a few hundred bytes per parse (tableGetKeys' array and strings,
# the parse error buffer); not ours to fix, so LeakSanitizer is off for the preset target.
leaks() { [ "$1" = preset ] && echo 0 || echo 1; }

for t in $TARGETS; do
    [ -n "$(max_len "$t")" ] || die "unknown target '$t' (midi, preset, model, alsa-event)"
done

# 1. Build the one fuzz executable (all targets in one product: see fuzz/main/FuzzMain.swift).
start_build=$(date +%s)
mkdir -p "$SCRATCH" || die "cannot create $SCRATCH"
echo "fuzz: building fuzz-improv"
# swiftc keeps only the last -sanitize= flag, so SwiftPM's two --sanitize flags would give Swift
# code ASan without coverage; -Xswiftc -sanitize=fuzzer,address comes last and gives both
# (the --sanitize flags still instrument the C/C++ code: TOMLKit's toml++).
IMPROV_FUZZ=1 $SWIFT build -c release --scratch-path "$SCRATCH" --product fuzz-improv \
    --sanitize=fuzzer --sanitize=address -Xswiftc -sanitize=fuzzer,address >"$SCRATCH/build.log" 2>&1 \
    || { tail -30 "$SCRATCH/build.log"; die "build of fuzz-improv failed (log: $SCRATCH/build.log)"; }
echo "fuzz: built in $(( $(date +%s) - start_build )) s"
FUZZER="$SCRATCH/release/fuzz-improv"

if [ $seeds = 1 ]; then
    for t in $TARGETS; do
        rm -rf "fuzz/corpus/$t"
        IMPROV_FUZZ_TARGET=$t IMPROV_FUZZ_WRITE_SEEDS="fuzz/corpus/$t" SWIFT_BACKTRACE=enable=no \
            ASAN_OPTIONS=detect_leaks=0 "$FUZZER" || die "seed writer of $t failed"
    done
    exit 0
fi

# 2. Run each target: new inputs go to .build-fuzz/corpus/TARGET (kept between runs), the
#    seeds in fuzz/corpus/TARGET are only read.
failed=0
results="$SCRATCH/fuzz-results.txt"
printf '%-11s %12s %8s %8s %10s  %s\n' target executions exec/s seconds peak_rss result > "$results"
for t in $TARGETS; do
    work="$SCRATCH/corpus/$t" artifacts="$SCRATCH/artifacts/$t" log="$SCRATCH/fuzz-$t.log"
    mkdir -p "$work" "$artifacts"
    echo "fuzz: running $t ($label)"
    start=$(date +%s)
    # The Swift runtime's backtracer is off: under ASan it faults reading memory and hides the report.
    IMPROV_FUZZ_TARGET=$t SWIFT_BACKTRACE=enable=no ASAN_OPTIONS="detect_leaks=$(leaks "$t")" \
    "$FUZZER" "$budget" -max_len="$(max_len "$t")" $(dict "$t") -timeout=10 -rss_limit_mb=2048 \
        -malloc_limit_mb=64 -detect_leaks="$(leaks "$t")" -print_final_stats=1 \
        -artifact_prefix="$artifacts/" "$work" "fuzz/corpus/$t" >"$log" 2>&1
    status=$?
    seconds=$(( $(date +%s) - start ))
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -1)
    if [ $status = 0 ] && ! grep -q '^#[0-9]*[[:space:]]*INITED cov: [1-9]' "$log"; then
        failed=1   # libFuzzer ran but saw no coverage: the build is not instrumented
        result="FAILED (no coverage instrumentation; rm -rf $SCRATCH and run again) (log: $log)"
    elif [ $status = 0 ]; then
        result=ok
    else
        failed=1
        kind=$(grep -o -m1 -E 'ERROR: libFuzzer: [a-z-]+|ERROR: AddressSanitizer: [a-z-]+|Fatal error|fuzz property broken' "$log" || echo "exit $status")
        result="FAILED ($kind): $(ls -t "$artifacts" | head -1 | sed "s|^|$artifacts/|") (log: $log)"
    fi
    printf '%-11s %12s %8s %8s %10s  %s\n' "$t" "${execs:-?}" "$(( ${execs:-0} / (seconds > 0 ? seconds : 1) ))" \
        "$seconds" "${rss:-?} MB" "$result" >> "$results"
done
echo
cat "$results"
exit $failed
