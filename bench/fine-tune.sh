#!/usr/bin/env bash
# Times the live learner's fine-tune (bench/fine-tune/main.swift) with -O: compiles AtomicFiles
# and LSTMModel from source with swiftc into a temporary folder, then runs the timing tool.
# Run from the package root: bench/fine-tune.sh
set -euo pipefail
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
swiftc -O -wmo -parse-as-library -module-name AtomicFiles -emit-module -emit-module-path "$out/AtomicFiles.swiftmodule" \
    -emit-library -static -o "$out/libAtomicFiles.a" Sources/AtomicFiles/*.swift
swiftc -O -wmo -I "$out" -L "$out" -lAtomicFiles -module-name FineTuneBench -o "$out/fine-tune" \
    Sources/LSTMModel/*.swift bench/fine-tune/main.swift
"$out/fine-tune"
