/**
 * onnxruntime-node as the ONNX reference: the graph is loaded unoptimized, and a valid fp16 graph that
 * onnxruntime refuses unoptimized (a float16→float16 Cast feeding a float16 Sqrt, as onnxconverter-common
 * leaves timm's attention scale: tests/fixtures/onnx/deit-tiny-fp16-sdpa-casts.onnx, made by
 * scripts/corpus/fp16_attention_fixture.py) loads at its basic level instead; real load errors still surface.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import ort from 'onnxruntime-node';
import { MaiError } from '../../src/core/errors.js';
import { onnxRuntime } from '../../src/runtime/onnxruntime.js';
import { convert } from '../../src/convert/index.js';
import { checkConversion } from '../../src/convert/check.js';
import { gpuVerdict } from '../../src/convert/gpu/verdict.js';
import { KIRIN } from '../../scripts/corpus/run.js';

const FILE = 'tests/fixtures/onnx/deit-tiny-fp16-sdpa-casts.onnx';
const bytes = new Uint8Array(readFileSync(FILE));

describe('onnxruntime reference', () => {
  it('the fp16 attention fixture is refused by onnxruntime-node unoptimized (the case the fallback is for)', async () => {
    await expect(ort.InferenceSession.create(bytes, { graphOptimizationLevel: 'disabled', logSeverityLevel: 3 })).rejects.toThrow(/InsertedPrecisionFreeCast.*does not match expected type/);
  });

  it('loads and runs it through the basic-level fallback: float32 in, 16 finite float32 logits out', async () => {
    const m = await onnxRuntime.load(bytes, { file: FILE });
    try {
      expect(m.inputs()).toEqual([{ name: 'input', dtype: 'float32', shape: [1, 3, 32, 32] }]);
      const data = Float32Array.from({ length: 3 * 32 * 32 }, (_, i) => (i % 17) / 17);
      const [y] = await m.run([{ name: 'input', dtype: 'float32', shape: [1, 3, 32, 32], data }]);
      expect(y!.shape).toEqual([1, 16]);
      expect([...(y!.data as Float32Array)].every(Number.isFinite)).toBe(true);
      expect(new Set(y!.data as Float32Array).size).toBeGreaterThan(1);
    } finally {
      await m.dispose();
    }
  });

  it('a model refused at every level is onnx-load-failed with the unoptimized error, naming the file', async () => {
    const broken = bytes.slice(0, bytes.length >> 1);
    const err = await onnxRuntime.load(broken, { file: undefined }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MaiError);
    expect((err as MaiError).code).toBe('onnx-load-failed');
    expect((err as MaiError).exit).toBe(2);
  });

  it('converts the fixture with float16 weights, fully delegated on kirin9000, passing --check against the float32 computation', async () => {
    const { graph, tflite } = convert({ bytes, file: FILE, verifyPasses: false });
    expect(graph.nodes.filter((n) => n.op === 'DEQUANTIZE').length).toBeGreaterThan(10);
    expect([...graph.tensors.values()].filter((t) => t.data && t.dtype === 'float32' && t.data.length > 1)).toEqual([]);
    const gpu = gpuVerdict(graph, { ...KIRIN.options, target: KIRIN.id });
    expect(gpu.fullyDelegated, gpu.cpuOps.map((o) => o.op).join(', ')).toBe(true);
    const report = await checkConversion(bytes, tflite, graph, { file: FILE });
    expect(report.floatReference).toEqual(['float16 upcast to float32']);
    expect(report.pass, JSON.stringify(report.outputs)).toBe(true);
    expect(report.asWritten!.every((o) => o.maxAbs > 0)).toBe(true);
  }, 60_000);
});
