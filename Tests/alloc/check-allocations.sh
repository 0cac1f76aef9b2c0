#!/usr/bin/env bash
# The allocation check of the per-slice path (Tests/alloc/README.md): builds alloc-check in
# release (as improv runs; a debug build allocates in unspecialized generic code where the
# release build does not) and the counting allocator, then runs every check with the
# allocator preloaded. Fails if any check counts an allocation. Run from anywhere.
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --product alloc-check
bin=$(swift build -c release --show-bin-path)
shim="$bin/alloc/libcount-allocations.so"
mkdir -p "$(dirname "$shim")"
if [ ! -e "$shim" ] || [ Tests/alloc/count-allocations.c -nt "$shim" ]; then
    cc -shared -fPIC -O2 -Wall -Wextra -Werror -o "$shim" Tests/alloc/count-allocations.c
fi
LD_PRELOAD="$shim" "$bin/alloc-check" "$@"
