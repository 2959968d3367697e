"""A model whose external data exceeds 2 GiB (the layout of large ONNX models: a small .onnx holding the
graph, the weights in one .data file next to it), to measure `mai convert` on it. Not committed.

    /work/venv-corpus/bin/python scripts/corpus/large_external.py /tmp/large [--gib 2.25]
    /usr/bin/time -v npx mai convert /tmp/large/large_mlp.onnx -o /tmp/large/large_mlp.tflite

An MLP of square-ish MatMul layers (random weights, float32) written with
onnx.save_model(save_as_external_data=True); onnxruntime runs it once before the script returns."""
from __future__ import annotations

import argparse
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

sys.path.insert(0, os.path.dirname(__file__))
from manifest_io import ort_runs  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", help="output folder")
    ap.add_argument("--gib", type=float, default=2.25, help="total weight size in GiB (default 2.25)")
    ap.add_argument("--width", type=int, default=8192, help="layer width (default 8192)")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    w = a.width
    layers = max(1, int(np.ceil(a.gib * 2**30 / (w * w * 4))))
    rng = np.random.default_rng(0)
    inits, nodes, x = [], [], "input"
    for i in range(layers):
        inits.append(numpy_helper.from_array((rng.standard_normal((w, w), dtype=np.float32) / np.sqrt(w)).astype(np.float32), f"w{i}"))
        y = f"h{i}"
        nodes.append(helper.make_node("MatMul", [x, f"w{i}"], [y + "_mm"]))
        nodes.append(helper.make_node("Relu" if i < layers - 1 else "Identity", [y + "_mm"], [y if i < layers - 1 else "output"]))
        x = y
    graph = helper.make_graph(nodes, "large_mlp", [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, w])], [helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, w])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="scripts/corpus/large_external.py")
    path = os.path.join(a.out, "large_mlp.onnx")
    data = "large_mlp.onnx.data"
    if os.path.exists(os.path.join(a.out, data)):
        os.remove(os.path.join(a.out, data))
    onnx.save_model(model, path, save_as_external_data=True, all_tensors_to_one_file=True, location=data, size_threshold=0)
    ort_runs(path, (1, w))
    size = os.path.getsize(os.path.join(a.out, data))
    print(f"{path}: {layers} MatMul layers of {w}×{w}, external data {size / 2**30:.2f} GiB; onnxruntime ran it")


if __name__ == "__main__":
    main()
