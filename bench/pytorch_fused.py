#!/usr/bin/env python3
"""PyTorch at its best for improv's chord-and-melody network: fused LSTM layers over the whole
sequence (the kernel `nn.LSTM` calls), not a Python loop over steps.

    python3 bench/pytorch_fused.py train-throughput --size 4x2+4x2 --batch 32 --threads 1 [--batches N]
    python3 bench/pytorch_fused.py step --size 128x2+256x1 --threads 1
    python3 bench/pytorch_fused.py time-to-target --size 8x2+8x2 --batch 2 --lr 0.02 --threads 1 --seed S [--limit 60]
    python3 bench/pytorch_fused.py check                 fused network == step-by-step network

Reads the data that `improv-bench export bench/.data` writes. Prints one JSON object per run.
A size is chord BLOCKSxCELLS + melody BLOCKSxCELLS, as improv's Topology.

How this matches improv's network (Sources/LSTMModel/Network.swift, dev/reference.py):
- chord cells see x_c(t) and h_c(t-1) only: one fused LSTM over the chord inputs;
- melody cells see x_m(t), h_c(t-1) and h_m(t-1): a second fused LSTM whose input is
  [x_m(t), h_c(t-1)] (the chord LSTM's output shifted one step, zero at t = 0). Since the
  chord part never sees the melody, running it first over the whole sequence is exact;
- gates are shared by the cells of a block (one input, forget and output gate per block):
  the block gate weights are parameters of shape [in, blocks], repeated to every cell of the
  block (repeat_interleave) to form nn.LSTM's [4H, in] weight, so gradients of tied weights
  sum as in improv. With one cell per block this is plain nn.LSTM;
- no peepholes on either side (improv's Topology says so; nn.LSTM has none);
- one bias per part: nn.LSTM's second bias b_hh is held at zero;
- outputs as improv: sigmoid chord units over [h_c(t), x_c(t)], softmax melody over
  [h_m(t), x_m(t)]; loss (sum of chord BCE + melody CE) / slices; Adam, global-norm clip 1.
Where it differs: the fused kernel computes 4H gate pre-activations per part where improv
computes H + 3B (with B < H it does more arithmetic for the same function: 1.6x the gate
work at 2 cells per block, 2.3x at 4); exact sigmoid/tanh where improv uses its fast
approximations (FastMath.swift); float32 in both.
"""
import json
import math
import os
import sys
import time

try:
    import numpy as np
    import torch
    from safetensors.numpy import load_file
except ImportError as e:  # never break a caller: say what is missing
    print(json.dumps({"skipped": f"missing Python package: {e.name} (python3 -m pip install torch safetensors numpy)"}))
    sys.exit(0)

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), ".data")
IC, IM, CM = 13, 15, 27          # the paper's encoding (SliceEncoding.eck)


def parse_size(text):
    """'4x2+4x2' -> ((4, 2), (4, 2))."""
    try:
        chord, melody = text.split("+")
        return tuple(tuple(int(v) for v in part.split("x")) for part in (chord, melody))
    except ValueError:
        raise SystemExit(f"--size {text!r}: expected CHORDBLOCKSxCELLS+MELODYBLOCKSxCELLS, e.g. 4x2+4x2")


class Part(torch.nn.Module):
    """One part's LSTM blocks: improv's weight [in, H + 3B] as g [in, H] and i, f, o [in, B]."""

    def __init__(self, inputs, recurrent, blocks, cpb, gen):
        super().__init__()
        self.blocks, self.cpb, self.h = blocks, cpb, blocks * cpb
        self.inputs = inputs
        rows = inputs + recurrent

        def uniform(*shape):
            return torch.nn.Parameter((torch.rand(*shape, generator=gen) * 2 - 1) * 0.1)

        self.w_g, self.b_g = uniform(rows, self.h), uniform(self.h)
        self.w_gates, self.b_gates = uniform(rows, 3 * blocks), uniform(3 * blocks)
        with torch.no_grad():  # the paper's staggered gate biases, as improv's initialisation
            stagger = torch.tensor([-0.5 * (k + 1) for k in range(blocks)])
            for gate in range(3):
                self.b_gates[gate * blocks:(gate + 1) * blocks] = stagger
        self.register_buffer("b_zero", torch.zeros(4 * self.h))

    def fused_weights(self):
        """nn.LSTM's (w_ih [4H, in], w_hh [4H, H], b_ih, b_hh), gate order i, f, g, o."""
        B, n = self.blocks, self.cpb
        wi, wf, wo = (self.w_gates[:, k * B:(k + 1) * B].repeat_interleave(n, 1) for k in range(3))
        bi, bf, bo = (self.b_gates[k * B:(k + 1) * B].repeat_interleave(n) for k in range(3))
        w = torch.cat([wi, wf, self.w_g, wo], 1).t()
        b = torch.cat([bi, bf, self.b_g, bo])
        return w[:, :self.inputs].contiguous(), w[:, self.inputs:].contiguous(), b, self.b_zero


class FusedChordMelody(torch.nn.Module):
    def __init__(self, size, seed):
        super().__init__()
        (bc, nc), (bm, nm) = size
        gen = torch.Generator().manual_seed(seed)
        self.hc, self.hm = bc * nc, bm * nm
        # Chord: input x_c, recurrent h_c. Melody: input [x_m, h_c(t-1)], recurrent h_m.
        self.chord = Part(IC, self.hc, bc, nc, gen)
        self.melody = Part(IM + self.hc, self.hm, bm, nm, gen)
        self.chord_out = torch.nn.Linear(self.hc + IC, IC)
        self.melody_out = torch.nn.Linear(self.hm + IM, CM)

    def forward(self, xc, xm):
        """xc [T, B, Ic], xm [T, B, Im] time-major -> chord logits [T, B, Ic], melody logits [T, B, Cm]."""
        T, batch = xc.shape[0], xc.shape[1]
        zc = xc.new_zeros(1, batch, self.hc)
        hc, _, _ = torch._VF.lstm(xc, (zc, zc), self.chord.fused_weights(), True, 1, 0.0, self.training, False, False)
        hc_prev = torch.cat([zc, hc[:-1]], 0)
        zm = xc.new_zeros(1, batch, self.hm)
        hm, _, _ = torch._VF.lstm(torch.cat([xm, hc_prev], 2), (zm, zm), self.melody.fused_weights(), True, 1, 0.0,
                                  self.training, False, False)
        return self.chord_out(torch.cat([hc, xc], 2)), self.melody_out(torch.cat([hm, xm], 2))

    @torch.no_grad()
    def step_weights(self):
        return self.chord.fused_weights(), self.melody.fused_weights()

    @torch.no_grad()
    def step(self, weights, xc, xm, state):
        """One slice at batch 1 with the fused cell kernel (lstm_cell): xc [1, Ic], xm [1, Im]."""
        (wc, wm) = weights
        hc, cc, hm, cm = state
        hc2, cc2 = torch._VF.lstm_cell(xc, (hc, cc), *wc)
        hm2, cm2 = torch._VF.lstm_cell(torch.cat([xm, hc], 1), (hm, cm), *wm)
        chord = self.chord_out(torch.cat([hc2, xc], 1))
        melody = self.melody_out(torch.cat([hm2, xm], 1))
        return chord, melody, (hc2, cc2, hm2, cm2)


def load(name):
    path = os.path.join(DATA, name)
    if not os.path.exists(path):
        raise SystemExit(f"{path} is missing: run `.build/release/improv-bench export bench/.data` first")
    d = load_file(path)
    return {k: torch.from_numpy(v) for k, v in d.items()}


def batch_loss(net, xc, xm, yc, ym):
    """xc etc. batch-major [B, T, ...] as stored; mean over slices of chord BCE sum + melody CE."""
    xc, xm, yc = xc.transpose(0, 1), xm.transpose(0, 1), yc.transpose(0, 1)
    cl, ml = net(xc, xm)
    slices = xc.shape[0] * xc.shape[1]
    chord = torch.nn.functional.binary_cross_entropy_with_logits(cl, yc, reduction="sum")
    melody = torch.nn.functional.cross_entropy(ml.reshape(-1, CM), ym.t().reshape(-1), reduction="sum")
    return (chord + melody) / slices


def set_threads(n):
    torch.set_num_threads(n)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass


def train_throughput(size, batch, threads, batches, seed):
    set_threads(threads)
    net = FusedChordMelody(size, seed)
    opt = torch.optim.Adam(net.parameters(), lr=0.01)
    data = load("train.safetensors")
    n = data["chord_inputs"].shape[0]
    gen = torch.Generator().manual_seed(seed)

    def one(idx):
        loss = batch_loss(net, data["chord_inputs"][idx], data["melody_inputs"][idx],
                          data["chord_targets"][idx], data["melody_targets"][idx])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        opt.step()
        return idx.numel() * data["chord_inputs"].shape[1]

    one(torch.arange(min(batch, n)))  # warm up (allocator, oneDNN primitives)
    slices = 0
    start = time.perf_counter()
    done = 0
    while done < batches:
        order = torch.randperm(n, generator=gen)
        for s in range(0, n - batch + 1, batch):
            slices += one(order[s:s + batch])
            done += 1
            if done == batches:
                break
    seconds = time.perf_counter() - start
    return {"bench": "train-throughput", "impl": "pytorch-fused", "size": f"{size[0][0]}x{size[0][1]}+{size[1][0]}x{size[1][1]}",
            "batch": batch, "threads": torch.get_num_threads(), "batches": done, "slices": slices,
            "seconds": seconds, "slices_per_second": slices / seconds, "torch": torch.__version__}


def step(size, threads, steps, seed):
    set_threads(threads)
    net = FusedChordMelody(size, seed).eval()
    data = load("train.safetensors")
    xc, xm = data["chord_inputs"][0], data["melody_inputs"][0]
    T = xc.shape[0]
    w = net.step_weights()
    z = (torch.zeros(1, net.hc), torch.zeros(1, net.hc), torch.zeros(1, net.hm), torch.zeros(1, net.hm))
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        state = z
        for t in range(200):
            _, _, state = net.step(w, xc[t % T:t % T + 1], xm[t % T:t % T + 1], state)
        start = time.perf_counter_ns()
        for t in range(steps):
            _, _, state = net.step(w, xc[t % T:t % T + 1], xm[t % T:t % T + 1], state)
        step_ns = (time.perf_counter_ns() - start) / steps
        # A slice as the engine uses it: step, then sample the chord units and a melody class.
        start = time.perf_counter_ns()
        for t in range(steps):
            cl, ml, state = net.step(w, xc[t % T:t % T + 1], xm[t % T:t % T + 1], state)
            (torch.sigmoid(cl) >= 0.5)
            torch.multinomial(torch.softmax(ml, 1)[0], 1, generator=gen)
        slice_ns = (time.perf_counter_ns() - start) / steps
    return {"bench": "step", "impl": "pytorch-fused", "size": f"{size[0][0]}x{size[0][1]}+{size[1][0]}x{size[1][1]}",
            "threads": torch.get_num_threads(), "steps": steps, "ns_per_step": step_ns, "ns_per_slice": slice_ns}


@torch.no_grad()
def free_run_figures(net, checks, choruses=100, seed=0):
    """The check of improv's TrainingRun (as bench/pytorch_reference.py): a one-bar prime, then
    free running with chords by threshold 0.5 and the melody drawn from its distribution."""
    gen = torch.Generator().manual_seed(seed)
    form = checks["form_chord_units"][:, :12]
    class_inputs, in_scale = checks["melody_class_inputs"], checks["melody_class_in_scale"]
    w = net.step_weights()
    state = (torch.zeros(1, net.hc), torch.zeros(1, net.hc), torch.zeros(1, net.hm), torch.zeros(1, net.hm))
    for t in range(8):
        cl, ml, state = net.step(w, checks["prime_chord"][t:t + 1], checks["prime_melody"][t:t + 1], state)
    right_bars, bars, notes, on_scale, bar_ok = 0, 0, 0, 0, True
    for s in range(8, choruses * 96):
        chord = (cl >= 0).float()  # sigmoid(cl) >= 0.5
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
        cl, ml, state = net.step(w, chord, class_inputs[k:k + 1], state)
    return right_bars / bars, on_scale / max(notes, 1)


def time_to_target(size, batch, lr, threads, seed, limit):
    """improv's time-to-target protocol with the fused network: an epoch of Adam (clip 1) over the
    training sequences in shuffled batches, then the free-running check, until the target."""
    set_threads(threads)
    torch.manual_seed(seed)
    net = FusedChordMelody(size, seed)
    opt = torch.optim.Adam(net.parameters(), lr=lr)
    data, checks = load("train.safetensors"), load("checks.safetensors")
    n = data["chord_inputs"].shape[0]
    gen = torch.Generator().manual_seed(seed)
    start = time.perf_counter()
    epochs, reached = 0, False
    while time.perf_counter() - start < limit:
        net.train()
        order = torch.randperm(n, generator=gen)
        for s in range(0, n, batch):
            idx = order[s:s + batch]
            loss = batch_loss(net, data["chord_inputs"][idx], data["melody_inputs"][idx],
                              data["chord_targets"][idx], data["melody_targets"][idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            opt.step()
        epochs += 1
        net.eval()
        form, scale = free_run_figures(net, checks, seed=seed)
        if form >= 1.0 and scale >= 0.99:
            reached = True
            break
    return {"bench": "time-to-target", "impl": "pytorch-fused", "size": f"{size[0][0]}x{size[0][1]}+{size[1][0]}x{size[1][1]}",
            "batch": batch, "lr": lr, "threads": torch.get_num_threads(), "seed": seed, "reached": reached,
            "seconds": time.perf_counter() - start, "epochs": epochs}


def check(seed=1):
    """The fused layers compute the same function as a step-by-step loop over improv's
    equations (block-shared gates, melody seeing h_c(t-1)) with the same weights."""
    torch.set_num_threads(1)
    size = ((3, 2), (2, 3))
    net = FusedChordMelody(size, seed).double()
    gen = torch.Generator().manual_seed(seed)
    T, B = 7, 3
    xc = (torch.rand(T, B, IC, generator=gen) < 0.4).double()
    xm = (torch.rand(T, B, IM, generator=gen) < 0.4).double()
    cl, ml = net(xc, xm)

    def part(p, x, h, c):
        z = torch.cat([x, h], 1) @ torch.cat([p.w_g, p.w_gates], 1) + torch.cat([p.b_g, p.b_gates])
        H, Bk, n = p.h, p.blocks, p.cpb
        g = torch.tanh(z[:, :H])
        i, f, o = (torch.sigmoid(z[:, H + k * Bk:H + (k + 1) * Bk]).repeat_interleave(n, 1) for k in range(3))
        c = f * c + i * g
        return o * torch.tanh(c), c

    hc = cc = torch.zeros(B, net.hc, dtype=torch.float64)
    hm = cm = torch.zeros(B, net.hm, dtype=torch.float64)
    worst = 0.0
    for t in range(T):
        hc2, cc = part(net.chord, xc[t], hc, cc)
        hm, cm = part(net.melody, torch.cat([xm[t], hc], 1), hm, cm)
        hc = hc2
        a = net.chord_out(torch.cat([hc, xc[t]], 1))
        b = net.melody_out(torch.cat([hm, xm[t]], 1))
        worst = max(worst, (a - cl[t]).abs().max().item(), (b - ml[t]).abs().max().item())
    ok = worst < 1e-10
    return {"bench": "check", "max_abs_difference": worst, "ok": ok}


def main():
    args = sys.argv[1:]

    def opt(name, default, kind=int):
        return kind(args[args.index(name) + 1]) if name in args else default

    what = args[0] if args else ""
    size = parse_size(opt("--size", "4x2+4x2", str))
    seed = opt("--seed", 1)
    if what == "train-throughput":
        out = train_throughput(size, opt("--batch", 32), opt("--threads", 1), opt("--batches", 8), seed)
    elif what == "step":
        out = step(size, opt("--threads", 1), opt("--steps", 5000), seed)
    elif what == "time-to-target":
        out = time_to_target(size, opt("--batch", 2), opt("--lr", 0.02, float), opt("--threads", 1), seed,
                             opt("--limit", 60.0, float))
    elif what == "check":
        out = check()
        print(json.dumps(out))
        return 0 if out["ok"] else 1
    else:
        print(__doc__, file=sys.stderr)
        return 2
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
