"""Manifest helpers shared by the corpus generators (torch-free: the Keras / tf2onnx generator runs in a
TensorFlow environment without torch)."""
from __future__ import annotations

import hashlib
import json
import os

import numpy as np
import onnx
import onnxruntime as ort

# variants keras_tf2onnx.py writes (listed in every manifest, whichever generator wrote it last)
KERAS_VARIANTS: dict[str, str] = {
    "tf2onnx-op13": "keras.applications model (weights=None) through tf2onnx.convert.from_keras, opset 13",
    "tf2onnx-op17": "keras.applications model (weights=None) through tf2onnx.convert.from_keras, opset 17",
}


def sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def ort_runs(path: str, shape: tuple[int, ...]) -> None:
    """Raises onnxruntime's error when it cannot load or run the model on a random input."""
    s = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    first = s.get_inputs()[0]
    x = np.random.default_rng(0).random(shape, dtype=np.float32)
    s.run(None, {first.name: x.astype(np.float16) if first.type == "tensor(float16)" else x})


def describe(path: str) -> dict:
    m = onnx.load(path, load_external_data=False)
    opset = next((o.version for o in m.opset_import if o.domain in ("", "ai.onnx")), None)
    ops: dict[str, int] = {}
    for n in m.graph.node:
        ops[n.op_type] = ops.get(n.op_type, 0) + 1
    return {
        "opset": opset,
        "irVersion": m.ir_version,
        "producer": f"{m.producer_name} {m.producer_version}".strip(),
        "nodes": len(m.graph.node),
        "outputs": [o.name for o in m.graph.output],
        "ops": dict(sorted(ops.items())),
    }


def read_manifest(path: str) -> dict:
    return json.load(open(path)) if os.path.exists(path) else {"models": [], "skipped": []}


def write_manifest(path: str, manifest: dict) -> None:
    """Atomically (a temp file renamed), so an interrupted run keeps the previous manifest."""
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")
    os.replace(tmp, path)
