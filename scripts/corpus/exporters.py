"""The export paths of the corpus: each turns a torch module (or an earlier export) into an ONNX file
the way a user's tool chain would. Every function writes `path` and returns a short description."""
from __future__ import annotations

import copy
import os
from typing import Callable

import numpy as np
import onnx
import torch


def newest_torchscript_opset() -> int:
    try:
        from torch.onnx._constants import ONNX_TORCHSCRIPT_EXPORTER_MAX_OPSET

        return int(ONNX_TORCHSCRIPT_EXPORTER_MAX_OPSET)
    except ImportError:  # older torch
        from torch.onnx._constants import ONNX_MAX_OPSET

        return int(ONNX_MAX_OPSET)


def io_names(model: torch.nn.Module, x: torch.Tensor) -> tuple[list[str], list[str]]:
    with torch.no_grad():
        y = model(x)
    n = len(y) if isinstance(y, (tuple, list)) else 1
    return ["input"], ["output"] if n == 1 else [f"output{i}" for i in range(n)]


def torchscript(model: torch.nn.Module, x: torch.Tensor, path: str, opset: int) -> str:
    """torch.onnx.export with the TorchScript exporter (dynamo=False), constant folding on (its default)."""
    ins, outs = io_names(model, x)
    torch.onnx.export(model, (x,), path, opset_version=opset, input_names=ins, output_names=outs, dynamo=False)
    return f"torch.onnx.export(dynamo=False, opset_version={opset})"


def dynamo(model: torch.nn.Module, x: torch.Tensor, path: str) -> str:
    """torch.onnx.export with the dynamo exporter (torch.export + onnxscript), weights inside the file."""
    ins, outs = io_names(model, x)
    prog = torch.onnx.export(model, (x,), dynamo=True, input_names=ins, output_names=outs, external_data=False)
    prog.save(path, external_data=False)
    opset = next(o.version for o in onnx.load(path, load_external_data=False).opset_import if o.domain in ("", "ai.onnx"))
    return f"torch.onnx.export(dynamo=True) → opset {opset}"


def retarget_float_casts(m: onnx.ModelProto) -> int:
    """Sets `to=FLOAT16` on the model's own Cast(to=FLOAT) nodes whose output convert_float_to_float16
    marked float16 (onnxconverter-common 1.15+ leaves `to` alone, an invalid model onnxruntime refuses;
    microsoft/onnxconverter-common#320, fixed the same way in #326 and by 1.14). Returns how many."""
    half = {v.name for v in list(m.graph.value_info) + list(m.graph.output) if v.type.tensor_type.elem_type == onnx.TensorProto.FLOAT16}
    n = 0
    for node in m.graph.node:
        if node.op_type == "Cast" and node.output[0] in half:
            for a in node.attribute:
                if a.name == "to" and a.i == onnx.TensorProto.FLOAT:
                    a.i = onnx.TensorProto.FLOAT16
                    n += 1
    return n


def fp16(src: str, path: str) -> str:
    """onnxconverter-common float16 with float32 I/O: it appends the output Casts at the end of the node list.
    The exporter's own float32 Casts (attention / LayerNorm upcasts) are retargeted to float16 as users do."""
    from onnxconverter_common import float16

    m = float16.convert_float_to_float16(onnx.load(src), keep_io_types=True)
    fixed = retarget_float_casts(m)
    onnx.save(m, path)
    how = "onnxconverter_common.float16.convert_float_to_float16(keep_io_types=True)"
    return how + (f" + {fixed} Cast(to=FLOAT) retargeted to FLOAT16 (onnxconverter-common#320)" if fixed else "")


def torch_half(model: torch.nn.Module, x: torch.Tensor, path: str) -> str:
    """The model itself in half precision (`model.half()`, a float16 input) through the TorchScript exporter
    at opset 17: float16 weights, float16 graph input and output, the exporter's own fp16 upcasts."""
    half = copy.deepcopy(model).half()
    torchscript(half, x.half(), path, 17)
    return "model.half() + float16 input → torch.onnx.export(dynamo=False, opset_version=17)"


def slim(src: str, path: str) -> str:
    import onnxslim

    onnx.save(onnxslim.slim(onnx.load(src)), path)
    return "onnxslim.slim"


def onnxsim(src: str, path: str) -> str:
    import onnxsim as sim

    m, ok = sim.simplify(onnx.load(src))
    if not ok:
        raise RuntimeError("onnxsim could not validate the simplified model")
    onnx.save(m, path)
    return "onnxsim.simplify"


class RandomReader:
    """onnxruntime.quantization CalibrationDataReader over seeded uniform [0,1) images."""

    def __init__(self, name: str, shape: tuple[int, ...], n: int = 8):
        rng = np.random.default_rng(0)
        self.items = iter([{name: rng.random(shape, dtype=np.float32)} for _ in range(n)])

    def get_next(self):
        return next(self.items, None)


def qdq(src: str, path: str, shape: tuple[int, ...]) -> str:
    """Static int8 QDQ (per-channel weights) calibrated on 8 random images, after quant_pre_process."""
    from onnxruntime.quantization import QuantFormat, QuantType, quantize_static
    from onnxruntime.quantization.shape_inference import quant_pre_process

    pre = path + ".pre.onnx"
    quant_pre_process(src, pre, skip_symbolic_shape=True)
    try:
        quantize_static(pre, path, RandomReader("input", shape), quant_format=QuantFormat.QDQ, per_channel=True, activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8)
    finally:
        os.remove(pre)
    return "onnxruntime.quantization.quantize_static(QDQ, per_channel, u8 activations / s8 weights)"


def dynamic_quant(src: str, path: str) -> str:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(src, path, weight_type=QuantType.QUInt8)
    return "onnxruntime.quantization.quantize_dynamic(weight_type=QUInt8)"


def external(src: str, path: str) -> str:
    """Weights moved to `<name>.data` next to the model (the layout of models > 2 GiB)."""
    m = onnx.load(src)
    location = os.path.basename(path) + ".data"
    onnx.save_model(m, path, save_as_external_data=True, all_tensors_to_one_file=True, location=location, size_threshold=0)
    return f"onnx.save_model(save_as_external_data=True, location={location})"


# variant id → (needs the module?, base variant it post-processes or None, function)
Variant = Callable[..., str]
VARIANTS: dict[str, str] = {
    "ts-op11": "TorchScript exporter, opset 11",
    "ts-op13": "TorchScript exporter, opset 13",
    "ts-op17": "TorchScript exporter, opset 17",
    "ts-newest": "TorchScript exporter, its newest opset",
    "dynamo": "dynamo exporter (torch.export + onnxscript)",
    "fp16": "float16 by onnxconverter-common (keep_io_types) of ts-op17",
    "torch-half": "model.half() with a float16 input through the TorchScript exporter, opset 17",
    "slim": "onnxslim of ts-op17",
    "onnxsim": "onnxsim of ts-op17",
    "qdq": "static QDQ int8 (onnxruntime.quantization) of ts-op17",
    "dynquant": "dynamic int8 (onnxruntime.quantization) of ts-op17",
    "external": "ts-op17 with external data",
}
