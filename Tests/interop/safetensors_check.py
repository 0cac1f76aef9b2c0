#!/usr/bin/env python3
"""safetensors interoperability helper for the LSTMModel tests (needs numpy and safetensors).

    python3 Tests/interop/safetensors_check.py FILE
        Loads FILE with the Python safetensors library (safetensors.numpy.load_file and
        safe_open(...).metadata()) and prints JSON:
        {"tensors": {name: {"dtype": numpy dtype name, "shape": [...],
                            "sum": sum of values (float64),
                            "weighted": sum of (i + 1) * value over the flattened tensor}},
         "metadata": {...}}
        Exit status 1 with the library's error on stderr when it refuses the file.

    python3 Tests/interop/safetensors_check.py --write FILE
        Writes a file with safetensors.numpy.save_file holding known tensors of each dtype
        LSTMModel reads (see python_written.safetensors, the committed copy):
          "f32" F32 [2, 3] = 0.5 * arange(6) - 1    "f64" F64 [4] = arange(4) / 3
          "i32" I32 [3] = [-7, 0, 2147483647]       "i64" I64 [2, 1] = [-(2**40), 5]
          "empty" F32 [0]
        metadata {"made_by": "python safetensors", "note": "quote \" and unicode é"}
"""
import json
import sys

import numpy as np
from safetensors import safe_open
from safetensors.numpy import load_file, save_file


def check(path):
    tensors = load_file(path)
    with safe_open(path, framework="np") as f:
        metadata = f.metadata() or {}
    out = {}
    for name, a in tensors.items():
        flat = a.reshape(-1).astype(np.float64)
        out[name] = {
            "dtype": str(a.dtype),
            "shape": list(a.shape),
            "sum": float(flat.sum()),
            "weighted": float((flat * np.arange(1, flat.size + 1, dtype=np.float64)).sum()),
        }
    print(json.dumps({"tensors": out, "metadata": metadata}, sort_keys=True))


def write(path):
    tensors = {
        "f32": (0.5 * np.arange(6, dtype=np.float32) - 1).reshape(2, 3),
        "f64": np.arange(4, dtype=np.float64) / 3,
        "i32": np.array([-7, 0, 2147483647], dtype=np.int32),
        "i64": np.array([[-(2 ** 40)], [5]], dtype=np.int64),
        "empty": np.zeros((0,), dtype=np.float32),
    }
    save_file(tensors, path, metadata={"made_by": "python safetensors", "note": "quote \" and unicode é"})


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--write":
        write(sys.argv[2])
    elif len(sys.argv) == 2:
        try:
            check(sys.argv[1])
        except Exception as e:  # the library's own refusal
            print(f"{type(e).__name__}: {e}", file=sys.stderr)
            sys.exit(1)
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
