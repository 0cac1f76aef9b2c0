"""The corpus `improv export-corpus` writes (Sources/Composer/CorpusExport.swift): index.json
and safetensors shards of encoded slices, whole pieces each."""
import json
import os

import torch

from .files import RefusedFile, read_json, read_safetensors

FORMAT, VERSION = "improv-slices", "1"


class Piece:
    """One piece as a training sequence: inputs from slice t, targets from slice t + 1."""

    __slots__ = ("xc", "xm", "yc", "ym")

    def __init__(self, chord, melody, classes):
        self.xc, self.xm = chord[:-1], melody[:-1]
        self.yc, self.ym = chord[1:], classes[1:].to(torch.int64)

    @property
    def steps(self):
        return self.xc.shape[0]


class Corpus:
    def __init__(self, folder):
        self.folder = folder
        index_path = os.path.join(folder, "index.json")
        index = read_json(index_path, "corpus index")
        if not isinstance(index, dict) or index.get("format") != FORMAT:
            raise RefusedFile(index_path, f"not an improv corpus index (needs \"format\": \"{FORMAT}\"; "
                                          "write one with `improv export-corpus`)")
        if index.get("version") != VERSION:
            raise RefusedFile(index_path, f"version {index.get('version')!r} is not supported (this reads {VERSION!r})")
        try:
            self.description = index["corpus"]
            self.chord_inputs, self.melody_inputs = int(index["chord_inputs"]), int(index["melody_inputs"])
            self.melody_classes = int(index["melody_classes"])
            self.model_metadata = dict(index["model_metadata"])
            entries = list(index["shards"])
        except (KeyError, TypeError, ValueError) as e:
            raise RefusedFile(index_path, f"index is missing or has a bad entry: {e}") from None
        self.encoding_json = self.model_metadata.get("encoding", "")
        self.training, self.held_out = [], []
        for entry in entries:
            path = os.path.join(folder, entry["file"])
            pieces = self._read_shard(path, entry)
            (self.training if entry["split"] == "training" else self.held_out).extend(pieces)
        if not self.training:
            raise RefusedFile(index_path, "no training pieces")

    def _read_shard(self, path, entry):
        tensors, meta = read_safetensors(path, "corpus shard")
        if meta.get("format") != FORMAT or meta.get("version") != VERSION:
            raise RefusedFile(path, f"not an improv corpus shard (metadata \"format\" is {meta.get('format')!r}, "
                                    f"expected {FORMAT!r} version {VERSION!r})")
        if meta.get("split") != entry["split"] or meta.get("encoding") != self.encoding_json:
            raise RefusedFile(path, f"split or encoding differ from index.json (shard: split {meta.get('split')!r}, "
                                    f"encoding {meta.get('encoding')!r})")
        try:
            chord, melody = tensors["chord"], tensors["melody"]
            classes, starts = tensors["melody_class"], tensors["piece_starts"]
        except KeyError as e:
            raise RefusedFile(path, f"missing tensor {e}") from None
        s = chord.shape[0]
        if (list(chord.shape) != [s, self.chord_inputs] or list(melody.shape) != [s, self.melody_inputs]
                or list(classes.shape) != [s] or s != entry["slices"]):
            raise RefusedFile(path, f"tensor shapes do not fit the index ({entry['slices']} slices of "
                                    f"{self.chord_inputs} chord and {self.melody_inputs} melody units)")
        st = starts.tolist()
        if len(st) != entry["pieces"] + 1 or st[0] != 0 or st[-1] != s or any(b - a < 2 for a, b in zip(st, st[1:])):
            raise RefusedFile(path, "piece_starts does not cut the slices into pieces of at least two slices")
        if classes.numel() and (int(classes.min()) < 0 or int(classes.max()) >= self.melody_classes):
            raise RefusedFile(path, f"a melody class outside 0..<{self.melody_classes}")
        return [Piece(chord[a:b], melody[a:b], classes[a:b]) for a, b in zip(st, st[1:])]

    @property
    def training_slices(self):
        return sum(p.steps for p in self.training)


def batch(pieces, device):
    """Pieces padded at the end to one length (a causal net: padding never reaches earlier
    steps), with a mask of the real steps. Batch-major tensors."""
    T = max(p.steps for p in pieces)
    B = len(pieces)
    ic, im = pieces[0].xc.shape[1], pieces[0].xm.shape[1]
    xc, xm, yc = torch.zeros(B, T, ic), torch.zeros(B, T, im), torch.zeros(B, T, ic)
    ym = torch.zeros(B, T, dtype=torch.int64)
    mask = torch.zeros(B, T)
    for i, p in enumerate(pieces):
        n = p.steps
        xc[i, :n], xm[i, :n], yc[i, :n], ym[i, :n], mask[i, :n] = p.xc, p.xm, p.yc, p.ym, 1
    return [t.to(device) for t in (xc, xm, yc, ym, mask)]
