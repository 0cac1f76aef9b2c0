#!/usr/bin/env python3
"""Training throughput of improv_torch (python/improv_torch, torchrun + DistributedDataParallel,
gloo on CPU) with 1 and 2 processes beside improv's own `improv train`, on the same corpus and
topology; writes bench/RESULTS-torch.md.

    python3 bench/torch-throughput.py [--runs 3] [--epochs 3] [--improv .build/release/improv]

The corpus is the Eck blues (256 training choruses, 128 pieces of two choruses, 24,448 training
steps an epoch), exported with `improv export-corpus`; the network 8x2+8x2 LSTM cells (improv
train's default on the Eck corpus). Each run trains --epochs epochs from scratch; its figure is
the median over its epochs after the first (warm-up) of the training slices per second
(forward, backward and update; the held-out loss and the checks are not counted). The table
gives the median of --runs runs.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
EPOCH = re.compile(r"^epoch (\d+): .* ([0-9.]+) slices/s", re.M)


def figure(output):
    rates = [float(m.group(2)) for m in EPOCH.finditer(output.replace("\r", "\n"))]
    if len(rates) < 2:
        raise SystemExit("no epoch lines in:\n" + output[-2000:])
    return statistics.median(rates[1:])


def run(cmd, env=None):
    done = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stdout[-3000:]}")
    return done.stdout


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--improv", default=os.path.join(ROOT, ".build/release/improv"))
    p.add_argument("--write", default=os.path.join(HERE, "RESULTS-torch.md"))
    a = p.parse_args()
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "python"), OMP_NUM_THREADS="1")
    work = tempfile.mkdtemp(prefix="improv-torch-bench-")
    corpus = os.path.join(work, "corpus")
    run([a.improv, "export-corpus", "--corpus", "eck-blues", "--out", corpus])
    configs = {
        "improv train (2 threads, batch 2)": lambda i: [a.improv, "train", "--corpus", "eck-blues", "--epochs", str(a.epochs),
                                                        "--no-target", "--seed", str(i + 1), "--threads", "2",
                                                        "--out", os.path.join(work, f"swift-{i}.safetensors")],
        "improv_torch, 1 process (batch 2)": lambda i: torch_cmd(corpus, work, i, a.epochs, 1),
        "improv_torch, 2 processes (batch 2 each)": lambda i: torch_cmd(corpus, work, i, a.epochs, 2),
    }
    results = {}
    for name, make in configs.items():
        figures = []
        for i in range(a.runs):
            figures.append(figure(run(make(i), env)))
            print(f"{name}, run {i + 1}: {figures[-1]:,.0f} slices/s", flush=True)
        results[name] = figures
    write(a, results)


def torch_cmd(corpus, work, i, epochs, procs):
    return [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node", str(procs), "--master_port", str(29700 + i),
            "-m", "improv_torch", "train", "--data", corpus, "--out", os.path.join(work, f"torch-{procs}-{i}.safetensors"),
            "--size", "8x2+8x2", "--batch", "2", "--epochs", str(epochs), "--seed", str(i + 1)]


def write(a, results):
    import torch
    lines = ["# improv_torch beside improv train: training throughput", "",
             f"Measured {time.strftime('%Y-%m-%d', time.gmtime())} on this machine: 2 cores shared with other jobs, "
             f"no GPU; PyTorch {torch.__version__}, gloo backend, one torch thread a process.",
             "Eck blues corpus, 256 training choruses (24,448 training steps an epoch), 8x2+8x2 LSTM cells; "
             f"median over epochs 2-{a.epochs} of a run, then the median of {a.runs} runs.", "",
             "| trainer | slices/s (median) | runs |", "|---|---:|---|"]
    for name, figs in results.items():
        lines.append(f"| {name} | {statistics.median(figs):,.0f} | {', '.join(f'{f:,.0f}' for f in figs)} |")
    lines += ["", "Command:", "", "    python3 bench/torch-throughput.py --runs 3 --epochs 3", "",
              "Not measured here: GPUs (NCCL) and several machines; this machine has neither.", ""]
    with open(a.write, "w") as f:
        f.write("\n".join(lines))
    print(f"wrote {a.write}")


if __name__ == "__main__":
    main()
