"""Checkpoints: safetensors holding the parameters under improv's names ("model/NAME"), Adam's
moments ("adam.exp_avg/NAME", "adam.exp_avg_sq/NAME"), and metadata "format":
"improv-torch-checkpoint", "version", "topology", "encoding", "epoch", "adam.step", "seed".
Written atomically every epoch by rank 0; every rank reads the same file to resume."""
import glob
import os

import torch

from .files import RefusedFile, finite, read_safetensors, write_safetensors
from .network import NAMES, Topology

FORMAT, VERSION = "improv-torch-checkpoint", "1"


def path_for(folder, epoch):
    return os.path.join(folder, f"epoch-{epoch:05d}.safetensors")


def newest(folder):
    found = sorted(glob.glob(os.path.join(folder, "epoch-*.safetensors")))
    return found[-1] if found else None


def save(folder, epoch, net, optimizer, topology, encoding_json, seed, keep=3):
    tensors, step = {}, 0
    for name in NAMES:
        p = net.tensor(name)
        tensors["model/" + name] = p
        state = optimizer.state.get(p, {})
        if state:
            tensors["adam.exp_avg/" + name] = state["exp_avg"]
            tensors["adam.exp_avg_sq/" + name] = state["exp_avg_sq"]
            step = int(state["step"])
    path = path_for(folder, epoch)
    write_safetensors(path, tensors, {"format": FORMAT, "version": VERSION, "topology": topology.to_json(),
                                      "encoding": encoding_json, "epoch": epoch, "adam.step": step, "seed": seed})
    old = path_for(folder, epoch - keep)
    if os.path.exists(old):
        os.unlink(old)
    return path


def load(path, encoding_json):
    """(topology, parameter tensors, Adam moments or None, adam step, epoch, seed)."""
    tensors, meta = read_safetensors(path, "checkpoint")
    if meta.get("format") != FORMAT:
        raise RefusedFile(path, f"not an improv_torch checkpoint (metadata \"format\" is {meta.get('format')!r}, "
                                f"expected {FORMAT!r})")
    if meta.get("version") != VERSION:
        raise RefusedFile(path, f"checkpoint version {meta.get('version')!r} is not supported (this reads {VERSION!r})")
    if meta.get("encoding") != encoding_json:
        raise RefusedFile(path, "a checkpoint of another slice encoding than the corpus's")
    try:
        topology = Topology.from_json(meta["topology"])
        epoch, step, seed = int(meta["epoch"]), int(meta["adam.step"]), int(meta["seed"])
    except (KeyError, ValueError, TypeError) as e:
        raise RefusedFile(path, f"checkpoint metadata is incomplete: {e}") from None
    shapes = topology.shapes()
    params, moments = {}, {} if step > 0 else None
    for name in NAMES:
        keys = ["model/" + name] + (["adam.exp_avg/" + name, "adam.exp_avg_sq/" + name] if step > 0 else [])
        for k in keys:
            if k not in tensors:
                raise RefusedFile(path, f"missing tensor \"{k}\"")
            if list(tensors[k].shape) != shapes[name] or tensors[k].dtype != torch.float32:
                raise RefusedFile(path, f"tensor \"{k}\" does not fit the topology {topology.to_json()}")
            finite(path, k, tensors[k])
        params[name] = tensors["model/" + name]
        if moments is not None:
            moments[name] = (tensors["adam.exp_avg/" + name], tensors["adam.exp_avg_sq/" + name])
    return topology, params, moments, step, epoch, seed


def restore_optimizer(optimizer, net, moments, step):
    if moments is None:
        return
    for name in NAMES:
        p = net.tensor(name)
        m, v = moments[name]
        optimizer.state[p] = {"step": torch.tensor(float(step)), "exp_avg": m.to(p.device).clone(),
                              "exp_avg_sq": v.to(p.device).clone()}
