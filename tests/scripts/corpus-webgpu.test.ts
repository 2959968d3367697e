/**
 * The committed real-export corpus (data/corpus/) on Google's GPU delegate: each model converted as
 * `mai convert --target kirin9000` does runs on LiteRT.js's WebGPU accelerator in headless Chromium
 * (the TFLite GPU delegate's model builder and kernels) twice on `--check`'s seeded inputs:
 * - at fp32 precision, judged against onnxruntime-node by `--check`'s own rule (max |error| ≤ 1e-4 of
 *   each output's range; the float32 computation for fp16 / QDQ / dynamic-int8 sources);
 * - at fp16 precision, as on a phone, judged against LiteRT's wasm run of the same file by the fp16
 *   tolerance of tests/convert/gpu/webgpu-fp16.ts (the wasm run is itself what --check judges).
 * Every model our rule table calls fully delegated must run with nothing left to wasm in both.
 * Needs Chromium (Debian `chromium`; `.ci/run` installs it); skips with a message without.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { convert } from '../../src/convert/index.js';
import { checkCandidate } from '../../src/convert/check.js';
import { gpuVerdict } from '../../src/convert/gpu/verdict.js';
import type { HostTensor } from '../../src/runtime/types.js';
import { KIRIN, readManifest } from '../../scripts/corpus/run.js';
import { chromiumPath, useLiteRtChromium, type ModelRun } from '../helpers/chromium-litert.js';
import { gpuError } from '../convert/gpu/webgpu-fp16.js';

const DIR = 'data/corpus';
const manifest = readManifest(DIR);
const CHROMIUM = chromiumPath();
const title = CHROMIUM ? 'real-export corpus on the LiteRT.js WebGPU delegate' : 'corpus WebGPU delegate SKIPPED: no Chromium (apt-get install chromium)';
if (!CHROMIUM) console.warn(title);

describe.skipIf(!CHROMIUM)(title, () => {
  const lab = useLiteRtChromium();

  for (const e of manifest.models) {
    it(`${e.id}: on WebGPU fully delegated where the rule table says so; fp32 passes --check against onnxruntime, fp16 within fp16 tolerance`, async () => {
      const file = resolve(DIR, e.file);
      const bytes = new Uint8Array(readFileSync(file));
      const { graph, tflite } = convert({ bytes, file, verifyPasses: false });
      const table = gpuVerdict(graph, { ...KIRIN.options, target: KIRIN.id });
      let fed: HostTensor[] = [];
      let full: ModelRun | undefined;
      const report = await checkCandidate(
        bytes,
        graph,
        {
          runtime: 'LiteRT.js WebGPU (fp32) in Chromium',
          async run(inputs) {
            fed = inputs;
            [full] = await lab.run([{ name: e.id, tflite, inputs }], { precision: 'fp32' });
            if (!full!.webgpu.ok) throw new Error(`${e.id}: webgpu: ${full!.webgpu.error}`);
            return full!.webgpu.outputs;
          },
        },
        { file },
      );
      const [half] = await lab.run([{ name: e.id, tflite, inputs: fed }], { precision: 'fp16' });
      expect(table.fullyDelegated, `rule table: ${table.cpuOps.map((o) => o.op).join(', ')}`).toBe(true);
      expect(full!.delegation.evidence, 'fp32 run').toEqual([]);
      expect(half!.delegation.evidence, 'fp16 run').toEqual([]);
      const worst = report.outputs.map((o) => `${o.name}: max_abs ${o.maxAbs.toExponential(2)} / range ${o.range.toExponential(2)}, cosine ${o.cosine.toFixed(6)}`);
      expect(report.pass, worst.join('; ')).toBe(true);
      expect(half!.webgpu.ok && half!.wasm.ok, JSON.stringify([half!.webgpu, half!.wasm].map((r) => (r.ok ? 'ok' : r.error)))).toBe(true);
      if (!half!.webgpu.ok || !half!.wasm.ok) return;
      const fp16 = gpuError(half!.webgpu.outputs, half!.wasm.outputs);
      expect(fp16.ratio, `fp16 max |webgpu − wasm| ${fp16.maxAbs.toExponential(2)} ${fp16.problem ?? ''}`).toBeLessThanOrEqual(1);
    }, 180_000);
  }
});
