"""Writes tests/fixtures/onnx/deit-tiny-fp16-sdpa-casts.onnx: the CI deit_tiny (one attention block) exported
like the corpus `fp16` variant (TorchScript opset 17, then onnxconverter-common with the Cast retargeting of
exporters.fp16). Its scaled-dot-product attention keeps a float16→float16 Cast feeding a float16 Sqrt, which
onnxruntime 1.30 refuses to load with graph optimizations disabled. Too small for the corpus's 1.05× size
rule (the .tflite's fixed structure outweighs its 40 KB of weights), so it is a fixture, not a corpus model.
Run by hand: /work/venv-corpus/bin/python scripts/corpus/fp16_attention_fixture.py"""
import os
import sys
import tempfile

import torch

sys.path.insert(0, os.path.dirname(__file__))
import exporters as ex  # noqa: E402
from models import ARCHS, build  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "fixtures", "onnx", "deit-tiny-fp16-sdpa-casts.onnx")

arch = next(a for a in ARCHS if a.name == "deit_tiny")
x = torch.rand(arch.ci_shape, generator=torch.Generator().manual_seed(0))
with tempfile.TemporaryDirectory() as tmp:
    src = os.path.join(tmp, "deit_tiny.ts-op17.onnx")
    ex.torchscript(build(arch, True), x, src, 17)
    print(ex.fp16(src, OUT))
