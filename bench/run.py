#!/usr/bin/env python3
"""improv's model benchmarks beside the PyTorch reference, in one invocation.

    make bench            (or: python3 bench/run.py [--runs N] [--target-seeds N] [--pytorch-limit S])

Runs each Swift measurement and its PyTorch twin alternately, N times, takes medians, and
writes bench/RESULTS.md with the ratios, the machine and the command. Figures are medians
over runs; ratios are PyTorch's median over improv's median from the same invocation.
"""
import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, ".build", "release", "improv-bench")
PY = [sys.executable, os.path.join(ROOT, "bench", "pytorch_reference.py")]
PYF = [sys.executable, os.path.join(ROOT, "bench", "pytorch_fused.py")]


def run(cmd):
    out = subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--target-seeds", type=int, default=5)
    ap.add_argument("--pytorch-limit", type=float, default=300)
    ap.add_argument("--pytorch-target-runs", type=int, default=1)
    args = ap.parse_args()

    subprocess.run(["swift", "build", "-c", "release", "--product", "improv-bench"], cwd=ROOT, check=True)
    run([BENCH, "export", "bench/.data"])

    step_s, slice_s, step_p, thr_s, thr_p, thr_f = [], [], [], [], [], []
    for i in range(args.runs):
        s = run([BENCH, "step"])
        step_s.append(s["ns_per_step"])
        slice_s.append(s["ns_per_slice"])
        step_p.append(run(PY + ["step"])["ns_per_step"])
        thr_s.append(run([BENCH, "train-throughput"])["slices_per_second"])
        thr_p.append(run(PY + ["train-throughput"])["slices_per_second"])
        # PyTorch at its best: fused LSTM layers over whole sequences, one thread (better than
        # two here), the same batch 8 and an epoch's worth of batches.
        thr_f.append(run(PYF + ["train-throughput", "--size", "4x2+4x2", "--batch", "8", "--threads", "1",
                                "--batches", "16"])["slices_per_second"])
        print(f"run {i + 1}/{args.runs}: step {step_s[-1]:.0f} ns vs {step_p[-1]:.0f} ns; "
              f"training {thr_s[-1]:.0f} vs {thr_p[-1]:.0f} (fused {thr_f[-1]:.0f}) slices/s", flush=True)

    ttt_s = [run([BENCH, "time-to-target", "--seed", str(seed)]) for seed in range(1, args.target_seeds + 1)]
    print("improv time to target:", [round(r["seconds"], 1) for r in ttt_s], flush=True)
    ttt_p = [run(PY + ["time-to-target", "--seed", str(seed), "--limit", str(args.pytorch_limit)])
             for seed in range(1, args.pytorch_target_runs + 1)]
    print("pytorch time to target:", [(round(r["seconds"], 1), r["reached"]) for r in ttt_p], flush=True)

    med = statistics.median
    swift_ttt = med(r["seconds"] for r in ttt_s)
    torch_ttt = med(r["seconds"] for r in ttt_p)
    torch_reached = all(r["reached"] for r in ttt_p)
    ttt_ratio = torch_ttt / swift_ttt
    seeds_text = ", ".join("%.1f" % r["seconds"] for r in ttt_s)
    torch_version = subprocess.run([sys.executable, "-c", "import torch; print(torch.__version__)"],
                                   capture_output=True, text=True).stdout.strip()
    lines = [
        "# Model benchmarks",
        "",
        f"Made by `make bench` (`python3 bench/run.py --runs {args.runs} --target-seeds {args.target_seeds} "
        f"--pytorch-limit {args.pytorch_limit:g} --pytorch-target-runs {args.pytorch_target_runs}`) on "
        f"{datetime.date.today()}, {platform.machine()}, {os.cpu_count()} cores, PyTorch {torch_version} (CPU).",
        "improv: release build, the built-in default model (4x2 chord + 4x2 melody LSTM cells).",
        "PyTorch: bench/pytorch_reference.py, the same network (dev/reference.py's equations) in float32,",
        "one thread (faster than two for these matrix sizes here). Medians over runs; ratio = PyTorch / improv.",
        "Throughput: both at Adam 0.01, batch 8. Time to target: both at improv's training defaults (Adam 0.02,",
        "batch 4, clip 1), checked after every epoch by the same free-running test.",
        "",
        "| figure | improv | PyTorch | ratio | target |",
        "|---|---|---|---|---|",
        f"| one network step, batch 1 (median of {args.runs}) | {med(step_s) / 1000:.2f} µs | {med(step_p) / 1000:.1f} µs "
        f"| {med(step_p) / med(step_s):.0f}x | step ≤ 5 µs, ratio ≥ 10 |",
        f"| one slice in real time: encode, step, sample | {med(slice_s) / 1000:.2f} µs | | | |",
        f"| training throughput, Adam, batch 8 (median of {args.runs}) | {med(thr_s):,.0f} slices/s | {med(thr_p):,.0f} slices/s "
        f"| {med(thr_s) / med(thr_p):.0f}x | |",
        f"| the same, PyTorch at its best: fused LSTM layers (bench/pytorch_fused.py), 1 thread | "
        f"{med(thr_s):,.0f} slices/s | {med(thr_f):,.0f} slices/s | {med(thr_s) / med(thr_f):.1f}x | |",
        f"| time to target: 100% form and ≥ 99% in scale over 100 free choruses | {swift_ttt:.1f} s "
        f"(median of {len(ttt_s)} seeds: {seeds_text}) "
        f"| {'' if torch_reached else 'not reached in '}{torch_ttt:.0f} s ({len(ttt_p)} run) "
        f"| {'≥ ' if not torch_reached else ''}{ttt_ratio:.0f}x | ≤ 60 s, ratio ≥ 3 |",
        "",
        "The step-by-step PyTorch reference is a slow baseline (a Python loop over steps); the fused row is",
        "the fair one. Sizes up to 128+256 cells, batch 32, 1 and 2 threads: bench/RESULTS-speed.md.",
        "",
        "Every improv time-to-target run " + ("reached the target." if all(r["reached"] for r in ttt_s)
                                              else "did NOT reach the target: see the seeds above."),
        "" if torch_reached else
        f"PyTorch did not reach the target within its {args.pytorch_limit:g} s limit, so its ratio is a lower bound.",
    ]
    with open(os.path.join(ROOT, "bench", "RESULTS.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
