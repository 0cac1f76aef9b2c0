#!/usr/bin/env python3
"""The PyTorch side of bench/run.sh: the same chord-and-melody network as improv's LSTMModel
(the reference of dev/reference.py, here in float32 and batched), timed on the same data.

    python3 bench/pytorch_reference.py step            per-step latency, batch 1 (ns/step)
    python3 bench/pytorch_reference.py train-throughput slices per second of one epoch
    python3 bench/pytorch_reference.py time-to-target [--seed S]

Reads the data that `improv-bench export bench/.data` writes. Prints one JSON object.
"""
import json
import math
import os
import sys
import time

import numpy as np
import torch
from safetensors.numpy import load_file

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), ".data")
IC, IM, CM = 13, 15, 27          # the paper's encoding (SliceEncoding.eck)
BLOCKS, CPB = 4, 2               # Topology.default: 4 blocks of 2 cells per part
H = BLOCKS * CPB
G = H + 3 * BLOCKS


class ChordMelodyLSTM(torch.nn.Module):
    """Eck & Schmidhuber's split network, as Sources/LSTMModel/Parameters.swift lays it out:
    chord cells see x_c(t), h_c(t-1); melody cells see x_m(t), h_c(t-1), h_m(t-1); gates
    shared per block; sigmoid chord outputs over [h_c, x_c]; softmax melody over [h_m, x_m]."""

    def __init__(self, seed):
        super().__init__()
        g = torch.Generator().manual_seed(seed)

        def uniform(*shape, scale=0.1):
            return torch.nn.Parameter((torch.rand(*shape, generator=g) * 2 - 1) * scale)

        self.chord_w, self.chord_b = uniform(IC + H, G), uniform(G)
        self.melody_w, self.melody_b = uniform(IM + 2 * H, G), uniform(G)
        self.chord_out_w, self.chord_out_b = uniform(H + IC, IC), uniform(IC)
        self.melody_out_w, self.melody_out_b = uniform(H + IM, CM), uniform(CM)
        with torch.no_grad():  # the paper's staggered gate biases, -0.5 per block
            stagger = torch.tensor([-0.5 * (k + 1) for k in range(BLOCKS)])
            for b in (self.chord_b, self.melody_b):
                for gate in range(3):
                    b[H + gate * BLOCKS:H + (gate + 1) * BLOCKS] = stagger

    @staticmethod
    def lstm(z, c_prev):
        g = torch.tanh(z[:, :H])
        i = torch.sigmoid(z[:, H:H + BLOCKS]).repeat_interleave(CPB, dim=1)
        f = torch.sigmoid(z[:, H + BLOCKS:H + 2 * BLOCKS]).repeat_interleave(CPB, dim=1)
        o = torch.sigmoid(z[:, H + 2 * BLOCKS:]).repeat_interleave(CPB, dim=1)
        c = f * c_prev + i * g
        return o * torch.tanh(c), c

    def step(self, xc, xm, state):
        hc, cc, hm, cm = state
        zc = self.chord_b + torch.cat([xc, hc], 1) @ self.chord_w
        zm = self.melody_b + torch.cat([xm, hc, hm], 1) @ self.melody_w
        hc2, cc2 = self.lstm(zc, cc)
        hm2, cm2 = self.lstm(zm, cm)
        chord_logits = self.chord_out_b + torch.cat([hc2, xc], 1) @ self.chord_out_w
        melody_logits = self.melody_out_b + torch.cat([hm2, xm], 1) @ self.melody_out_w
        return chord_logits, melody_logits, (hc2, cc2, hm2, cm2)

    @staticmethod
    def zero_state(batch):
        z = torch.zeros(batch, H)
        return (z, z.clone(), z.clone(), z.clone())


def load(name):
    d = load_file(os.path.join(DATA, name))
    return {k: torch.from_numpy(v) for k, v in d.items()}


def sequence_loss(net, xc, xm, yc, ym):
    """Mean over slices of (sum of chord BCE + melody CE), BPTT over the whole sequence."""
    batch, steps = xc.shape[0], xc.shape[1]
    state = net.zero_state(batch)
    total = 0.0
    for t in range(steps):
        cl, ml, state = net.step(xc[:, t], xm[:, t], state)
        total = total + torch.nn.functional.binary_cross_entropy_with_logits(cl, yc[:, t], reduction="sum") \
            + torch.nn.functional.cross_entropy(ml, ym[:, t], reduction="sum")
    return total / (batch * steps)


def train_epoch(net, opt, data, gen, batch=8, clip=1.0):
    """One epoch of minibatch BPTT (batch 8 for the throughput figure; time-to-target uses
    improv's training defaults, batch 4 at 0.02)."""
    n = data["chord_inputs"].shape[0]
    order = torch.randperm(n, generator=gen)
    slices = 0
    for start in range(0, n, batch):
        idx = order[start:start + batch]
        loss = sequence_loss(net, data["chord_inputs"][idx], data["melody_inputs"][idx],
                             data["chord_targets"][idx], data["melody_targets"][idx])
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), clip)
        opt.step()
        slices += idx.numel() * data["chord_inputs"].shape[1]
    return slices


@torch.no_grad()
def free_run_figures(net, checks, choruses=100, seed=0):
    """The same check as improv's TrainingRun: a one-bar prime, then free running with chords
    by threshold 0.5 and the melody drawn from its distribution, each choice fed back."""
    gen = torch.Generator().manual_seed(seed)
    form = checks["form_chord_units"][:, :12]
    class_inputs = checks["melody_class_inputs"]
    in_scale = checks["melody_class_in_scale"]
    state = net.zero_state(1)
    for t in range(8):
        cl, ml, state = net.step(checks["prime_chord"][t:t + 1], checks["prime_melody"][t:t + 1], state)
    right_bars, bars, notes, on_scale = 0, 0, 0, 0
    bar_ok = True
    for s in range(8, choruses * 96):
        chord = (torch.sigmoid(cl) >= 0.5).float()
        k = torch.multinomial(torch.softmax(ml, 1)[0], 1, generator=gen).item()
        if chord[0, :12].ne(form[(s // 8) % 12]).any():
            bar_ok = False
        if in_scale[k] >= 0:
            notes += 1
            on_scale += int(in_scale[k] > 0)
        if s % 8 == 7:
            bars += 1
            right_bars += int(bar_ok)
            bar_ok = True
        cl, ml, state = net.step(chord, class_inputs[k:k + 1], state)
    return right_bars / bars, on_scale / max(notes, 1)


def main():
    what = sys.argv[1] if len(sys.argv) > 1 else ""
    seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 1
    if what == "step":
        torch.set_num_threads(1)
        net = ChordMelodyLSTM(seed)
        data = load("train.safetensors")
        xc, xm = data["chord_inputs"][0], data["melody_inputs"][0]
        state = net.zero_state(1)
        steps = 20000
        with torch.no_grad():
            for t in range(200):
                _, _, state = net.step(xc[t % 190:t % 190 + 1], xm[t % 190:t % 190 + 1], state)
            start = time.perf_counter_ns()
            for t in range(steps):
                _, _, state = net.step(xc[t % 190:t % 190 + 1], xm[t % 190:t % 190 + 1], state)
            elapsed = time.perf_counter_ns() - start
        print(json.dumps({"bench": "step", "impl": "pytorch", "steps": steps, "ns_per_step": elapsed / steps,
                          "threads": torch.get_num_threads(), "torch": torch.__version__}))
    elif what == "train-throughput":
        # One thread: with these small matrices PyTorch's second thread only adds contention
        # (measured here: ~1.1 ms per batch-8 step on one thread, 80 ms on two, machine loaded).
        torch.set_num_threads(1)
        net = ChordMelodyLSTM(seed)
        opt = torch.optim.Adam(net.parameters(), lr=0.01)
        data = load("train.safetensors")
        gen = torch.Generator().manual_seed(seed)
        start = time.perf_counter()
        slices = train_epoch(net, opt, data, gen)
        seconds = time.perf_counter() - start
        print(json.dumps({"bench": "train-throughput", "impl": "pytorch", "slices": slices, "seconds": seconds,
                          "slices_per_second": slices / seconds, "threads": torch.get_num_threads()}))
    elif what == "time-to-target":
        torch.set_num_threads(1)
        limit = float(sys.argv[sys.argv.index("--limit") + 1]) if "--limit" in sys.argv else 600
        torch.manual_seed(seed)
        net = ChordMelodyLSTM(seed)
        # improv's training defaults (TrainingRun.Options): Adam at 0.02, batches of 4, clip 1.
        opt = torch.optim.Adam(net.parameters(), lr=0.02)
        data, checks = load("train.safetensors"), load("checks.safetensors")
        gen = torch.Generator().manual_seed(seed)
        start = time.perf_counter()
        epochs, reached = 0, False
        while time.perf_counter() - start < limit:
            train_epoch(net, opt, data, gen, batch=4)
            epochs += 1
            form, scale = free_run_figures(net, checks, seed=seed)
            if form >= 1.0 and scale >= 0.99:
                reached = True
                break
        print(json.dumps({"bench": "time-to-target", "impl": "pytorch", "seed": seed, "reached": reached,
                          "seconds": time.perf_counter() - start, "epochs": epochs}))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
