"""Runs a .tflite on every .npy in a folder with Google's LiteRT interpreter (ai-edge-litert), for
bench/peers/quantize/compare.ts: one runtime for every variant, including models with int8 / uint8
inputs and outputs (input quantized, output dequantized with the tensor's own scale and zero point).

usage: run_tflite.py MODEL.tflite INPUT_DIR OUT_DIR [LOGITS_DIR]
Writes OUT_DIR/<input stem>.npy (first output, float32) per input, in sorted order; with LOGITS_DIR
also LOGITS_DIR/<input stem>.npy: the input of the model's last SOFTMAX (a classifier's logits),
dequantized with its own parameters (read with every tensor preserved).
"""
import glob
import os
import sys

import numpy as np
from ai_edge_litert.interpreter import Interpreter


def dequantized(detail: dict, y: np.ndarray) -> np.ndarray:
    """y as float32, dequantized with the tensor's scale and zero point when it is an integer tensor."""
    if detail["dtype"] in (np.int8, np.uint8, np.int16):
        scale, zp = detail["quantization"]
        return (y.astype(np.float32) - zp) * scale
    return y.astype(np.float32)


def main() -> None:
    model, in_dir, out_dir = sys.argv[1:4]
    logits_dir = sys.argv[4] if len(sys.argv) > 4 else None
    it = Interpreter(model_path=model, experimental_preserve_all_tensors=logits_dir is not None)
    it.allocate_tensors()
    inp = it.get_input_details()[0]
    out = it.get_output_details()[0]
    logits = None
    if logits_dir is not None:
        softmaxes = [op for op in it._get_ops_details() if op["op_name"] == "SOFTMAX"]
        if not softmaxes:
            sys.exit(f"{model}: no SOFTMAX op, so no logits to write")
        index = softmaxes[-1]["inputs"][0]
        logits = next(t for t in it.get_tensor_details() if t["index"] == index)
    for f in sorted(glob.glob(os.path.join(in_dir, "*.npy"))):
        x = np.load(f).astype(np.float32)
        if inp["dtype"] in (np.int8, np.uint8):
            scale, zp = inp["quantization"]
            info = np.iinfo(inp["dtype"])
            x = np.clip(np.round(x / scale + zp), info.min, info.max).astype(inp["dtype"])
        it.set_tensor(inp["index"], x)
        it.invoke()
        np.save(os.path.join(out_dir, os.path.basename(f)), dequantized(out, it.get_tensor(out["index"])))
        if logits is not None:
            np.save(os.path.join(logits_dir, os.path.basename(f)), dequantized(logits, it.get_tensor(logits["index"])))


if __name__ == "__main__":
    main()
