"""Writes tests/fixtures/onnx/mha-dynamo-opset23.onnx: nn.MultiheadAttention (16 wide, 2 heads, seed 0)
through torch.onnx.export(dynamo=True, opset_version=23), which emits one ONNX Attention node; the
weights are stored inline. Run by hand: /work/venv-corpus/bin/python scripts/corpus/attention_fixture.py"""
import os
import tempfile

import onnx
import torch

OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'tests', 'fixtures', 'onnx', 'mha-dynamo-opset23.onnx')


class SelfAttention(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.attn = torch.nn.MultiheadAttention(16, 2, batch_first=True)

    def forward(self, x):
        return self.attn(x, x, x, need_weights=False)[0]


torch.manual_seed(0)
with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, 'mha.onnx')
    torch.onnx.export(SelfAttention().eval(), (torch.randn(1, 5, 16),), path, dynamo=True, opset_version=23)
    onnx.save(onnx.load(path), OUT, save_as_external_data=False)
