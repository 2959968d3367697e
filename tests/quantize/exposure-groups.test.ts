/**
 * The real-size path on a small copy of the 1024×1024 segmentation net (same
 * topology, 128×128): int8 calibrated in many exposure groups writes the same
 * bytes as in one group, and fp16 / int8 on a model whose activations need
 * several exposed models still measure their outputs against the float model.
 * Every LiteRT model int8 loads (calibration and report) holds one group's
 * activations at most and is disposed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { uniformFloat32 } from '../../src/core/random.js';
import { activationTensors } from '../../src/quantize/calibrate.js';
import { exposeGroups } from '../../src/quantize/expose-groups.js';
import { loadFloatModel, quantizeModel } from '../../src/quantize/pipeline.js';
import { buildSegmentationNetOnnx } from '../../src/samples/segmentation-net.js';
import { readTflite } from '../../src/tflite/index.js';
import { liteRtRuntime } from '../../src/runtime/litert.js';
import { npyF32 } from './npy-writer.js';

const dir = mkdtempSync(join(tmpdir(), 'mai-groups-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('quantization in exposure groups (segmentation net, 128×128)', async () => {
  const onnx = buildSegmentationNetOnnx({ size: 128, width: 4, blocks: [1, 1, 2, 2], neck: 32, heavy: 2 });
  const { bytes, graph } = await loadFloatModel(onnx, 'seg.onnx');
  const shape = [...graph.tensor(graph.inputs[0]!).shape];
  const n = shape.reduce((a, b) => a * b, 1);
  const calib = join(dir, 'calib');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(calib);
  for (let k = 0; k < 6; k++) writeFileSync(join(calib, `s${k}.npy`), npyF32(shape, uniformFloat32(n, 50 + k, 0, 1)));
  const file = join(dir, 'seg.tflite');
  writeFileSync(file, bytes);
  const budgetMB = 0.25; // 256 KiB: the 128×128 activations need several exposed models

  it('has ≥ 60 convolutions and needs several exposed models under the budget', () => {
    expect(graph.nodes.filter((x) => x.op === 'CONV_2D' || x.op === 'DEPTHWISE_CONV_2D').length).toBeGreaterThanOrEqual(60);
    expect(exposeGroups(graph, activationTensors(graph), budgetMB).length).toBeGreaterThan(3);
  });

  it('int8: the same file and report whether observed in one exposed model or many', async () => {
    const base = { file, bytes, mode: 'int8' as const, calib, evalSamples: 2 };
    const one = await quantizeModel(base);
    const many = await quantizeModel({ ...base, exposeBudgetMB: budgetMB });
    expect(Buffer.from(many.bytes).equals(Buffer.from(one.bytes))).toBe(true);
    expect(many.report.outputs).toEqual(one.report.outputs);
    expect(many.report.layers.map((l) => [l.tensor, l.sqnrDb])).toEqual(one.report.layers.map((l) => [l.tensor, l.sqnrDb]));
    expect(one.report.layers.length).toBeGreaterThan(50);
    expect(one.report.outputs[0]!.sqnrDb).toBeGreaterThan(15);
    // the file says what it is
    expect(one.report.label).toBe('int8');
    expect(readTflite(one.bytes).description).toMatch(/quantized by mai: int8$/);
  });

  it('int8 loads no model exposing more than one group and disposes every model it loads', async () => {
    const bytesOf = (shape: readonly number[]) => 4 * shape.reduce((a, b) => a * b, 1);
    const largest = Math.max(...activationTensors(graph).map((t) => bytesOf(graph.tensor(t).shape)));
    const finals = graph.outputs.reduce((a, t) => a + bytesOf(graph.tensor(t).shape), 0);
    const exposed: number[] = [];
    let loaded = 0;
    let disposed = 0;
    const load = liteRtRuntime.load.bind(liteRtRuntime);
    const spy = vi.spyOn(liteRtRuntime, 'load').mockImplementation(async (b, opts) => {
      const m = await load(b, opts);
      loaded++;
      exposed.push(m.outputs().reduce((a, o) => a + bytesOf(o.shape), 0));
      const dispose = m.dispose.bind(m);
      m.dispose = async () => {
        disposed++;
        await dispose();
      };
      return m;
    });
    try {
      await quantizeModel({ file, bytes, mode: 'int8', calib, evalSamples: 2, exposeBudgetMB: budgetMB });
    } finally {
      spy.mockRestore();
    }
    expect(loaded).toBeGreaterThan(6); // several groups, calibration and report
    expect(disposed).toBe(loaded);
    // a group is within the budget or one activation alone; the model's own outputs come on top
    for (const b of exposed) expect(b).toBeLessThanOrEqual(Math.max(budgetMB * 2 ** 20, largest) + finals);
  });

  it('fp16 needs no calibration run; over the budget it compares the final outputs only and says so', async () => {
    const r = await quantizeModel({ file, bytes, mode: 'fp16', exposeBudgetMB: budgetMB });
    expect(r.stats).toBeUndefined();
    expect(r.report.layers).toEqual([]);
    expect(r.notes.join(' ')).toMatch(/per-layer errors not measured: the activations need \d+ exposed models/);
    expect(r.report.outputs[0]!.sqnrDb).toBeGreaterThan(40);
    expect(readTflite(r.bytes).description).toMatch(/quantized by mai: fp16$/);
  });
});
