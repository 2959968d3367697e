"""Writes two small real-exporter fixtures for the GPU lowering of masks (torch.onnx.export, dynamo=True,
opset 23, seed 0, weights inline):
- tests/fixtures/onnx/mha-keypad-dynamo-opset23.onnx: nn.MultiheadAttention (16 wide, 2 heads) with a
  key_padding_mask computed at run time (pad > 0.5 over a float input [1, 6]); PyTorch turns it into a
  −inf float mask on the Attention node.
- tests/fixtures/onnx/detr-sine-embed-dynamo-opset23.onnx: DETR's sine position embedding: the cumulative
  sums of a run-time not-mask over rows and columns, normalized by the last one, sin / cos per frequency.
Run by hand: /work/venv-corpus/bin/python scripts/corpus/masked_attention_fixtures.py"""
import math
import os
import tempfile

import onnx
import torch

FIXTURES = os.path.join(os.path.dirname(__file__), '..', '..', 'tests', 'fixtures', 'onnx')


class KeyPaddedAttention(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.attn = torch.nn.MultiheadAttention(16, 2, batch_first=True)

    def forward(self, x, pad):
        return self.attn(x, x, x, key_padding_mask=pad > 0.5, need_weights=False)[0]


class SineEmbedding(torch.nn.Module):
    """DETR PositionEmbeddingSine (normalize=True) on a [B, H, W] padding indicator, 8 features per axis."""

    def forward(self, m):
        not_mask = m <= 0.5
        y = not_mask.cumsum(1, dtype=torch.float32)
        x = not_mask.cumsum(2, dtype=torch.float32)
        eps = 1e-6
        y = y / (y[:, -1:, :] + eps) * 2 * math.pi
        x = x / (x[:, :, -1:] + eps) * 2 * math.pi
        dim_t = 10000 ** (2 * (torch.arange(4, dtype=torch.float32)) / 8)
        py = y[:, :, :, None] / dim_t
        px = x[:, :, :, None] / dim_t
        return torch.cat((py.sin(), py.cos(), px.sin(), px.cos()), dim=3).permute(0, 3, 1, 2)


def export(module, args, name):
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, 'm.onnx')
        torch.onnx.export(module.eval(), args, path, dynamo=True, opset_version=23)
        onnx.save(onnx.load(path), os.path.join(FIXTURES, name), save_as_external_data=False)


torch.manual_seed(0)
torch.backends.mha.set_fastpath_enabled(False)
export(KeyPaddedAttention(), (torch.randn(1, 6, 16), torch.rand(1, 6)), 'mha-keypad-dynamo-opset23.onnx')
export(SineEmbedding(), (torch.rand(1, 6, 8),), 'detr-sine-embed-dynamo-opset23.onnx')
