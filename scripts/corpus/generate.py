"""Generates the real-export ONNX corpus and its manifest.

    /work/venv-corpus/bin/python scripts/corpus/generate.py                 # full corpus → corpus/ (gitignored)
    /work/venv-corpus/bin/python scripts/corpus/generate.py --ci            # committed CI subset → data/corpus/
    ... --arch mobilenet_v2,unet --variants ts-op13,fp16                    # a selection

Every model is run in onnxruntime once after export: one it refuses is kept out of the corpus and
listed under "skipped" in the manifest with onnxruntime's message (mai is measured on what
onnxruntime runs)."""
from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
import traceback
from importlib.metadata import version

import torch

sys.path.insert(0, os.path.dirname(__file__))
import exporters as ex  # noqa: E402
from manifest_io import KERAS_VARIANTS, describe, ort_runs, read_manifest, sha256, write_manifest as save_manifest  # noqa: E402
from models import ARCHS, Arch, build  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

# CI subset: which variants each small architecture is committed in (a few MB in all)
CI_VARIANTS: dict[str, list[str]] = {
    "mobilenet_v2": ["ts-op13", "fp16", "qdq"],
    "mobilenet_v3_small": ["dynamo"],
    "shufflenet_v2_x0_5": ["ts-op11"],
    "unet": ["ts-op11", "ts-newest", "external"],
    "modnet_style": ["ts-op17", "fp16"],
    "rvm_style": ["ts-op13"],
    "pynet_style": ["ts-op17"],
    "yolo_style": ["ts-op13", "slim"],
    "vit": ["ts-op17", "dynquant"],
    "deit_tiny": ["ts-op17", "dynamo"],
    "swin_t": ["ts-op17", "fp16", "torch-half"],
    "convnext_tiny": ["fp16"],
}


def tools() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for p in ("torch", "torchvision", "timm", "onnx", "onnxruntime", "onnxconverter-common", "onnxslim", "onnxsim", "onnxscript"):
        try:
            out[p] = version(p)
        except Exception:
            pass
    return out


def export_all(arch: Arch, ci: bool, variants: list[str], out: str, work: str) -> tuple[list[dict], list[dict]]:
    shape = arch.ci_shape if ci else arch.shape
    assert shape is not None
    model = build(arch, ci)
    x = torch.rand(shape, generator=torch.Generator().manual_seed(0))
    made: dict[str, str] = {}
    entries, skipped = [], []

    def base(v: str) -> str:
        """An intermediate export (kept in `work`) a post-processing variant starts from."""
        if v not in made:
            p = os.path.join(work, f"{arch.name}.{v}.onnx")
            opset = {"ts-op13": 13, "ts-op17": 17}[v]
            ex.torchscript(model, x, p, opset)
            made[v] = p
        return made[v]

    for v in variants:
        fname = f"{arch.name}.{v}.onnx"
        path = os.path.join(out, fname)
        started = time.time()
        try:
            if v.startswith("ts-op"):
                how = ex.torchscript(model, x, path, int(v[5:]))
            elif v == "ts-newest":
                how = ex.torchscript(model, x, path, ex.newest_torchscript_opset())
            elif v == "dynamo":
                how = ex.dynamo(model, x, path)
            elif v == "fp16":
                how = ex.fp16(base("ts-op17"), path)
            elif v == "torch-half":
                how = ex.torch_half(model, x, path)
            elif v == "slim":
                how = ex.slim(base("ts-op17"), path)
            elif v == "onnxsim":
                how = ex.onnxsim(base("ts-op17"), path)
            elif v == "qdq":
                how = ex.qdq(base("ts-op17"), path, shape)
            elif v == "dynquant":
                how = ex.dynamic_quant(base("ts-op17"), path)
            elif v == "external":
                if os.path.exists(path + ".data"):
                    os.remove(path + ".data")
                how = ex.external(base("ts-op17"), path)
            else:
                raise SystemExit(f"unknown variant {v}; known: {', '.join(ex.VARIANTS)}")
            ort_runs(path, shape)
        except SystemExit:
            raise
        except Exception as e:  # the exporter or onnxruntime refused: recorded, not hidden
            msg = f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"[:300]
            print(f"  skipped {fname}: {msg}", file=sys.stderr)
            if os.environ.get("CORPUS_TRACE"):
                traceback.print_exc()
            for p in (path, path + ".data"):
                if os.path.exists(p):
                    os.remove(p)
            skipped.append({"id": f"{arch.name}.{v}", "arch": arch.name, "variant": v, "reason": msg})
            continue
        files = [fname] + ([fname + ".data"] if os.path.exists(path + ".data") else [])
        entry = {
            "id": f"{arch.name}.{v}",
            "file": fname,
            "files": files,
            "bytes": sum(os.path.getsize(os.path.join(out, f)) for f in files),
            "sha256": sha256(path),
            "arch": arch.name,
            "family": arch.family,
            "source": arch.source,
            "variant": v,
            "generator": how,
            "input": {"name": "input", "shape": list(shape), **({"dtype": "float16"} if v == "torch-half" else {})},
            "exportSeconds": round(time.time() - started, 2),
            **describe(path),
        }
        entries.append(entry)
        print(f"  {fname}  {entry['bytes'] / 1e6:.2f} MB  opset {entry['opset']}  {entry['nodes']} nodes")
    return entries, skipped


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ci", action="store_true", help="the small committed subset (data/corpus/)")
    ap.add_argument("--out", help="output folder (default corpus/ or, with --ci, data/corpus/)")
    ap.add_argument("--arch", help="comma-separated architecture names (default: all)")
    ap.add_argument("--variants", help=f"comma-separated variants (default: all; known: {', '.join(ex.VARIANTS)})")
    a = ap.parse_args()
    out = os.path.abspath(a.out or os.path.join(ROOT, "data/corpus" if a.ci else "corpus"))
    os.makedirs(out, exist_ok=True)
    wanted = set(a.arch.split(",")) if a.arch else None
    archs = [x for x in ARCHS if (wanted is None or x.name in wanted) and (not a.ci or x.name in CI_VARIANTS)]
    if wanted and not archs:
        raise SystemExit(f"no architecture matches {a.arch}; known: {', '.join(x.name for x in ARCHS)}")
    manifest_path = os.path.join(out, "manifest.json")
    old = read_manifest(manifest_path)
    entries = {e["id"]: e for e in old.get("models", [])}
    skipped = {e["id"]: e for e in old.get("skipped", [])}
    torch.set_num_threads(max(1, (os.cpu_count() or 2) // 2))

    def write_manifest() -> dict:
        """Written after every architecture, so an interrupted run keeps what it made."""
        manifest = {
            "about": "ONNX models written by real exporters (random weights); generated by scripts/corpus/generate.py" + (" --ci" if a.ci else ""),
            "tools": {**old.get("tools", {}), **tools()},
            "variants": {**ex.VARIANTS, **KERAS_VARIANTS},
            "models": sorted(entries.values(), key=lambda e: e["id"]),
            "skipped": sorted(skipped.values(), key=lambda e: e["id"]),
        }
        save_manifest(manifest_path, manifest)
        return manifest

    with tempfile.TemporaryDirectory() as work:
        for arch in archs:
            variants = CI_VARIANTS[arch.name] if a.ci else list(ex.VARIANTS)
            if a.variants:
                variants = [v for v in a.variants.split(",") if not a.ci or v in CI_VARIANTS[arch.name]]
            print(f"{arch.name} ({arch.source})")
            made, failed = export_all(arch, a.ci, variants, out, work)
            for e in made:
                entries[e["id"]] = e
                skipped.pop(e["id"], None)
            for s in failed:
                skipped[s["id"]] = s
                entries.pop(s["id"], None)
            manifest = write_manifest()
    manifest = write_manifest()
    print(f"{len(manifest['models'])} models, {len(manifest['skipped'])} skipped → {manifest_path}")


if __name__ == "__main__":
    main()
