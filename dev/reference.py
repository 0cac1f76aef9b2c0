#!/usr/bin/env python3
"""PyTorch reference of improv's chord-and-melody network (LSTMModel), in the manner of
llm.c's train_gpt2.py: it writes a small golden fixture that the Swift tests compare with.

Run by hand (never by CI), from the package root:

    pip install torch safetensors numpy
    python3 dev/reference.py            # writes Tests/LSTMModelTests/Fixtures/golden.safetensors

The network (Eck & Schmidhuber 2002, as in Sources/LSTMModel/Parameters.swift):

  chord part   z_c = b_c + [x_c(t), h_c(t-1)] @ W_c              W_c [Ic+Hc, Gc]
  melody part  z_m = b_m + [x_m(t), h_c(t-1), h_m(t-1)] @ W_m    W_m [Im+Hc+Hm, Gm]
  LSTM part    columns of z: cell inputs [0,H), input gates [H,H+B), forget gates [H+B,H+2B),
               output gates [H+2B,H+3B); cell j is in block j // cellsPerBlock;
               c = f*c_prev + i*tanh(z_cell); h = o*tanh(c)            (no peepholes)
  tanhRNN part h = tanh(z), G = H
  outputs      y_c = sigmoid(b_co + [h_c(t), x_c(t)] @ W_co)        W_co [Hc+Ic, Oc]
               p_m = softmax(b_mo + [h_m(t), x_m(t)] @ W_mo)        W_mo [Hm+Im, Cm]
  loss         (sum_t sum_k BCE(y_c, target_c) + sum_t CE(p_m, target_m)) / T

Gradients come from autograd (an implementation independent of the Swift backward pass).
Everything is computed in float64 from float32 parameters, which are stored under improv's
tensor names.

Fixture contents (for kind in lstm, tanhRNN):
  input/chord [T,Ic] F32, input/melody [T,Im] F32, target/chord [T,Oc] F32, target/melody [T] I64
  {kind}/param/{name} F32      parameters, improv's names and shapes
  {kind}/grad/{name}  F64      d(loss per slice)/d(parameter)
  {kind}/chord_probs  [T,Oc] F64, {kind}/melody_probs [T,Cm] F64
  {kind}/loss [3] F64          total, chord, melody (per slice)
  metadata: topology.{kind} = Topology JSON, plus provenance.
"""
import json
import os
import sys

import numpy as np
import torch
from safetensors.numpy import save_file

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "LSTMModelTests", "Fixtures", "golden.safetensors")

# Unequal sizes everywhere so that a transposed index cannot pass.
IC, IM, OC, CM = 4, 5, 3, 6
CHORD_BLOCKS, CHORD_CPB = 2, 2
MELODY_BLOCKS, MELODY_CPB = 3, 1
T = 6


def topology(kind):
    return {
        "chordInputs": IC, "melodyInputs": IM, "chordOutputs": OC, "melodyClasses": CM,
        "chordBlocks": CHORD_BLOCKS, "chordCellsPerBlock": CHORD_CPB,
        "melodyBlocks": MELODY_BLOCKS, "melodyCellsPerBlock": MELODY_CPB, "cellKind": kind,
    }


def shapes(kind):
    hc, hm = CHORD_BLOCKS * CHORD_CPB, MELODY_BLOCKS * MELODY_CPB
    gc = hc + 3 * CHORD_BLOCKS if kind == "lstm" else hc
    gm = hm + 3 * MELODY_BLOCKS if kind == "lstm" else hm
    return [
        ("chord.weight", [IC + hc, gc]), ("chord.bias", [gc]),
        ("melody.weight", [IM + hc + hm, gm]), ("melody.bias", [gm]),
        ("chord_out.weight", [hc + IC, OC]), ("chord_out.bias", [OC]),
        ("melody_out.weight", [hm + IM, CM]), ("melody_out.bias", [CM]),
    ]


def lstm_part(z, c_prev, blocks, cpb):
    h = blocks * cpb
    g = torch.tanh(z[:h])
    i = torch.sigmoid(z[h:h + blocks]).repeat_interleave(cpb)
    f = torch.sigmoid(z[h + blocks:h + 2 * blocks]).repeat_interleave(cpb)
    o = torch.sigmoid(z[h + 2 * blocks:h + 3 * blocks]).repeat_interleave(cpb)
    c = f * c_prev + i * g
    return o * torch.tanh(c), c


def run(kind, params, xc, xm, yc, ym):
    p = {k: torch.tensor(v.astype(np.float64), requires_grad=True) for k, v in params.items()}
    hc_n, hm_n = CHORD_BLOCKS * CHORD_CPB, MELODY_BLOCKS * MELODY_CPB
    hc, cc = torch.zeros(hc_n, dtype=torch.float64), torch.zeros(hc_n, dtype=torch.float64)
    hm, cm = torch.zeros(hm_n, dtype=torch.float64), torch.zeros(hm_n, dtype=torch.float64)
    xc, xm = torch.tensor(xc, dtype=torch.float64), torch.tensor(xm, dtype=torch.float64)
    yc, ym = torch.tensor(yc, dtype=torch.float64), torch.tensor(ym, dtype=torch.int64)
    chord_loss = torch.zeros((), dtype=torch.float64)
    melody_loss = torch.zeros((), dtype=torch.float64)
    chord_probs, melody_probs = [], []
    for t in range(T):
        zc = p["chord.bias"] + torch.cat([xc[t], hc]) @ p["chord.weight"]
        zm = p["melody.bias"] + torch.cat([xm[t], hc, hm]) @ p["melody.weight"]
        if kind == "lstm":
            hc, cc = lstm_part(zc, cc, CHORD_BLOCKS, CHORD_CPB)
            hm, cm = lstm_part(zm, cm, MELODY_BLOCKS, MELODY_CPB)
        else:
            hc, hm = torch.tanh(zc), torch.tanh(zm)
        ac = p["chord_out.bias"] + torch.cat([hc, xc[t]]) @ p["chord_out.weight"]
        am = p["melody_out.bias"] + torch.cat([hm, xm[t]]) @ p["melody_out.weight"]
        chord_loss = chord_loss + torch.nn.functional.binary_cross_entropy_with_logits(ac, yc[t], reduction="sum")
        melody_loss = melody_loss + torch.nn.functional.cross_entropy(am[None], ym[t:t + 1], reduction="sum")
        chord_probs.append(torch.sigmoid(ac).detach().numpy())
        melody_probs.append(torch.softmax(am, 0).detach().numpy())
    loss = (chord_loss + melody_loss) / T
    loss.backward()
    out = {f"{kind}/grad/{k}": v.grad.numpy().astype(np.float64) for k, v in p.items()}
    out[f"{kind}/chord_probs"] = np.stack(chord_probs)
    out[f"{kind}/melody_probs"] = np.stack(melody_probs)
    out[f"{kind}/loss"] = np.array([loss.item(), chord_loss.item() / T, melody_loss.item() / T])
    return out


def main():
    rng = np.random.default_rng(20020101)
    xc = (rng.random((T, IC)) < 0.4).astype(np.float32)
    xm = (rng.random((T, IM)) < 0.4).astype(np.float32)
    yc = (rng.random((T, OC)) < 0.4).astype(np.float32)
    ym = rng.integers(0, CM, size=T).astype(np.int64)
    tensors = {"input/chord": xc, "input/melody": xm, "target/chord": yc, "target/melody": ym}
    metadata = {
        "generator": "dev/reference.py",
        "torch": torch.__version__,
        "loss": "(sum_t sum_k BCE + sum_t CE) / T",
    }
    for kind in ("lstm", "tanhRNN"):
        params = {name: rng.uniform(-0.5, 0.5, size=shape).astype(np.float32) for name, shape in shapes(kind)}
        for name, v in params.items():
            tensors[f"{kind}/param/{name}"] = v
        tensors.update(run(kind, params, xc, xm, yc, ym))
        metadata[f"topology.{kind}"] = json.dumps(topology(kind), sort_keys=True, separators=(",", ":"))
    save_file(tensors, OUT, metadata=metadata)
    print(f"wrote {OUT}: {len(tensors)} tensors")
    for kind in ("lstm", "tanhRNN"):
        print(kind, "loss per slice (total, chord, melody):", tensors[f"{kind}/loss"])


if __name__ == "__main__":
    sys.exit(main())
