"""improv_torch on its own (the tests against improv itself are Swift tests:
Tests/ImprovCLITests/TorchTrainingTests.swift)."""
import json
import os
import sys

import pytest
import torch
from safetensors.torch import save_file

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from improv_torch import checkpoint, modelfile  # noqa: E402
from improv_torch.__main__ import main as cli  # noqa: E402
from improv_torch.corpus import Corpus  # noqa: E402
from improv_torch.files import RefusedFile  # noqa: E402
from improv_torch.network import ChordMelodyNet, Topology, initial_parameters  # noqa: E402

ENCODING = '{"chordCount":12,"chordLow":48,"melodyCount":13,"melodyLow":60}'


def topology(kind="lstm", sizes=(3, 2, 2, 3)):
    return Topology(13, 15, 13, 27, *sizes, kind)


def reference_outputs(t, p, xc, xm):
    """improv's step (Network.swift forwardStep) one slice at a time, plainly, in float64."""
    p = {k: v.double() for k, v in p.items()}
    hc, cc, hm, cm = (torch.zeros(n, dtype=torch.float64) for n in (t.hc, t.hc, t.hm, t.hm))

    def cells(z, c_prev, H, B):
        if not t.lstm:
            return torch.tanh(z), c_prev
        n = H // B
        g = torch.tanh(z[:H])
        i, f, o = (torch.sigmoid(z[H + k * B:H + (k + 1) * B]).repeat_interleave(n) for k in range(3))
        c = f * c_prev + i * g
        return o * torch.tanh(c), c

    out_c, out_m = [], []
    for s in range(xc.shape[0]):
        x_c, x_m = xc[s].double(), xm[s].double()
        zc = p["chord.bias"] + torch.cat([x_c, hc]) @ p["chord.weight"]
        zm = p["melody.bias"] + torch.cat([x_m, hc, hm]) @ p["melody.weight"]
        hc, cc = cells(zc, cc, t.hc, t.chordBlocks)
        hm, cm = cells(zm, cm, t.hm, t.melodyBlocks)
        out_c.append(torch.sigmoid(p["chord_out.bias"] + torch.cat([hc, x_c]) @ p["chord_out.weight"]))
        out_m.append(torch.softmax(p["melody_out.bias"] + torch.cat([hm, x_m]) @ p["melody_out.weight"], 0))
    return torch.stack(out_c), torch.stack(out_m)


@pytest.mark.parametrize("kind", ["lstm", "tanhRNN"])
def test_fused_forward_is_improvs_step(kind):
    t = topology(kind)
    gen = torch.Generator().manual_seed(3)
    params = {k: (torch.rand(v.shape, generator=gen) - 0.5) for k, v in initial_parameters(t, 5).items()}
    net = ChordMelodyNet(t, params)
    xc = (torch.rand(40, 13, generator=gen) > 0.6).float()
    xm = (torch.rand(40, 15, generator=gen) > 0.8).float()
    with torch.no_grad():
        chord, melody = net(xc[None], xm[None])
    ref_c, ref_m = reference_outputs(t, params, xc, xm)
    assert torch.allclose(torch.sigmoid(chord[0]).double(), ref_c, atol=1e-6)
    assert torch.allclose(torch.softmax(melody[0], 1).double(), ref_m, atol=1e-6)


def test_chord_cells_never_see_the_melody():
    t = topology()
    net = ChordMelodyNet(t, initial_parameters(t, 1))
    xc = torch.zeros(1, 10, 13)
    xc[0, :, 0] = 1
    a = net(xc, torch.zeros(1, 10, 15))[0]
    b = net(xc, torch.rand(1, 10, 15))[0]
    assert torch.equal(a, b)


def test_initial_gate_biases_are_the_papers_stagger():
    t = topology(sizes=(4, 2, 4, 2))
    p = initial_parameters(t, 1)
    for name, H in (("chord.bias", 8), ("melody.bias", 8)):
        b = p[name]
        assert torch.equal(b[:H], torch.zeros(H))
        for gate in range(3):
            assert b[H + 4 * gate:H + 4 * gate + 4].tolist() == [-0.5, -1.0, -1.5, -2.0]
    w = p["chord.weight"]
    assert w.abs().max() <= 0.1 and w.std() > 0.03


def test_model_file_round_trip_and_refusals(tmp_path):
    t = topology()
    params = initial_parameters(t, 2)
    path = str(tmp_path / "m.safetensors")
    modelfile.save(path, t, params, {"encoding": ENCODING, "key": "C", "training.corpus": "x"})
    t2, p2, meta = modelfile.load(path)
    assert t2 == t and all(torch.equal(p2[k], params[k]) for k in params)
    assert meta == {"encoding": ENCODING, "key": "C", "training.corpus": "x"}
    data = open(path, "rb").read()
    torn = str(tmp_path / "torn.safetensors")
    open(torn, "wb").write(data[:-10])
    with pytest.raises(RefusedFile, match="torn.safetensors.*not a whole safetensors file"):
        modelfile.load(torn)
    foreign = str(tmp_path / "foreign.safetensors")
    save_file({"w": torch.zeros(2)}, foreign, metadata={"made_by": "someone else"})
    with pytest.raises(RefusedFile, match="foreign.safetensors: not an improv model"):
        modelfile.load(foreign)


def write_corpus(folder, pieces=6, length=17):
    """A small corpus in the export format (as CorpusExport.swift writes it)."""
    os.makedirs(folder, exist_ok=True)
    gen = torch.Generator().manual_seed(1)
    shards = []
    for split, n in (("training", pieces), ("held-out", 2)):
        chord = (torch.rand(n * length, 13, generator=gen) > 0.7).float()
        melody = torch.zeros(n * length, 15)
        classes = torch.randint(0, 27, (n * length,), generator=gen, dtype=torch.int32)
        starts = torch.arange(0, n * length + 1, length, dtype=torch.int64)
        name = f"{split}-00000.safetensors"
        save_file({"chord": chord, "melody": melody, "melody_class": classes, "piece_starts": starts},
                  os.path.join(folder, name), metadata={"format": "improv-slices", "version": "1", "split": split,
                                                        "encoding": ENCODING, "corpus": "test", "pieces": str(n),
                                                        "slices": str(n * length)})
        shards.append({"file": name, "split": split, "pieces": n, "slices": n * length})
    index = {"format": "improv-slices", "version": "1", "corpus": "test", "chord_inputs": 13, "melody_inputs": 15,
             "melody_classes": 27, "model_metadata": {"encoding": ENCODING, "key": "C", "training.corpus": "test"},
             "shards": shards}
    open(os.path.join(folder, "index.json"), "w").write(json.dumps(index))


def test_train_resume_and_refuse_a_torn_checkpoint(tmp_path, capsys):
    data, out = str(tmp_path / "corpus"), str(tmp_path / "m.safetensors")
    write_corpus(data)
    c = Corpus(data)
    assert len(c.training) == 6 and c.training[0].steps == 16 and len(c.held_out) == 2
    common = ["train", "--data", data, "--out", out, "--size", "2x2+2x2", "--batch", "2"]
    assert cli(common + ["--epochs", "2"]) == 0
    folder = str(tmp_path / "m.torch-checkpoints")
    assert checkpoint.newest(folder).endswith("epoch-00002.safetensors")
    assert cli(common + ["--epochs", "3", "--resume", "auto"]) == 0
    log = capsys.readouterr().out
    assert "resuming from" in log and "epoch 3:" in log
    t, p, meta = modelfile.load(out)
    assert meta["training.epochs"] == "3" and meta["encoding"] == ENCODING
    # The model goes on training as an initial network.
    assert cli(common + ["--epochs", "1", "--init", out, "--checkpoints", str(tmp_path / "ck2")]) == 0
    newest = checkpoint.newest(folder)
    data_bytes = open(newest, "rb").read()
    open(newest, "wb").write(data_bytes[:len(data_bytes) // 2])
    assert cli(common + ["--epochs", "4", "--resume", newest]) == 2
    err = capsys.readouterr().err
    assert newest in err and "torn" in err
    foreign = str(tmp_path / "foreign.safetensors")
    save_file({"w": torch.zeros(2)}, foreign)
    assert cli(common + ["--epochs", "4", "--resume", foreign]) == 2
    assert f"{foreign}: not an improv_torch checkpoint" in capsys.readouterr().err
