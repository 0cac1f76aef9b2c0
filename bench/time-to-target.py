#!/usr/bin/env python3
"""Time to the Eck target over many seeds, for one training configuration.

    python3 bench/time-to-target.py [--seeds 10] [--limit 30] [-- improv-bench options]
    e.g. python3 bench/time-to-target.py --seeds 10 -- --size 8x2+8x2 --lr 0.01 --batch 2

The target (TrainingRun's check after every epoch): 100% of bars in form and >= 99% of melody
notes in scale over 100 free-running choruses. A seed that misses the limit counts as the limit
(so a median or worst that equals it is a lower bound). Prints one JSON line per seed and a summary.
"""
import json
import os
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, ".build", "release", "improv-bench")


def main():
    args = sys.argv[1:]
    extra = args[args.index("--") + 1:] if "--" in args else []
    own = args[:args.index("--")] if "--" in args else args
    seeds = int(own[own.index("--seeds") + 1]) if "--seeds" in own else 10
    limit = own[own.index("--limit") + 1] if "--limit" in own else "30"
    results = []
    for seed in range(1, seeds + 1):
        out = subprocess.run([BENCH, "time-to-target", "--seed", str(seed), "--limit", limit] + extra,
                             cwd=ROOT, check=True, capture_output=True, text=True).stdout
        r = json.loads(out.strip().splitlines()[-1])
        results.append(r)
        print(json.dumps(r), flush=True)
    secs = [r["seconds"] for r in results]
    summary = {"config": " ".join(extra) or "defaults", "seeds": seeds, "limit": float(limit),
               "reached": sum(r["reached"] for r in results), "median_s": statistics.median(secs),
               "worst_s": max(secs), "seconds": [round(s, 1) for s in secs],
               "epochs": [r["epochs"] for r in results]}
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
