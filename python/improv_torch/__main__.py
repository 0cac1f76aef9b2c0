"""improv_torch: train improv's network with PyTorch.

    python3 -m improv_torch train --data CORPUS --out MODEL [...]      (under torchrun for several processes)
    python3 -m improv_torch outputs --model MODEL --inputs TRACE --out OUTPUTS
        the network's per-slice outputs (chord unit probabilities, melody class
        probabilities) for the inputs in TRACE ("chord" [N, Ic], "melody" [N, Im]), run from
        the zero state: what improv's per-slice step gives for the same inputs
"""
import argparse
import sys

import torch

from . import modelfile
from .files import RefusedFile, read_safetensors, write_safetensors
from .network import ChordMelodyNet


def outputs(argv):
    p = argparse.ArgumentParser(prog="improv_torch outputs")
    p.add_argument("--model", required=True)
    p.add_argument("--inputs", required=True)
    p.add_argument("--out", required=True)
    a = p.parse_args(argv)
    try:
        topology, tensors, _ = modelfile.load(a.model)
        trace, _ = read_safetensors(a.inputs, "input trace")
    except RefusedFile as e:
        print(f"improv_torch: {e}", file=sys.stderr)
        return 2
    net = ChordMelodyNet(topology, tensors).eval()
    with torch.no_grad():
        chord, melody = net(trace["chord"].float()[None], trace["melody"].float()[None])
    write_safetensors(a.out, {"chord_probs": torch.sigmoid(chord[0]), "melody_probs": torch.softmax(melody[0], 1)},
                      {"made_by": "improv_torch"})
    return 0


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] not in ("train", "outputs"):
        print(__doc__, file=sys.stderr)
        return 2
    if argv[0] == "train":
        from .train import main as train_main
        return train_main(argv[1:])
    return outputs(argv[1:])


if __name__ == "__main__":
    sys.exit(main())
