"""Reading safetensors files with errors that name them, and writing files atomically."""
import json
import os
import tempfile

import torch
from safetensors import safe_open
from safetensors.torch import save as save_bytes


class RefusedFile(Exception):
    """A file improv_torch will not use: torn, foreign, or not fitting. The message names it."""

    def __init__(self, path, reason):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def read_safetensors(path, kind):
    """(tensors, metadata) of a whole safetensors file; anything else is a RefusedFile.

    `kind` says what the file was meant to be ("improv model", "checkpoint", "corpus shard").
    The safetensors library checks the header length against the file size and every tensor's
    offsets against the data, so a truncated (torn) file is refused here."""
    if not os.path.isfile(path):
        raise RefusedFile(path, f"no such {kind} file")
    try:
        with safe_open(path, framework="pt") as f:
            metadata = f.metadata() or {}
            tensors = {name: f.get_tensor(name) for name in f.keys()}
    except Exception as e:  # the library's own error types vary by version
        size = os.path.getsize(path)
        raise RefusedFile(path, f"not a whole safetensors file ({size} bytes; torn or not a {kind}): {e}") from None
    return tensors, metadata


def write_atomically(path, data):
    """Writes bytes to `path` whole or not at all: a temporary file in the same folder, synced,
    renamed over `path`, and the folder synced (as improv's AtomicFiles)."""
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    dfd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(dfd)
    finally:
        os.close(dfd)


def write_safetensors(path, tensors, metadata):
    """Atomically writes F32/I32/I64 tensors (contiguous CPU copies) with string metadata."""
    plain = {k: v.detach().to("cpu").contiguous() for k, v in tensors.items()}
    write_atomically(path, save_bytes(plain, metadata={k: str(v) for k, v in metadata.items()}))


def write_text(path, text):
    write_atomically(path, text.encode("utf-8"))


def read_json(path, kind):
    try:
        with open(path, "rb") as f:
            return json.loads(f.read().decode("utf-8"))
    except FileNotFoundError:
        raise RefusedFile(path, f"no such {kind} file") from None
    except (ValueError, UnicodeDecodeError) as e:
        raise RefusedFile(path, f"not valid JSON (torn or not a {kind}): {e}") from None


def finite(path, name, t):
    if not torch.isfinite(t).all():
        raise RefusedFile(path, f"tensor \"{name}\" holds a non-finite value")
