#!/usr/bin/env bash
# A full disk never leaves a half-written file where a good one stood.
#
# Mounts a small tmpfs, puts a good model (with its checkpoints and loss log), a MIDI file and
# WAV files there, fills the file system, and runs the real improv commands that overwrite them
# (train --out and its checkpoints, jam --midi --wav, render). Each must fail with a message
# naming the file, exit non-zero, leave the old files byte for byte and no temporary file; with
# a little room left, a WAV that runs out of space half way must be cleaned up the same way.
# Then space is freed and the same commands must succeed.
#
# Needs root (mount). Run through `make test-full-disk` (which builds improv first), or
# IMPROV=path/to/improv Tests/fs/full-disk.sh.
set -euo pipefail

IMPROV=${IMPROV:-.build/debug/improv}
IMPROV=$(realpath "$IMPROV")
[ -x "$IMPROV" ] || { echo "full-disk: $IMPROV is not built (swift build --product improv)" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "full-disk: needs root to mount a tmpfs" >&2; exit 2; }

MNT=$(mktemp -d /tmp/improv-full-disk.XXXXXX)
KEEP=$(mktemp -d /tmp/improv-full-disk-old.XXXXXX)
LOG=$KEEP/log
cleanup() {
    umount "$MNT" 2>/dev/null || true
    rmdir "$MNT" 2>/dev/null || true
    rm -rf "$KEEP"
}
trap cleanup EXIT
mount -t tmpfs -o size=24m,mode=0755 improv-full-disk "$MNT"

failures=0
pass() { echo "ok   $*"; }
fail() { echo "FAIL $*"; failures=$((failures + 1)); }

# Small, quick training runs (a second each); seed 2 for the good files and seed 1 for the
# overwriting runs, so an overwrite that got through would show as a changed file.
train() { "$IMPROV" train --corpus eck-blues --choruses 8 --epochs 2 --no-target --seed "$1" --out "$MNT/model.safetensors"; }
jam() { "$IMPROV" jam --seed "$1" --midi "$MNT/jam.mid" --wav "$MNT/jam.wav"; }
render() { "$IMPROV" render "$MNT/jam.mid" "$MNT/render.wav" --rate "$1"; }

# The good files.
setup() { "$@" >"$LOG" 2>&1 || { cat "$LOG"; echo "full-disk: setup failed: $*" >&2; exit 1; }; }
setup train 2
setup jam 2
setup render 48000
GOOD=(model.safetensors model.loss.csv model.loss.svg model.checkpoints/epoch-0001.safetensors
      model.checkpoints/epoch-0002.safetensors jam.mid jam.wav render.wav)
for f in "${GOOD[@]}"; do
    [ -s "$MNT/$f" ] || { echo "full-disk: setup did not write $f" >&2; exit 1; }
    mkdir -p "$(dirname "$KEEP/$f")"
    cp "$MNT/$f" "$KEEP/$f"
done

# Fills the file system, leaving `$1` KiB free.
fill() {
    rm -f "$MNT/fill"
    dd if=/dev/zero of="$MNT/fill" bs=4k status=none 2>/dev/null || true   # until ENOSPC
    local free_kib
    free_kib=$(df -k --output=avail "$MNT" | tail -1 | tr -d ' ')
    [ "$free_kib" -eq 0 ] || { echo "full-disk: dd left $free_kib KiB free" >&2; exit 1; }
    if [ "$1" -gt 0 ]; then truncate -s "-$1K" "$MNT/fill"; fi
}

# old_files_kept NAME: every good file is byte for byte what it was, and no temporary file lies
# around.
old_files_kept() {
    local f
    for f in "${GOOD[@]}"; do
        cmp -s "$MNT/$f" "$KEEP/$f" || fail "$1: $f changed"
    done
    local stray
    stray=$(find "$MNT" \( -name '*.tmp-*' -o -name '.dat.nosync*' \) -print)
    [ -z "$stray" ] || fail "$1: temporary files left: $stray"
}

# must_fail NAME FILE CMD...: CMD exits non-zero and says why, naming FILE.
must_fail() {
    local name=$1 file=$2; shift 2
    local status=0
    "$@" >"$LOG" 2>&1 || status=$?
    if [ "$status" -eq 0 ]; then
        fail "$name: succeeded on a full disk"
    elif ! grep -q "$file" "$LOG"; then
        fail "$name: the message does not name $file: $(tail -2 "$LOG")"
    elif ! grep -q "No space left on device" "$LOG"; then
        fail "$name: the message does not say the disk is full: $(tail -2 "$LOG")"
    else
        pass "$name: exit $status, $(grep -m1 "$file" "$LOG" | cut -c1-200)"
    fi
    old_files_kept "$name"
}

echo "== the disk full"
fill 0
must_fail "train --out" "$MNT/model.safetensors" train 1
grep -q "warning: .*epoch-0001.safetensors.*No space left" "$LOG" \
    && pass "train: the failed checkpoint is reported" || fail "train: no warning for the checkpoint: $(head -5 "$LOG")"
must_fail "jam --midi" "$MNT/jam.mid" jam 1
must_fail "render" "$MNT/render.wav" render 44100

echo "== 256 KiB free: the WAV runs out of space half way"
fill 256
before=$(df -k --output=avail "$MNT" | tail -1 | tr -d ' ')
must_fail "render" "$MNT/render.wav" render 44100
must_fail "jam --wav" "$MNT/jam.wav" "$IMPROV" jam --seed 1 --wav "$MNT/jam.wav"
after=$(df -k --output=avail "$MNT" | tail -1 | tr -d ' ')
[ "$after" -eq "$before" ] && pass "the space the half-written WAVs took is free again ($after KiB)" \
    || fail "free space $before KiB before, $after KiB after"

echo "== space again"
rm -f "$MNT/fill"
ok_run() {
    local name=$1; shift
    if "$@" >"$LOG" 2>&1; then pass "$name"; else fail "$name: exit $?: $(tail -2 "$LOG")"; fi
}
ok_run "train --out" train 1
ok_run "jam --midi --wav" jam 1
ok_run "render" render 44100
for f in "${GOOD[@]}"; do
    [ -s "$MNT/$f" ] || fail "$f missing after the runs with space"
done
for f in model.safetensors model.checkpoints/epoch-0002.safetensors jam.mid jam.wav render.wav; do
    cmp -s "$MNT/$f" "$KEEP/$f" && fail "$f was not rewritten" || true
done
"$IMPROV" inspect "$MNT/jam.mid" >/dev/null && pass "the new MIDI file reads back" || fail "the new MIDI file does not read"
"$IMPROV" jam --model "$MNT/model.safetensors" --midi "$MNT/again.mid" >"$LOG" 2>&1 && pass "the new model loads" || fail "the new model does not load"
for f in jam.wav render.wav; do
    [ "$(head -c 4 "$MNT/$f")" = RIFF ] && pass "$f is a RIFF file of $(stat -c %s "$MNT/$f") bytes" || fail "$f is not a RIFF file"
done
stray=$(find "$MNT" \( -name '*.tmp-*' -o -name '.dat.nosync*' \) -print)
[ -z "$stray" ] || fail "temporary files left: $stray"

if [ "$failures" -gt 0 ]; then
    echo "full-disk: $failures check(s) failed"
    exit 1
fi
echo "full-disk: all checks passed"
