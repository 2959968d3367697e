"""Runs a .tflite on every .npy in a folder with Google's LiteRT interpreter (ai-edge-litert), for
bench/peers/quantize/compare.ts: one runtime for every variant, including models with int8 / uint8
inputs and outputs (input quantized, output dequantized with the tensor's own scale and zero point).

usage: run_tflite.py MODEL.tflite INPUT_DIR OUT_DIR
Writes OUT_DIR/<input stem>.npy (first output, float32) per input, in sorted order.
"""
import glob
import os
import sys

import numpy as np
from ai_edge_litert.interpreter import Interpreter


def main() -> None:
    model, in_dir, out_dir = sys.argv[1:4]
    it = Interpreter(model_path=model)
    it.allocate_tensors()
    inp = it.get_input_details()[0]
    out = it.get_output_details()[0]
    for f in sorted(glob.glob(os.path.join(in_dir, "*.npy"))):
        x = np.load(f).astype(np.float32)
        if inp["dtype"] in (np.int8, np.uint8):
            scale, zp = inp["quantization"]
            info = np.iinfo(inp["dtype"])
            x = np.clip(np.round(x / scale + zp), info.min, info.max).astype(inp["dtype"])
        it.set_tensor(inp["index"], x)
        it.invoke()
        y = it.get_tensor(out["index"])
        if out["dtype"] in (np.int8, np.uint8, np.int16):
            scale, zp = out["quantization"]
            y = (y.astype(np.float32) - zp) * scale
        np.save(os.path.join(out_dir, os.path.basename(f)), y.astype(np.float32))


if __name__ == "__main__":
    main()
