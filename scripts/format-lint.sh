#!/usr/bin/env bash
# The format lint of `make check`: the toolchain's `swift format lint` with the committed
# .swift-format (its rules: the ones this code passes, each on). swift-format always also
# reports where its pretty printer would lay the code out otherwise, and that cannot be turned
# off (swiftlang/swift-format#764); this code was never laid out by it (thousands of such
# findings: indentation of continuation lines, line breaks), so those categories are left out
# here and everything else fails the lint: the rules, trailing whitespace, more than one blank
# line, tabs in spacing, and any file swift-format cannot parse.
set -euo pipefail
cd "$(dirname "$0")/.."
layout='\[(Indentation|AddLines|RemoveLine|Spacing|TrailingComma|LineLength)\]'
findings=$(swift format lint --recursive --parallel Package.swift Sources Tests bench dev fuzz 2>&1 \
    | grep -v -E "$layout" | grep -v -E '^[^:]+:[0-9]+:[0-9]+: note:' || true)
if [ -n "$findings" ]; then
    echo "$findings"
    echo "format-lint: $(echo "$findings" | grep -c .) finding(s) (rules in .swift-format)" >&2
    exit 1
fi
echo "format-lint: OK"
