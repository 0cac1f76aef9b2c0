#!/bin/sh
# Runs the ALSA sequencer VM suite: builds alsa-probe on the host, boots ONE small VM
# (virtme-ng, qemu TCG, Debian's kernel with snd-seq-dummy / snd-virmidi / snd-aloop) and
# runs Tests/vm/run-inside.sh, which runs every Tests/vm/test-*.sh. Prints PASS/FAIL per
# test; exits non-zero if any test failed or the VM could not run (and says why).
# Tests/vm/README.md describes the suite: its tests, fixtures, host-side checks and figures.
#
#   scripts/vm-test.sh              # install what is missing, build, boot, test
#   VM_TIMEOUT=900 KERNEL=/boot/vmlinuz-X scripts/vm-test.sh
#   VM_TESTS="n o" scripts/vm-test.sh            # only test-n-*.sh and test-o-*.sh ("soak": soak-*.sh)
#   VM_IMPROV=/abs/path/to/improv scripts/vm-test.sh   # test that binary (e.g. a sanitizer build)
# A test's time limit is 90 s unless its file has a "# timeout: SECONDS" line. Variables the
# tests read (FLOOD_RATE, FLOOD_SECONDS, SOAK_SECONDS) are passed to the guest when set.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT="$ROOT/.vmtest"
die() { echo "vm-test: ERROR: $*" >&2; exit 2; }

rm -rf "$OUT" && mkdir -p "$OUT" || die "cannot create $OUT"

# 1. Tools, installed only when missing.
missing=""
command -v qemu-system-x86_64 >/dev/null || missing="$missing qemu-system-x86"
command -v aplaymidi >/dev/null || missing="$missing alsa-utils"
command -v socat >/dev/null || missing="$missing socat"
command -v curl >/dev/null || missing="$missing curl"   # test v talks to the control page
ls /boot/vmlinuz-* >/dev/null 2>&1 || missing="$missing linux-image-amd64"
# vng needs a statically linked busybox for the guest's init (not in the shared recipe).
bb=$(command -v busybox || true)
[ -n "$bb" ] && ! ldd "$bb" >/dev/null 2>&1 || missing="$missing busybox-static"
if [ -n "$missing" ]; then
    echo "vm-test: installing$missing"
    { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing; } >"$OUT/apt.log" 2>&1 \
        || die "apt-get install$missing failed (log: $OUT/apt.log)"
fi
PY=$(command -v python3) || die "python3 not found"
PY=$("$PY" -c 'import sys; print(sys.executable)')
"$PY" -c 'import mido' 2>/dev/null || "$PY" -m pip install -q mido || die "pip install mido failed"
# pip puts vng in this Python's own scripts folder, which a pyenv shim or a PATH may not cover
# (a fresh machine has no shim for it until a rehash): look there first, then on the PATH.
PYSCRIPTS=$("$PY" -c 'import sysconfig; print(sysconfig.get_path("scripts"))')
find_vng() { if [ -x "$PYSCRIPTS/vng" ]; then echo "$PYSCRIPTS/vng"; else command -v vng; fi; }
VNG=$(find_vng) || { "$PY" -m pip install -q virtme-ng || die "pip install virtme-ng failed"; }
VNG=$(find_vng) || die "vng is neither in $PYSCRIPTS nor on PATH after installing virtme-ng"
# vng runs its helpers (virtme-ng-init, virtme-run) from the same folder.
PATH="$PYSCRIPTS:$PATH"; export PATH

# 2. The kernel: $KERNEL, else the newest /boot/vmlinuz-* that has its modules.
if [ -z "${KERNEL:-}" ]; then
    for k in $(ls -v /boot/vmlinuz-* 2>/dev/null); do
        [ -d "/lib/modules/${k#/boot/vmlinuz-}/kernel/sound" ] && KERNEL=$k
    done
fi
[ -n "${KERNEL:-}" ] || die "no kernel in /boot with ALSA modules in /lib/modules (apt-get install linux-image-amd64)"
[ -r "$KERNEL" ] || die "kernel $KERNEL is not readable"
KVER=${KERNEL#/boot/vmlinuz-}
for m in snd-seq-dummy snd-virmidi snd-aloop; do
    find "/lib/modules/$KVER" -name "$(echo $m | tr - _).ko*" -o -name "$m.ko*" | grep -q . \
        || die "module $m missing for kernel $KVER"
done

# 3. The tests: all Tests/vm/test-*.sh, or the ones VM_TESTS names (by letter or name).
if [ -n "${VM_TESTS:-}" ]; then
    TESTS=""
    for w in $VM_TESTS; do
        hit=$(ls "$ROOT"/Tests/vm/test-"$w".sh "$ROOT"/Tests/vm/test-"$w"-*.sh "$ROOT"/Tests/vm/"$w".sh "$ROOT"/Tests/vm/"$w"-*.sh 2>/dev/null)
        [ -n "$hit" ] || die "VM_TESTS: no test named $w in Tests/vm"
        TESTS="$TESTS $hit"
    done
else
    TESTS=$(ls "$ROOT"/Tests/vm/test-*.sh)
fi
TESTS=$(echo $TESTS)
ntests=$(echo "$TESTS" | wc -w)
# The VM's own limit: every test's limit, plus boot and slack.
if [ -z "${VM_TIMEOUT:-}" ]; then
    VM_TIMEOUT=120
    for t in $TESTS; do
        lim=$(sed -n 's/^# timeout: *\([0-9][0-9]*\).*/\1/p' "$t" | head -n1)
        VM_TIMEOUT=$((VM_TIMEOUT + ${lim:-90} + 10))
    done
fi

# 4. Build on the host; the VM runs the host's binary through its read-only view.
if [ -n "${VM_IMPROV:-}" ]; then
    build="swift build --product alsa-probe"
    IMPROV=$VM_IMPROV
    case "$IMPROV" in /*) ;; *) die "VM_IMPROV must be an absolute path (the guest sees the host's files at the same paths)" ;; esac
else
    build="swift build --product alsa-probe && swift build --product improv"
    IMPROV="$ROOT/.build/debug/improv"
fi
(cd "$ROOT" && eval "$build") >"$OUT/build.log" 2>&1 \
    || { tail -20 "$OUT/build.log"; die "swift build failed (log: $OUT/build.log)"; }
PROBE="$ROOT/.build/debug/alsa-probe"
[ -x "$PROBE" ] || die "no $PROBE after building"
[ -x "$IMPROV" ] || die "no improv at $IMPROV"
[ -s "$ROOT/Tests/vm/fixtures/call.mid" ] || "$PY" "$ROOT/Tests/vm/make-fixture.py" "$ROOT/Tests/vm/fixtures/call.mid" \
    || die "cannot make the MIDI fixture"

# The browser test (w) needs a real browser, which runs here (Chromium in the TCG guest took
# 160 s a page): a free host port forwarded to the guest's 8737 on a network of its own
# (restrict=on: the guest reaches nothing else), and Tests/vm/host_browser.py to drive it.
WEB_PORT=""; netopts=""
case " $TESTS " in *" $ROOT/Tests/vm/test-w-"*)
    command -v chromium >/dev/null || { apt-get install -y -q chromium >>"$OUT/apt.log" 2>&1 || die "apt-get install chromium failed (log: $OUT/apt.log)"; }
    "$PY" -c 'import websockets' 2>/dev/null || "$PY" -m pip install -q websockets || die "pip install websockets failed"
    WEB_PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])') \
        || die "no free port on the host for the browser test"
    netopts="-netdev user,id=web,restrict=on,hostfwd=tcp:127.0.0.1:$WEB_PORT-10.0.2.15:8737 -device virtio-net-pci,netdev=web"
    ;;
esac

# 5. One VM for the whole suite.
{
    printf 'PROBE=%s\nIMPROV=%s\nTESTS="%s"\n' "$PROBE" "$IMPROV" "$TESTS"
    [ -n "$WEB_PORT" ] && printf 'WEB_PORT=%s\nexport WEB_PORT\n' "$WEB_PORT"
    for v in FLOOD_RATE FLOOD_SECONDS SOAK_SECONDS; do
        eval "val=\${$v:-}"
        [ -n "$val" ] && printf '%s=%s\nexport %s\n' "$v" "$val" "$v"
    done
} >"$OUT/env.sh"
echo "vm-test: kernel $KVER, $ntests tests, improv $IMPROV, timeout ${VM_TIMEOUT}s; booting (TCG, ~20 s)..."
t0=$(date +%s)
browser=""
if [ -n "$WEB_PORT" ]; then
    # In a session of its own, so the browser it starts goes with it.
    setsid "$PY" "$ROOT/Tests/vm/host_browser.py" "$OUT" "$WEB_PORT" >"$OUT/host_browser.log" 2>&1 &
    browser=$!
fi
timeout -k 10 "$VM_TIMEOUT" "$VNG" --force-9p --disable-kvm --run "$KERNEL" --user root \
    --rwdir "$OUT" ${netopts:+"--qemu-opts=$netopts"} --exec "sh $ROOT/Tests/vm/run-inside.sh $OUT" </dev/null >"$OUT/vng.log" 2>&1
vrc=$?
[ -n "$browser" ] && { kill -- "-$browser" 2>/dev/null; wait "$browser" 2>/dev/null; }
t1=$(date +%s)
echo "vm-test: VM ran $((t1 - t0)) s (vng exit $vrc)"

# 6. Results: never pass silently.
if [ ! -s "$OUT/results.txt" ]; then
    tail -30 "$OUT/vng.log"
    [ $vrc -eq 124 ] && die "the VM timed out after ${VM_TIMEOUT}s before any result (log: $OUT/vng.log)"
    die "the VM produced no results (vng exit $vrc; log: $OUT/vng.log, $OUT/inside.log)"
fi
# Host-side checks: Python is far too slow in the guest (TCG + 9p: `import mido` took
# 15-30 s there), so a test that needs mido leaves "host-check" (midicheck.py arguments)
# in its folder and the check runs here, on the files the guest recorded.
: >"$OUT/final.txt"
while read -r verdict name rest; do
    if [ "$verdict" = PASS ] && [ -s "$OUT/$name/host-check" ]; then
        if (cd "$OUT/$name" && "$PY" "$ROOT/Tests/vm/midicheck.py" $(cat host-check)) >"$OUT/$name/host-check.log" 2>&1; then
            echo "PASS $name $rest + host check" >>"$OUT/final.txt"
        else
            echo "FAIL $name (host check: $OUT/$name/host-check.log)" >>"$OUT/final.txt"
        fi
    else
        echo "$verdict $name${rest:+ $rest}" >>"$OUT/final.txt"
    fi
done <"$OUT/results.txt"
cat "$OUT/final.txt"
# Figures the load and fault tests print in their logs ("figure: ...").
grep -h '^figure' "$OUT"/*/log.txt 2>/dev/null | sed 's/^/    /'
grep -h -E '^(echo offsets|onsets|lengths|figure)|deviations' "$OUT"/*/host-check.log 2>/dev/null | sed 's/^/    /'
status=0
if grep -q '^FAIL' "$OUT/final.txt"; then
    for name in $(sed -n 's/^FAIL \([^ ]*\).*/\1/p' "$OUT/final.txt"); do
        for log in "$OUT/$name/log.txt" "$OUT/$name/host-check.log"; do
            [ -s "$log" ] && { echo "----- $name: last lines of $log"; tail -15 "$log"; }
        done
    done
    status=1
fi
npass=$(grep -c '^PASS' "$OUT/final.txt")
if ! grep -q '^DONE' "$OUT/results.txt"; then
    [ $vrc -eq 124 ] && echo "vm-test: ERROR: the VM timed out after ${VM_TIMEOUT}s mid-suite" >&2 \
        || echo "vm-test: ERROR: the suite did not finish (vng exit $vrc; see $OUT/inside.log)" >&2
    status=1
elif [ "$npass" -ne "$ntests" ]; then
    echo "vm-test: ERROR: $npass of $ntests tests passed" >&2
    status=1
fi
[ $status -eq 0 ] && echo "vm-test: all $ntests tests passed" || echo "vm-test: FAILED (logs in $OUT)"
# The plain closing line that CI reads.
echo "vm-test: $npass passed, $((ntests - npass)) failed"
exit $status
