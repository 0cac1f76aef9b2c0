#!/usr/bin/env bash
# Installs what improv needs to build and test, and only what is missing:
# Debian packages (C libraries, pkg-config, alsa-utils) and Python packages (the test peers).
# Safe to run again; needs root (as on the build machines) or sudo for apt.
set -euo pipefail

# systemd: systemd-analyze and systemd-sysusers check the units (Tests/install); man-db renders the man page.
# chromium and websockets: the control page's browser test (Tests/ControlPageTests/browser).
apt_packages=(pkg-config libasound2-dev libfluidsynth-dev systemd man-db chromium)
python_modules=(mido safetensors numpy music21 pytest websockets)

missing=()
for p in "${apt_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "install-deps: apt packages: ${missing[*]}"
    sudo_cmd=""
    [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q "${missing[@]}"
fi

missing=()
for m in "${python_modules[@]}"; do
    python3 -c "import $m" 2>/dev/null || missing+=("$m")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "install-deps: pip packages: ${missing[*]}"
    python3 -m pip install -q "${missing[@]}"
fi

# PyTorch for the distributed trainer (python/improv_torch) and its tests: the CPU build, from
# the wheel folder pip is configured with when it has one (PyPI's Linux torch is the CUDA build).
if ! python3 -c "import torch" 2>/dev/null; then
    wheel=""
    for dir in $(python3 -m pip config get global.find-links 2>/dev/null || true); do
        for w in "$dir"/torch-*+cpu-*.whl; do [ -e "$w" ] && wheel="$w"; done
    done
    echo "install-deps: pip package: torch ${wheel:-(PyPI)}"
    python3 -m pip install -q "${wheel:-torch}"
fi
