/**
 * Standalone Erf (ops/erf.ts: clamp + rational approximation in MINIMUM/MAXIMUM/MUL/ADD/DIV) against
 * onnxruntime on a dense grid and edge values (±0, subnormal, tiny, the clamp point, huge, ±∞, NaN), at
 * the ONNX backend tolerance the conformance suite uses; the GPU-only op set in both I/O layouts; and the
 * refusal of integer Erf.
 */
import { describe, expect, it } from 'vitest';
import { importOnnx } from '../../../src/convert/onnx/import.js';
import { liteRtRuntime } from '../../../src/runtime/litert.js';
import { onnxRuntime } from '../../../src/runtime/onnxruntime.js';
import type { HostTensor } from '../../../src/runtime/types.js';
import { writeTflite } from '../../../src/tflite/writer.js';
import { OnnxGraphBuilder } from '../../helpers/onnx-builder.js';
import { expectMatchesOrt, importRejection, LAYOUTS, layoutName, opHistogram } from './harness.js';

const ATOL = 1e-7;
const RTOL = 1e-3;

function erfModel(shape: number[], dtype: 'float32' | 'int32' = 'float32'): Uint8Array {
  const b = new OnnxGraphBuilder({ opset: 13 });
  b.spec.nodes.push({ op: 'Erf', inputs: [b.input('x', shape, dtype)], outputs: ['y'], name: 'erf' });
  b.output('y', shape, dtype);
  return b.build();
}

async function both(xs: Float32Array): Promise<{ want: Float32Array; got: Float32Array }> {
  const bytes = erfModel([xs.length]);
  const feeds: HostTensor[] = [{ name: 'x', dtype: 'float32', shape: [xs.length], data: xs }];
  const ort = await onnxRuntime.load(bytes);
  const want = (await ort.run(feeds))[0]!.data as Float32Array;
  await ort.dispose();
  const lrt = await liteRtRuntime.load(writeTflite(importOnnx(bytes)));
  const got = (await lrt.run(feeds))[0]!.data as Float32Array;
  await lrt.dispose();
  return { want, got };
}

describe('Erf → clamp + rational approximation (GPU ops only)', () => {
  it('matches onnxruntime on every 1e-3 step of [-10, 10] and on 2·1e4 log-spaced |x| in [1e-44, 1e4], within atol 1e-7 + rtol 1e-3', async () => {
    const grid: number[] = [];
    for (let i = -10000; i <= 10000; i++) grid.push(i / 1000);
    for (let e = -44; e <= 4; e += 0.005) grid.push(10 ** e, -(10 ** e));
    const { want, got } = await both(Float32Array.from(grid));
    let worst = 0;
    let maxAbs = 0;
    for (let i = 0; i < want.length; i++) {
      const d = Math.abs(got[i]! - want[i]!);
      maxAbs = Math.max(maxAbs, d);
      worst = Math.max(worst, d / (ATOL + RTOL * Math.abs(want[i]!)));
    }
    expect(worst, `worst |err| / tolerance (max |err| ${maxAbs.toExponential(2)})`).toBeLessThanOrEqual(1);
    // both sides approximate erf to a few float32 ulps (ours within 4.3e-7 of a double-precision erf)
    expect(maxAbs).toBeLessThan(1e-6);
  });

  it('edge values: ±0 keep their sign, subnormals, the clamp point ±4, huge and infinite x saturate to ±1, NaN stays NaN', async () => {
    const xs = [0, -0, 1e-45, -1e-45, 1e-40, 1e-38, -1e-20, 1e-7, 3.9999998, 4, -4, 4.0000005, 100, -1e30, 3.4028235e38, Infinity, -Infinity, NaN];
    const { want, got } = await both(Float32Array.from(xs));
    xs.forEach((x, i) => {
      if (Number.isNaN(want[i]!)) return expect(got[i], `erf(${x})`).toBeNaN();
      expect(Math.abs(got[i]! - want[i]!), `erf(${x}) = ${got[i]}, onnxruntime ${want[i]}`).toBeLessThanOrEqual(ATOL + RTOL * Math.abs(want[i]!));
    });
    expect(Object.is(got[0], 0) && Object.is(got[1], -0)).toBe(true);
    expect([got[15], got[16]]).toEqual([1, -1]);
  });

  for (const keep of LAYOUTS) {
    it(`a 4-D activation keeps its layout, only MINIMUM/MAXIMUM/MUL/ADD/DIV (${layoutName(keep)})`, async () => {
      const { graph } = await expectMatchesOrt(erfModel([1, 3, 6, 7]), { range: [-5, 5], keepIoLayout: keep });
      const h = opHistogram(graph);
      expect(h).toEqual({ MINIMUM: 1, MAXIMUM: 1, MUL: 13, ADD: 10, DIV: 1 });
    });
  }

  it('integer Erf → unsupported-dtype naming the node', () => {
    const d = importRejection(erfModel([2, 3], 'int32')).diagnostics;
    expect(d.map((x) => [x.node, x.reason])).toEqual([['erf', 'unsupported-dtype']]);
    expect(d[0]!.message).toMatch(/int32.*only float Erf/);
  });
});
