/**
 * The GPU claim for TF sources, proven as for ONNX (tests/convert/gpu/webgpu-delegate.test.ts): the CNN
 * fixtures converted from all three TF formats run on LiteRT.js's WebGPU accelerator (the TFLite GPU
 * delegate's model builder and kernels) in headless Chromium fully delegated — nothing left to wasm —
 * with outputs within fp16 tolerance of the wasm run, on TensorFlow's recorded inputs.
 * Needs Chromium (Debian `chromium`); skips with a message without.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { convert } from '../../../src/convert/index.js';
import { readModelInput } from '../../../src/core/read-model.js';
import { chromiumPath, useLiteRtChromium, type BrowserModelJob } from '../../helpers/chromium-litert.js';
import { gpuError } from '../gpu/webgpu-fp16.js';
import { FIXTURES, FORMATS, reference } from './fixtures.js';

const CHROMIUM = chromiumPath();
const title = CHROMIUM ? 'TF CNN fixtures on the LiteRT.js WebGPU delegate' : 'TF WebGPU delegate SKIPPED: no Chromium (apt-get install chromium)';
if (!CHROMIUM) console.warn(title);

const CNNS = ['mobilenet_v2_block', 'mobilenet_v3_block', 'segmenter', 'matting'];

describe.skipIf(!CHROMIUM)(title, () => {
  const lab = useLiteRtChromium();

  it('every CNN fixture, every format: fully delegated, within fp16 tolerance of wasm', async () => {
    const jobs: BrowserModelJob[] = [];
    for (const name of CNNS) {
      for (const { format, path } of FORMATS) {
        const file = join(FIXTURES, name, path);
        const { graph, tflite } = convert({ bytes: await readModelInput(file), file });
        expect(graph.nodes.some((n) => n.op === 'TRANSPOSE')).toBe(false);
        const x = reference(name, 'input', 0);
        jobs.push({ name: `${name} (${format})`, tflite, inputs: [{ name: graph.inputs[0]!, dtype: 'float32', shape: x.shape, data: x.data }] });
      }
    }
    const runs = await lab.run(jobs);
    const problems: string[] = [];
    for (const run of runs) {
      if (!run.delegation.fullyDelegated) problems.push(`${run.name}: not fully delegated: ${run.delegation.evidence.join(' | ')}`);
      if (!run.webgpu.ok || !run.wasm.ok) {
        problems.push(`${run.name}: ${run.webgpu.ok ? '' : `webgpu: ${run.webgpu.error}`} ${run.wasm.ok ? '' : `wasm: ${run.wasm.error}`}`);
        continue;
      }
      const e = gpuError(run.webgpu.outputs, run.wasm.outputs);
      if (e.problem || e.ratio > 1) problems.push(`${run.name}: max |webgpu − wasm| ${e.maxAbs.toExponential(2)} = ${e.ratio.toFixed(2)}× the fp16 tolerance ${e.problem ?? ''}`);
    }
    expect(runs).toHaveLength(CNNS.length * FORMATS.length);
    expect(problems).toEqual([]);
  }, 300_000);
});
