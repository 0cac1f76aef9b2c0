#!/bin/sh
# The 10-minute soak of improv daemon in the real-ALSA VM (Tests/vm/soak-player.sh): a scripted
# player calls and waits for each answer. Not part of `make test`. Prints the figures.
#   scripts/soak.sh            # 600 s
#   scripts/soak.sh 120        # a shorter run
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SOAK_SECONDS=${1:-${SOAK_SECONDS:-600}} VM_TESTS=soak exec "$ROOT/scripts/vm-test.sh"
