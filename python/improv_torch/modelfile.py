"""improv's model file (Sources/LSTMModel/ModelFile.swift, Sources/Composer/ImprovModel.swift):
safetensors, one F32 tensor per parameter under improv's names, and metadata "format":
"improv-lstm", "version": "1", "topology": Topology JSON, plus improv's own keys ("encoding",
"key", "training.*", a folder corpus's "meter" and "harmony.*")."""
import torch

from .files import RefusedFile, finite, read_safetensors, write_safetensors
from .network import NAMES, Topology

FORMAT, VERSION = "improv-lstm", "1"
RESERVED = ("format", "version", "topology")


def load(path):
    """(topology, tensors, metadata without the reserved keys); a RefusedFile for anything
    improv itself would refuse."""
    tensors, meta = read_safetensors(path, "improv model")
    if "format" not in meta:
        raise RefusedFile(path, f"not an improv model: the safetensors metadata has no \"format\": \"{FORMAT}\" entry")
    if meta["format"] != FORMAT:
        raise RefusedFile(path, f"format is {meta['format']!r}, expected {FORMAT!r}")
    if meta.get("version") != VERSION:
        raise RefusedFile(path, f"version {meta.get('version')!r} is not supported (this reads {VERSION!r})")
    try:
        topology = Topology.from_json(meta.get("topology", ""))
    except (ValueError, TypeError) as e:
        raise RefusedFile(path, f"metadata \"topology\" is not a valid topology: {e}") from None
    for name, shape in topology.shapes().items():
        if name not in tensors:
            raise RefusedFile(path, f"missing tensor \"{name}\"")
        t = tensors[name]
        if t.dtype != torch.float32:
            raise RefusedFile(path, f"tensor \"{name}\" has dtype {t.dtype}, expected F32")
        if list(t.shape) != shape:
            raise RefusedFile(path, f"tensor \"{name}\" has shape {list(t.shape)}, the topology needs {shape}")
        finite(path, name, t)
    extra = sorted(set(tensors) - set(NAMES))
    if extra:
        raise RefusedFile(path, f"unexpected tensor \"{extra[0]}\" (not part of the topology)")
    if "encoding" not in meta:
        raise RefusedFile(path, "an LSTM file without improv's slice encoding in its metadata (key \"encoding\")")
    rest = {k: v for k, v in meta.items() if k not in RESERVED}
    return topology, {n: tensors[n] for n in NAMES}, rest


def save(path, topology, tensors, metadata):
    """Writes the model atomically (a temporary file, synced, renamed)."""
    bad = [k for k in metadata if k in RESERVED]
    if bad:
        raise ValueError(f"metadata key {bad[0]!r} is reserved")
    meta = dict(metadata)
    meta.update(format=FORMAT, version=VERSION, topology=topology.to_json())
    shapes = topology.shapes()
    out = {}
    for name in NAMES:
        t = tensors[name].detach().to("cpu", torch.float32)
        assert list(t.shape) == shapes[name], name
        out[name] = t
    write_safetensors(path, out, meta)
