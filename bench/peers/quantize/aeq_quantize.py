"""Google's ai-edge-quantizer on a float .tflite, for bench/peers/quantize/compare.ts.

usage: aeq_quantize.py FLOAT.tflite CALIB_DIR OUT_DIR

CALIB_DIR holds one .npy per calibration sample (the model's single input, its exact shape),
read in sorted order -- the same files mai calibrates on. Writes to OUT_DIR:
  aeq-static-int8.tflite   static_wi8_ai8 (int8 weights and activations, min/max calibration)
  aeq-dynamic.tflite       dynamic_wi8_afp32 (int8 weights, activations quantized at run time)
  aeq-weight-only.tflite   weight_only_wi8_afp32 (int8 weights dequantized to float)
and prints one JSON line: {recipe: {file, seconds} | {error}}.
"""
import glob
import json
import os
import sys
import time

import numpy as np
from ai_edge_litert.interpreter import Interpreter
from ai_edge_quantizer import quantizer, recipe


def main() -> None:
    model, calib_dir, out_dir = sys.argv[1:4]
    runner = Interpreter(model_path=model).get_signature_runner()
    (input_name,) = runner.get_input_details().keys()
    samples = [np.load(f) for f in sorted(glob.glob(os.path.join(calib_dir, "*.npy")))]
    calibration = {"serving_default": [{input_name: s.astype(np.float32)} for s in samples]}
    recipes = {
        "aeq-static-int8": (recipe.static_wi8_ai8(), True),
        "aeq-dynamic": (recipe.dynamic_wi8_afp32(), False),
        "aeq-weight-only": (recipe.weight_only_wi8_afp32(), False),
    }
    out = {}
    for name, (r, calibrate) in recipes.items():
        path = os.path.join(out_dir, f"{name}.tflite")
        t = time.time()
        try:
            q = quantizer.Quantizer(model)
            q.load_quantization_recipe(r)
            result = q.calibrate(calibration) if calibrate else None
            q.quantize(result, enable_progress_report=False).export_model(path, overwrite=True)
            out[name] = {"file": path, "seconds": time.time() - t}
        except Exception as e:  # reported in the comparison, not hidden
            out[name] = {"error": f"{type(e).__name__}: {e}"[:500]}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
