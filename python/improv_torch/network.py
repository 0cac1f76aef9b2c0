"""improv's chord-and-melody network (Sources/LSTMModel/Network.swift) in PyTorch.

The parameters are improv's tensors under improv's names and layouts (ParameterLayout):

    chord.weight      [Ic + Hc, Gc]        rows x_c(t), h_c(t-1)
    chord.bias        [Gc]
    melody.weight     [Im + Hc + Hm, Gm]   rows x_m(t), h_c(t-1), h_m(t-1)
    melody.bias       [Gm]
    chord_out.weight  [Hc + Ic, Oc]        rows h_c(t), x_c(t)
    chord_out.bias    [Oc]
    melody_out.weight [Hm + Im, Cm]        rows h_m(t), x_m(t)
    melody_out.bias   [Cm]

with a part's columns, for LSTM with H cells in B blocks: [0, H) cell inputs, then B input,
B forget and B output gates, one of each per block, shared by the block's cells; no
peepholes. So chord cells never see the melody; melody cells see h_c(t-1).

The forward pass runs each part as one fused LSTM over the whole sequence (the kernel
nn.LSTM calls; what bench/pytorch_fused.py measured): a block's gate column is repeated to
each of its cells (repeat_interleave) to form the fused [4H, in] weight, so the gradients of
the tied copies sum into improv's one column. The chord part runs first over all steps
(it never sees the melody), then the melody part on [x_m(t), h_c(t-1)]. Exact sigmoid and
tanh (improv's FastMath approximations differ by under 4e-7).
"""
import json

import numpy as np
import torch

NAMES = ["chord.weight", "chord.bias", "melody.weight", "melody.bias",
         "chord_out.weight", "chord_out.bias", "melody_out.weight", "melody_out.bias"]
TOPOLOGY_KEYS = ["cellKind", "chordBlocks", "chordCellsPerBlock", "chordInputs", "chordOutputs",
                 "melodyBlocks", "melodyCellsPerBlock", "melodyClasses", "melodyInputs"]


class Topology:
    """improv's Topology (Topology.swift), with its JSON as stored in model files."""

    def __init__(self, chordInputs, melodyInputs, chordOutputs, melodyClasses, chordBlocks, chordCellsPerBlock,
                 melodyBlocks, melodyCellsPerBlock, cellKind="lstm"):
        self.chordInputs, self.melodyInputs = int(chordInputs), int(melodyInputs)
        self.chordOutputs, self.melodyClasses = int(chordOutputs), int(melodyClasses)
        self.chordBlocks, self.chordCellsPerBlock = int(chordBlocks), int(chordCellsPerBlock)
        self.melodyBlocks, self.melodyCellsPerBlock = int(melodyBlocks), int(melodyCellsPerBlock)
        self.cellKind = cellKind

    @classmethod
    def from_json(cls, text):
        """Raises ValueError with a reason."""
        d = json.loads(text)
        if not isinstance(d, dict) or sorted(d) != TOPOLOGY_KEYS:
            raise ValueError(f"expected the keys {TOPOLOGY_KEYS}, found {sorted(d) if isinstance(d, dict) else d!r}")
        if d["cellKind"] not in ("lstm", "tanhRNN"):
            raise ValueError(f"cellKind is {d['cellKind']!r}, expected \"lstm\" or \"tanhRNN\"")
        for k in TOPOLOGY_KEYS[1:]:
            if not isinstance(d[k], int) or not 1 <= d[k] <= 4096:
                raise ValueError(f"{k} is {d[k]!r}, expected a whole number from 1 to 4096")
        if d["melodyClasses"] < 2:
            raise ValueError("melodyClasses must be at least 2")
        return cls(**d)

    def to_json(self):
        return json.dumps({k: getattr(self, k) for k in TOPOLOGY_KEYS}, sort_keys=True, separators=(",", ":"))

    def __eq__(self, other):
        return isinstance(other, Topology) and self.to_json() == other.to_json()

    @property
    def hc(self):
        return self.chordBlocks * self.chordCellsPerBlock

    @property
    def hm(self):
        return self.melodyBlocks * self.melodyCellsPerBlock

    @property
    def lstm(self):
        return self.cellKind == "lstm"

    def gate_width(self, cells, blocks):
        return cells + 3 * blocks if self.lstm else cells

    def shapes(self):
        ic, im, oc, cm, hc, hm = self.chordInputs, self.melodyInputs, self.chordOutputs, self.melodyClasses, self.hc, self.hm
        gc, gm = self.gate_width(hc, self.chordBlocks), self.gate_width(hm, self.melodyBlocks)
        return {"chord.weight": [ic + hc, gc], "chord.bias": [gc], "melody.weight": [im + hc + hm, gm],
                "melody.bias": [gm], "chord_out.weight": [hc + ic, oc], "chord_out.bias": [oc],
                "melody_out.weight": [hm + im, cm], "melody_out.bias": [cm]}

    def size_text(self):
        return f"{self.chordBlocks}x{self.chordCellsPerBlock}+{self.melodyBlocks}x{self.melodyCellsPerBlock}"


def parse_size(text):
    """'8x2+8x2' -> (8, 2, 8, 2)."""
    try:
        chord, melody = text.split("+")
        (bc, nc), (bm, nm) = (tuple(int(v) for v in part.split("x")) for part in (chord, melody))
    except ValueError:
        raise SystemExit(f"--size {text!r}: expected CHORDBLOCKSxCELLS+MELODYBLOCKSxCELLS, e.g. 8x2+8x2") from None
    if min(bc, nc, bm, nm) < 1:
        raise SystemExit(f"--size {text!r}: every number must be at least 1")
    return bc, nc, bm, nm


def _splitmix_floats(seed, counter, n):
    """improv's SplitMix64 (Parameters.swift), draws counter..counter+n-1, as
    Float(next >> 40) * 2^-23 - 1: vectorised with wrapping uint64 arithmetic."""
    with np.errstate(over="ignore"):
        k = np.arange(counter + 1, counter + n + 1, dtype=np.uint64)
        z = np.uint64(seed) + k * np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(40)).astype(np.float32) * np.float32(2.0 ** -23) - np.float32(1)


def initial_parameters(topology, seed, weight_scale=0.1, gate_bias_step=0.5):
    """improv's initialisation (ParameterLayout.initialParameters), bit for bit: weights
    uniform from SplitMix64(seed) in storage order times 0.1; block k's input, forget and
    output gate biases -0.5 (k + 1), the paper's staggered biases; every other bias 0."""
    out, drawn = {}, 0
    for name, shape in topology.shapes().items():
        n = int(np.prod(shape))
        if name.endswith(".weight"):
            w = _splitmix_floats(seed, drawn, n) * np.float32(weight_scale)
            drawn += n
            out[name] = torch.from_numpy(w.reshape(shape).copy())
        else:
            out[name] = torch.zeros(shape)
    if topology.lstm:
        for name, cells, blocks in (("chord.bias", topology.hc, topology.chordBlocks),
                                    ("melody.bias", topology.hm, topology.melodyBlocks)):
            stagger = torch.tensor([-gate_bias_step * (b + 1) for b in range(blocks)], dtype=torch.float32)
            for gate in range(3):
                out[name][cells + gate * blocks:cells + (gate + 1) * blocks] = stagger
    return out


def _attr(name):
    return name.replace(".", "_")


class ChordMelodyNet(torch.nn.Module):
    """The network; `forward` takes batch-major inputs [B, T, I] and returns logits."""

    def __init__(self, topology, tensors):
        super().__init__()
        self.topology = topology
        for name, shape in topology.shapes().items():
            t = tensors[name]
            if list(t.shape) != shape:
                raise ValueError(f"tensor {name} has shape {list(t.shape)}, the topology needs {shape}")
            self.register_parameter(_attr(name), torch.nn.Parameter(t.detach().clone().to(torch.float32)))

    def tensor(self, name):
        return getattr(self, _attr(name))

    def improv_tensors(self):
        return {name: self.tensor(name).detach().to("cpu") for name in NAMES}

    def _fused(self, weight, bias, inputs, cells, blocks):
        """The part's weights as nn.LSTM's (w_ih [4H, in], w_hh [4H, H], b_ih, b_hh), gate
        order i, f, g, o; or the tanh RNN's (w_ih, w_hh, b_ih, b_hh)."""
        if not self.topology.lstm:
            w = weight.t()
            return [w[:, :inputs], w[:, inputs:], bias, torch.zeros_like(bias)]
        n, H, B = cells // blocks, cells, blocks
        g = weight[:, :H]
        wi, wf, wo = (weight[:, H + k * B:H + (k + 1) * B].repeat_interleave(n, 1) for k in range(3))
        bi, bf, bo = (bias[H + k * B:H + (k + 1) * B].repeat_interleave(n) for k in range(3))
        w = torch.cat([wi, wf, g, wo], 1).t()
        b = torch.cat([bi, bf, bias[:H], bo])
        return [w[:, :inputs], w[:, inputs:], b, torch.zeros_like(b)]

    def _run(self, x, params, cells):
        h0 = x.new_zeros(1, x.shape[0], cells)
        if self.topology.lstm:
            out, _, _ = torch.lstm(x, (h0, h0), params, True, 1, 0.0, self.training, False, True)
        else:
            out, _ = torch.rnn_tanh(x, h0, params, True, 1, 0.0, self.training, False, True)
        return out

    def forward(self, xc, xm):
        """xc [B, T, Ic], xm [B, T, Im], from the zero state -> (chord logits [B, T, Oc],
        melody logits [B, T, Cm]) predicting slice t + 1."""
        t = self.topology
        hc = self._run(xc, self._fused(self.tensor("chord.weight"), self.tensor("chord.bias"), t.chordInputs,
                                       t.hc, t.chordBlocks), t.hc)
        hc_prev = torch.cat([hc.new_zeros(hc.shape[0], 1, t.hc), hc[:, :-1]], 1)
        hm = self._run(torch.cat([xm, hc_prev], 2),
                       self._fused(self.tensor("melody.weight"), self.tensor("melody.bias"), t.melodyInputs + t.hc,
                                   t.hm, t.melodyBlocks), t.hm)
        chord = torch.cat([hc, xc], 2) @ self.tensor("chord_out.weight") + self.tensor("chord_out.bias")
        melody = torch.cat([hm, xm], 2) @ self.tensor("melody_out.weight") + self.tensor("melody_out.bias")
        return chord, melody


def loss_sums(net, xc, xm, yc, ym, mask):
    """(chord BCE sum, melody CE sum) over the steps where mask is 1: improv's loss
    (Trainer: chord = sum of the units' binary cross-entropies, melody = cross-entropy)."""
    cl, ml = net(xc, xm)
    chord = torch.nn.functional.binary_cross_entropy_with_logits(cl, yc, reduction="none").sum(2)
    melody = torch.nn.functional.cross_entropy(ml.reshape(-1, ml.shape[2]), ym.reshape(-1), reduction="none")
    m = mask.reshape(-1)
    return (chord.reshape(-1) * m).sum(), (melody * m).sum()
