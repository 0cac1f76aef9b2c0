#!/usr/bin/env python3
"""Sizes and speed: improv beside PyTorch at its best (bench/pytorch_fused.py), in one invocation.

    python3 bench/speed.py [--runs N] [--sizes 4x2+4x2,8x1+8x1,...] [--threads 1,2]

For every size: training throughput at batch 32 (Adam 0.01, clip 1) with 1 and 2 threads, improv
and fused PyTorch run alternately N times; the per-slice step at batch 1 (improv: encode, step,
sample; PyTorch: the fused cell kernel, step and sample). Medians over runs; every ratio is
against the strongest PyTorch run (best thread count) of the same invocation.
Writes bench/RESULTS-speed.md. Needs torch (skips PyTorch with a note when it is missing).
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
PYF = [sys.executable, os.path.join(ROOT, "bench", "pytorch_fused.py")]
# Batches per throughput run, so that each run takes about a second.
BATCHES = {"4x2+4x2": 8, "8x1+8x1": 8, "8x4+16x4": 4, "32x1+64x1": 2, "32x4+64x4": 2}
NAMES = {"4x2+4x2": "8+8 (default, 4x2+4x2)", "8x1+8x1": "8+8 (8x1+8x1)", "8x4+16x4": "32+64 (8x4+16x4)",
         "32x1+64x1": "32+64 (32x1+64x1)", "32x4+64x4": "128+256 (32x4+64x4)"}


def run(cmd):
    out = subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--sizes", default="4x2+4x2,8x1+8x1,8x4+16x4,32x4+64x4")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--batch", type=int, default=32)
    args = ap.parse_args()
    sizes, threads = args.sizes.split(","), [int(t) for t in args.threads.split(",")]

    subprocess.run(["swift", "build", "-c", "release", "--product", "improv-bench"], cwd=ROOT, check=True)
    run([BENCH, "export", "bench/.data"])
    torch_ok = "skipped" not in run(PYF + ["check"])
    if torch_ok:
        print("fused PyTorch == step-by-step equations:", run(PYF + ["check"]), flush=True)

    thr = {}   # (impl, size, threads) -> [slices/s]
    step = {}  # (impl, size) -> [(ns_per_step, ns_per_slice)]
    for i in range(args.runs):
        for size in sizes:
            nb = str(BATCHES.get(size, 2))
            for t in threads:
                common = ["--size", size, "--batch", str(args.batch), "--threads", str(t), "--batches", nb]
                thr.setdefault(("improv", size, t), []).append(
                    run([BENCH, "train-throughput"] + common)["slices_per_second"])
                if torch_ok:
                    thr.setdefault(("pytorch", size, t), []).append(
                        run(PYF + ["train-throughput"] + common)["slices_per_second"])
            s = run([BENCH, "step", "--size", size, "--steps", "20000"])
            step.setdefault(("improv", size), []).append((s["ns_per_step"], s["ns_per_slice"]))
            if torch_ok:
                p = run(PYF + ["step", "--size", size, "--threads", "1", "--steps", "3000"])
                step.setdefault(("pytorch", size), []).append((p["ns_per_step"], p["ns_per_slice"]))
            print(f"run {i + 1}/{args.runs} {size}: " + ", ".join(
                f"{k[0]} {k[2]}t {v[-1]:,.0f}" for k, v in thr.items() if k[1] == size), flush=True)

    med = statistics.median
    torch_version = subprocess.run([sys.executable, "-c", "import torch; print(torch.__version__)"],
                                   capture_output=True, text=True).stdout.strip() if torch_ok else "not installed"
    lines = [
        "# Sizes and speed: improv beside fused PyTorch",
        "",
        f"Made by `python3 bench/speed.py --runs {args.runs} --sizes {args.sizes} --threads {args.threads}` "
        f"(part of `make bench`) on {datetime.date.today()}, {platform.machine()}, {os.cpu_count()} cores "
        f"shared with other jobs, PyTorch {torch_version}.",
        f"Training: Adam 0.01, clip 1, batch {args.batch}, the Eck corpus (sequences of 191 slices); improv's Trainer",
        "against bench/pytorch_fused.py (the same masked network as fused LSTM layers over the whole sequence;",
        "the file says how it matches). Figures are medians of the runs; ratio = improv / the best PyTorch",
        "median of the same size (its better thread count), so > 1 means improv is faster.",
        "",
        "| size (chord + melody cells) | parameters | improv 1 thread | improv 2 threads | PyTorch 1 thread | "
        "PyTorch 2 threads | improv best / PyTorch best |",
        "|---|---|---|---|---|---|---|",
    ]
    for size in sizes:
        (bc, nc), (bm, nm) = [tuple(int(v) for v in p.split("x")) for p in size.split("+")]
        hc, hm = bc * nc, bm * nm
        params = (13 + hc) * (hc + 3 * bc) + (hc + 3 * bc) + (15 + hc + hm) * (hm + 3 * bm) + (hm + 3 * bm) \
            + (hc + 13) * 13 + 13 + (hm + 15) * 27 + 27
        row = [NAMES.get(size, size), f"{params:,}"]
        best_i = max(med(thr[("improv", size, t)]) for t in threads)
        for impl in ("improv", "pytorch"):
            for t in threads:
                v = thr.get((impl, size, t))
                row.append(f"{med(v):,.0f} slices/s" if v else "n/a")
        if torch_ok:
            best_p = max(med(thr[("pytorch", size, t)]) for t in threads)
            row.append(f"{best_i / best_p:.2f}x")
        else:
            row.append("n/a")
        lines.append("| " + " | ".join(row) + " |")
    lines += [
        "",
        "Per-slice step at batch 1 (median over runs of the mean over 20,000 steps for improv, 3,000 for PyTorch):",
        "improv's slice is the engine's work (encode the heard slice, step, sample the next); its step is",
        "the network alone. PyTorch: two fused `lstm_cell` calls and the output layers, one thread; its",
        "slice adds the threshold and the multinomial draw. Target: a 128+256 slice under 50 µs.",
        "",
        "| size | improv step | improv slice | PyTorch step | PyTorch slice | PyTorch slice / improv slice |",
        "|---|---|---|---|---|---|",
    ]
    for size in sizes:
        si = step[("improv", size)]
        row = [NAMES.get(size, size), f"{med(x[0] for x in si) / 1000:.2f} µs", f"{med(x[1] for x in si) / 1000:.2f} µs"]
        sp = step.get(("pytorch", size))
        if sp:
            row += [f"{med(x[0] for x in sp) / 1000:.1f} µs", f"{med(x[1] for x in sp) / 1000:.1f} µs",
                    f"{med(x[1] for x in sp) / med(x[1] for x in si):.0f}x"]
        else:
            row += ["n/a"] * 3
        lines.append("| " + " | ".join(row) + " |")
    lines += ["", "Raw runs (slices/s):", ""]
    for k, v in thr.items():
        lines.append(f"- {k[0]} {k[1]} {k[2]} thread(s): " + ", ".join(f"{x:,.0f}" for x in v))
    out = os.path.join(ROOT, "bench", "RESULTS-speed-table.md")
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
