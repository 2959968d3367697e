"""Keras models through tf2onnx into the real-export corpus (and its manifest).

    python3 -m venv /work/venv-corpus-tf && /work/venv-corpus-tf/bin/pip install -r scripts/corpus/requirements-keras.txt
    /work/venv-corpus-tf/bin/python scripts/corpus/keras_tf2onnx.py            # full size → corpus/
    /work/venv-corpus-tf/bin/python scripts/corpus/keras_tf2onnx.py --ci       # small committed subset → data/corpus/

keras.applications architectures with random weights (weights=None; BatchNormalization statistics
randomised as the torch generator does) exported by `tf2onnx.convert.from_keras` at opsets 13 and 17:
NHWC input, the Transposes tf2onnx writes around each NCHW ONNX op. Runs in its own environment
(TensorFlow and tf2onnx pin protobuf 3.20, torch's exporters a newer one); entries are merged into
the same manifest.json as generate.py's. Every file is run once in onnxruntime; one it refuses is
listed under "skipped" with the message."""
from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from importlib.metadata import version

os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")  # tf2onnx.from_keras takes tf.keras (Keras 2) models
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import tf2onnx  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
from manifest_io import KERAS_VARIANTS, describe, ort_runs, read_manifest, sha256, write_manifest  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
NC = 16  # classes of the CI builds (as generate.py's)
OPSETS = {"tf2onnx-op13": 13, "tf2onnx-op17": 17}


def _app(name: str, ci_alpha: float | None = None):
    def make(ci: bool, shape: tuple[int, int, int]):
        kw = {"input_shape": shape, "weights": None, "classes": NC if ci else 1000}
        if ci and ci_alpha is not None:
            kw["alpha"] = ci_alpha
        return getattr(tf.keras.applications, name)(**kw)

    return make


# name → (keras.applications call, full input HWC, CI input HWC or None when not in the CI set)
ARCHS = {
    "mobilenet_v2_keras": (_app("MobileNetV2", 0.35), (224, 224, 3), (96, 96, 3)),
    "mobilenet_v3_small_keras": (_app("MobileNetV3Small"), (224, 224, 3), None),
    "mobilenet_v3_large_keras": (_app("MobileNetV3Large"), (224, 224, 3), None),
    "efficientnet_b0_keras": (_app("EfficientNetB0"), (224, 224, 3), None),
}
# CI subset: which variants each small architecture is committed in
CI_VARIANTS = {"mobilenet_v2_keras": ["tf2onnx-op13"]}


def randomise_batchnorm(model, seed: int = 1) -> None:
    """Random moving statistics, so folded scales are not all 1 (as trained models' are not)."""
    rng = np.random.default_rng(seed)
    for layer in model.layers:
        if isinstance(layer, tf.keras.layers.BatchNormalization):
            mean, var = layer.moving_mean, layer.moving_variance
            mean.assign(rng.standard_normal(mean.shape).astype(np.float32) * 0.1)
            var.assign(rng.random(var.shape).astype(np.float32) * 0.5 + 0.75)


def tools() -> dict[str, str]:
    out = {}
    for p in ("tensorflow", "tf_keras", "tf2onnx"):
        try:
            out[p] = version(p)
        except Exception:
            pass
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ci", action="store_true", help="the small committed subset (data/corpus/)")
    ap.add_argument("--out", help="output folder (default corpus/ or, with --ci, data/corpus/)")
    ap.add_argument("--arch", help=f"comma-separated (default all; known: {', '.join(ARCHS)})")
    a = ap.parse_args()
    out = os.path.abspath(a.out or os.path.join(ROOT, "data/corpus" if a.ci else "corpus"))
    os.makedirs(out, exist_ok=True)
    manifest_path = os.path.join(out, "manifest.json")
    manifest = read_manifest(manifest_path)
    entries = {e["id"]: e for e in manifest.get("models", [])}
    skipped = {e["id"]: e for e in manifest.get("skipped", [])}
    wanted = a.arch.split(",") if a.arch else list(ARCHS)
    unknown = [n for n in wanted if n not in ARCHS]
    if unknown:
        raise SystemExit(f"unknown architecture(s) {', '.join(unknown)}; known: {', '.join(ARCHS)}")
    for name in wanted:
        make, full, ci_shape = ARCHS[name]
        if a.ci and name not in CI_VARIANTS:
            continue
        shape = ci_shape if a.ci else full
        tf.keras.utils.set_random_seed(0)
        model = make(a.ci, shape)
        randomise_batchnorm(model)
        source = f"tf.keras.applications.{model.name}" if not a.ci else f"tf.keras.applications (CI: {shape[0]}×{shape[1]}, {NC} classes)"
        print(f"{name} ({model.name}, {model.count_params()} parameters)")
        for v in CI_VARIANTS[name] if a.ci else list(OPSETS):
            fname = f"{name}.{v}.onnx"
            path = os.path.join(out, fname)
            started = time.time()
            try:
                spec = [tf.TensorSpec((1, *shape), tf.float32, name="input")]
                tf2onnx.convert.from_keras(model, input_signature=spec, opset=OPSETS[v], output_path=path)
                ort_runs(path, (1, *shape))
            except Exception as e:  # the exporter or onnxruntime refused: recorded, not hidden
                msg = f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"[:300]
                print(f"  skipped {fname}: {msg}", file=sys.stderr)
                if os.path.exists(path):
                    os.remove(path)
                skipped[f"{name}.{v}"] = {"id": f"{name}.{v}", "arch": name, "variant": v, "reason": msg}
                entries.pop(f"{name}.{v}", None)
                continue
            entry = {
                "id": f"{name}.{v}",
                "file": fname,
                "files": [fname],
                "bytes": os.path.getsize(path),
                "sha256": sha256(path),
                "arch": name,
                "family": "cnn",
                "source": source,
                "variant": v,
                "generator": f"tf2onnx.convert.from_keras(opset={OPSETS[v]})",
                "input": {"name": "input", "shape": [1, *shape]},
                "exportSeconds": round(time.time() - started, 2),
                **describe(path),
            }
            entries[entry["id"]] = entry
            skipped.pop(entry["id"], None)
            print(f"  {fname}  {entry['bytes'] / 1e6:.2f} MB  opset {entry['opset']}  {entry['nodes']} nodes")
    manifest["tools"] = {**manifest.get("tools", {"python": platform.python_version()}), **tools()}
    manifest["models"] = sorted(entries.values(), key=lambda e: e["id"])
    manifest["skipped"] = sorted(skipped.values(), key=lambda e: e["id"])
    manifest.setdefault("variants", {}).update(KERAS_VARIANTS)
    write_manifest(manifest_path, manifest)
    print(f"{len(manifest['models'])} models, {len(manifest['skipped'])} skipped → {manifest_path}")


if __name__ == "__main__":
    main()
